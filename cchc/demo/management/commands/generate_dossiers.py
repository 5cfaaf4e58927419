"""Bulk dossiers for scale tests (see `cchc.demo.bulk`); `--delete` removes them again."""

import time

from django.core.management.base import BaseCommand, CommandError

from cchc.demo.bulk import DEFAULT_CHUNK, PROVINCE_AGENCIES, delete_bulk_dossiers, generate_dossiers, generate_province


class Command(BaseCommand):
    help = (
        "Write COUNT realistic dossiers over the last MONTHS months straight into the tables "
        "(COPY on PostgreSQL), or remove the generated ones with --delete."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000, help="how many dossiers (default 10000)")
        parser.add_argument("--months", type=int, default=36, help="over the last MONTHS months (default 36)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--agency", default="", help="agency code (default: the demo agency)")
        parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help=f"per transaction ({DEFAULT_CHUNK})")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="with --province on PostgreSQL: processes simulating and writing agencies side by side (1)",
        )
        parser.add_argument(
            "--bulk-load",
            action="store_true",
            help=(
                "with --province on PostgreSQL, for an empty bench database only: drop the written tables' "
                "secondary indexes during the load and rebuild them after, skip row-by-row foreign-key checks"
            ),
        )
        parser.add_argument("--delete", action="store_true", help="remove the generated dossiers and accounts")
        parser.add_argument(
            "--province",
            type=int,
            nargs="?",
            const=PROVINCE_AGENCIES,
            default=None,
            metavar="AGENCIES",
            help=(
                "spread the dossiers over the province's departments and communes, topped up with generated "
                f"communes to AGENCIES agencies (default {PROVINCE_AGENCIES}); needs load_demo --province. "
                "A province-year: --province --count 3000000 --months 12"
            ),
        )

    def handle(self, *args, count, months, seed, agency, chunk, delete, province, workers, bulk_load, **options):
        if delete:
            started = time.monotonic()
            removed = delete_bulk_dossiers(agency_code=agency or None)
            spread = ", ".join(f"{label} {n:,}" for label, n in sorted(removed.items()))
            self.stdout.write(
                self.style.SUCCESS(f"Removed in {time.monotonic() - started:.1f} s: {spread or 'nothing'}.")
            )
            return
        if count <= 0 or months <= 0 or chunk <= 0:
            raise CommandError("--count, --months and --chunk must be positive")

        def progress(done: int, total: int, seconds: float) -> None:
            rate = done / seconds if seconds else 0
            self.stdout.write(f"  {done:>10,} / {total:,} dossiers  {seconds:7.1f} s  ({rate:,.0f}/s)")
            self.stdout.flush()

        try:
            if province is not None:
                if agency:
                    raise CommandError("--agency and --province exclude each other")
                result = generate_province(
                    count=count,
                    agencies=province,
                    months=months,
                    seed=seed,
                    chunk_size=chunk,
                    progress=progress,
                    workers=workers,
                    bulk_load=bulk_load,
                )
            else:
                result = generate_dossiers(
                    count=count,
                    months=months,
                    seed=seed,
                    agency_code=agency or None,
                    chunk_size=chunk,
                    progress=progress,
                )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        statuses = ", ".join(f"{s} {n:,}" for s, n in sorted(result.statuses.items(), key=lambda item: -item[1]))
        rows = ", ".join(f"{name} {n:,}" for name, n in result.rows.items())
        rate = result.dossiers / result.seconds if result.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.dossiers:,} dossiers in {result.seconds:.1f} s ({rate:,.0f}/s; {statuses})."
            )
        )
        self.stdout.write(f"Rows: {rows}.")
