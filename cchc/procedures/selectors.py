"""Reads for the catalogue."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency
from cchc.core import clock
from cchc.core.calendar import WorkingCalendar
from cchc.core.errors import ApplicationError
from cchc.core.selectors import working_calendar
from cchc.core.text import fold

from .models import Component, FeeItem, Field, Offering, Procedure, ProcedureVersion, ProcessStep
from .rules import ComponentSpec, FeeSpec, ProcedureSpec, StepSpec


def procedure_catalogue(
    *,
    q: str = "",
    field: str = "",
    level: int | None = None,
    unit: str = "",
    agency: str = "",
) -> QuerySet[Procedure]:
    """Published procedures matching the filters; with `q`, best matches first.

    `q` is folded like the stored search columns, so `giay phep lai xe`,
    `GIẤY PHÉP LÁI XE` and a decomposed (NFD) input find the same procedures. A
    procedure whose name holds the whole phrase ranks before one whose name holds every
    word, which ranks before one that only matches by code.
    """
    qs = Procedure.objects.filter(current_version__isnull=False).select_related(
        "current_version", "current_version__field", "current_version__unit"
    )
    if field:
        qs = qs.filter(current_version__field__code=field)
    if level:
        qs = qs.filter(current_version__online_level=level)
    if unit:
        qs = qs.filter(current_version__unit__code=unit)
    if agency:
        qs = qs.filter(offered_by(agency_code=agency))
    phrase = fold(q or "")
    if not phrase:
        return qs.order_by("current_version__field__name", "code")
    phrases, papers = search_variants(phrase)
    whole = Q()
    every_word = Q()
    for variant in phrases:
        whole |= Q(search_name__contains=variant)
        words = Q()
        for word in variant.split(" "):
            words &= Q(search_name__contains=word)
        every_word |= words
    # A synonym may name a paper rather than a procedure ("CCCD"): the procedures that ask for it.
    asks_for = Q()
    for paper in papers:
        asks_for |= Q(current_version__components__name__icontains=paper)
    by_paper = Q(pk__in=Procedure.objects.filter(asks_for).values("pk")) if papers else Q(pk__in=[])
    qs = qs.filter(every_word | Q(search_code__contains=phrase) | by_paper)
    return qs.annotate(
        rank=Case(
            When(whole, then=Value(0)),
            When(every_word, then=Value(1)),
            When(search_code__contains=phrase, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("rank", "code")


def search_variants(phrase: str) -> tuple[list[str], list[str]]:
    """The folded phrase and its rewrites by the synonym list (`gplx` → `giay phep lai xe`, inside
    a phrase too: `doi gplx`), and the expansions as written, to find procedures asking for a paper."""
    from .models import SearchSynonym

    padded = f" {phrase} "
    variants, papers = [phrase], []
    for term, expansion in SearchSynonym.objects.values_list("term", "expansion"):
        key = f" {fold(term)} "
        if key in padded:
            variants.append(padded.replace(key, f" {fold(expansion)} ").strip())
            papers.append(expansion)
    return variants, papers


def offered_by(*, agency_code: str) -> Q:
    """Procedures the agency with this code offers: by an offering row, or as their own agency
    when they have no offering row at all."""
    offerings = Offering.objects.filter(procedure=OuterRef("pk"))
    return Q(Exists(offerings.filter(agency__code=agency_code))) | Q(~Exists(offerings), agency__code=agency_code)


def offering_agencies(procedure: Procedure, *, on=None) -> list[Agency]:
    """The agencies that offer `procedure` (active on `on`, today by default), communes by name."""
    return [agency for agency, _offering in _offers(procedure, on=on)]


def _offers(procedure: Procedure, *, on=None) -> list[tuple[Agency, Offering | None]]:
    """Each active offering agency with its offering (one query); the procedure's own agency, with
    no offering row, when nobody else offers it."""
    on = on or clock.localdate()
    rows = list(Offering.objects.filter(procedure=procedure).select_related("agency", "unit").order_by("agency__name"))
    if not rows:
        return [(procedure.agency, None)]
    return [(o.agency, o) for o in rows if o.agency.is_active_on(on)]


def offering_for(*, procedure: Procedure, agency: Agency) -> Offering | None:
    return Offering.objects.filter(procedure=procedure, agency=agency).select_related("unit").first()


def resolving_agency(*, procedure: Procedure, agency_code: str = "") -> Agency:
    """The agency that resolves a dossier of `procedure` (see `resolving_offer`)."""
    return resolving_offer(procedure=procedure, agency_code=agency_code)[0]


def resolving_offer(*, procedure: Procedure, agency_code: str = "") -> tuple[Agency, Offering | None]:
    """The agency that resolves a dossier of `procedure`, with its offering (one query): the one
    named (which must offer it), or the only one that offers it. Refuses when several offer it and
    none is named."""
    offers = _offers(procedure)
    if agency_code:
        for agency, offering in offers:
            if agency.code == agency_code:
                return agency, offering
        raise ApplicationError(
            _("Cơ quan có mã %(agency)s không giải quyết thủ tục %(code)s.")
            % {"agency": agency_code, "code": procedure.code},
            code="agency_not_offering",
        )
    if len(offers) == 1:
        return offers[0]
    raise ApplicationError(
        _("Thủ tục %(code)s do nhiều cơ quan giải quyết; hãy chọn cơ quan (trường agency).") % {"code": procedure.code},
        code="agency_required",
        details=[agency.code for agency, _offering in offers],
    )


def process_steps(version: ProcedureVersion, agency_id: int | None) -> QuerySet[ProcessStep]:
    """The internal process a dossier of `version` resolved by `agency_id` runs through: the
    agency's own for this version when it adopted one, else the version's (the template)."""
    own = ProcessStep.objects.filter(version_id=version.pk, offering__agency_id=agency_id)
    # Not `version.steps`: a prefetched (template-only) cache would carry its filter into this one.
    steps = ProcessStep.objects.filter(version_id=version.pk).order_by("order")
    return steps.filter(Q(offering__agency_id=agency_id) | (Q(offering__isnull=True) & ~Exists(own)))


def procedure_most_used(*, limit: int = 6) -> QuerySet[Procedure]:
    return (
        Procedure.objects.filter(current_version__isnull=False)
        .select_related("current_version", "current_version__field")
        .order_by("-annual_volume", "code")[:limit]
    )


def field_list_with_counts() -> list[Field]:
    """Fields that have published procedures, each with `procedure_count` set."""
    counts = dict(
        Procedure.objects.filter(current_version__isnull=False)
        .values_list("current_version__field_id")
        .annotate(n=Count("id"))
        .values_list("current_version__field_id", "n")
    )
    fields = list(Field.objects.filter(pk__in=counts))
    for item in fields:
        item.procedure_count = counts[item.pk]
    return fields


def _version_prefetches() -> list:
    return [
        Prefetch("fees", queryset=FeeItem.objects.order_by("order")),
        Prefetch("components", queryset=Component.objects.select_related("form_template").order_by("order")),
        Prefetch(
            "steps",
            queryset=ProcessStep.objects.filter(offering__isnull=True)
            .select_related("unit", "agency")
            .order_by("order"),
        ),
    ]


def procedure_get_published(*, code: str) -> Procedure | None:
    """The procedure with this national code and its current version, fully loaded."""
    procedure = (
        Procedure.objects.filter(code=code, current_version__isnull=False)
        .select_related("agency", "current_version__field", "current_version__unit")
        .first()
    )
    if procedure is None:
        return None
    version = (
        ProcedureVersion.objects.filter(pk=procedure.current_version_id)
        .select_related("field", "unit", "procedure")
        .prefetch_related(*_version_prefetches())
        .get()
    )
    procedure.current_version = version
    return procedure


def procedure_for_intake(*, code: str) -> Procedure | None:
    """The procedure with this national code and its current version, loaded for an online
    submission only (two reads fewer than `procedure_get_published`): the version in the same
    query, then its fees and its components."""
    procedure = (
        Procedure.objects.filter(code=code, current_version__isnull=False)
        .select_related("agency", "current_version__field")
        .prefetch_related(
            Prefetch("current_version__fees", queryset=FeeItem.objects.order_by("order")),
            Prefetch("current_version__components", queryset=Component.objects.order_by("order")),
        )
        .first()
    )
    if procedure is not None:
        procedure.current_version.procedure = procedure
    return procedure


def procedure_version_in_force(*, procedure: Procedure, at: datetime) -> ProcedureVersion | None:
    """The published version whose rules applied at `at` (for a dossier received then)."""
    return (
        procedure.versions.filter(status=ProcedureVersion.Status.PUBLISHED, effective_from__lte=at)
        .order_by("-effective_from", "-number")
        .first()
    )


def procedure_version_list(*, procedure: Procedure) -> QuerySet[ProcedureVersion]:
    return procedure.versions.order_by("-number")


def spec_from_version(version: ProcedureVersion) -> ProcedureSpec:
    """What a stored version says, in the form imports and comparisons use."""
    return ProcedureSpec(
        code=version.procedure.code,
        name=version.name,
        field_code=version.field.code,
        unit_code=version.unit.code,
        applicants=version.applicants,
        time_limit_value=version.time_limit_value,
        time_limit_unit=version.time_limit_unit,
        online_level=version.online_level,
        result_type=version.result_type,
        result_name=version.result_name,
        legal_basis=tuple(version.legal_basis_lines),
        requirements=version.requirements,
        payment_stage=version.payment_stage,
        annual_volume=version.procedure.annual_volume,
        fees=tuple(
            FeeSpec(kind=f.kind, name=f.name, amount=f.amount, online_amount=f.online_amount)
            for f in version.fees.all()
        ),
        components=tuple(
            ComponentSpec(
                name=c.name,
                required=c.required,
                originals=c.originals,
                certified_copies=c.certified_copies,
                copies=c.copies,
                template_name=c.template_name,
                note=c.note,
                from_population_db=c.from_population_db,
            )
            for c in version.components.all()
        ),
        steps=tuple(
            StepSpec(
                name=s.name,
                unit_code=s.unit.code if s.unit else "",
                role=s.role,
                hours=s.hours,
                agency_code=s.agency.code if s.agency_id else "",
            )
            for s in version.steps.all()
        ),
    )


def catalogue_specs() -> list[ProcedureSpec]:
    """Every published procedure as specs, for the spreadsheet export."""
    versions = (
        ProcedureVersion.objects.filter(pk__in=Procedure.objects.values("current_version_id"))
        .select_related("procedure", "field", "unit")
        .prefetch_related(*_version_prefetches())
        .order_by("procedure__code")
    )
    return [spec_from_version(v) for v in versions]


@dataclass(frozen=True)
class Appointment:
    received_at: datetime
    counted_from: datetime
    due_at: datetime


def agency_calendar(agency) -> WorkingCalendar:
    return working_calendar(office_hours=agency.office_hours, agency_id=agency.pk)


def procedure_appointment(*, version: ProcedureVersion, received_at: datetime, agency=None) -> Appointment:
    """The appointment a dossier of `version` received at `received_at` gets."""
    calendar = agency_calendar(agency or version.procedure.agency)
    counted_from = calendar.counting_start(received_at)
    due_at = version.due_moment(calendar, counted_from)
    return Appointment(received_at=received_at, counted_from=counted_from, due_at=due_at)
