"""One consistent backup of an installation: the database first, then the files.

Why that order: a file is stored before the transaction that references it commits (see
docs/architecture.md), so every file the database copy references already exists when the files
are copied afterwards. The other order loses the files of dossiers committed in between.

- SQLite is copied through its online backup API (never by copying the file: committed
  transactions may still sit in the WAL beside it).
- PostgreSQL through `pg_dump --format=custom` (one consistent snapshot), restored by `pg_restore`.
  Point-in-time recovery is WAL archiving (pgBackRest), described in docs/deployment.md.
- Files from the default storage (the media folder or the S3 bucket), each with its SHA-256.

A backup is a folder: `manifest.json`, `database.sqlite3` or `database.pgdump`, and `files/` with
the storage's names. `restore` refuses an installation that already has tables or files.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import FileField

from cchc.core import clock

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (for the operator, in English)."""


def _sha256_of(stream) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def stored_names(storage=default_storage, folder: str = ""):
    """Every file name in `storage`, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield str(PurePosixPath(folder, name)) if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, str(PurePosixPath(folder, sub)) if folder else sub)


def _pg_command(program: str, *args: str) -> tuple[list[str], dict]:
    db = connection.settings_dict
    command = [program]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [flag, str(db[key])]
    environment = dict(os.environ)
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = db["PASSWORD"]
    return [*command, *args], environment


def _run(command: list[str], environment: dict) -> None:
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _database_to(folder: Path) -> str:
    if connection.in_atomic_block:
        # SQLite's backup would wait forever for our own transaction; pg_dump would miss its changes.
        raise BackupError("a backup must run outside any transaction")
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            # The online backup API copies a consistent state, WAL included, while others write.
            connection.connection.backup(copy)
        copy.close()
        return target.name
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        name = connection.settings_dict["NAME"]
        command, environment = _pg_command(
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), name
        )
        _run(command, environment)
        return target.name
    raise BackupError(f"no backup method for the {connection.vendor} database")


@dataclass
class BackupSummary:
    folder: Path
    database: str
    files: int
    bytes: int


def backup_write(destination: Path) -> BackupSummary:
    """Write a backup into `destination` (created; must be empty)."""
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty")
    destination.mkdir(parents=True, exist_ok=True)
    started_at = clock.now()
    database = _database_to(destination)
    with (destination / database).open("rb") as stream:
        database_sha256, _size = _sha256_of(stream)
    files, total = [], 0
    for name in stored_names():
        target = destination / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            source = default_storage.open(name, "rb")
        except FileNotFoundError:
            continue  # removed since it was listed (a sweep of unreferenced files)
        with source, target.open("wb") as copy:
            digest = hashlib.sha256()
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                copy.write(chunk)
        size = target.stat().st_size
        files.append({"name": name, "size": size, "sha256": digest.hexdigest()})
        total += size
    manifest = {
        "format": FORMAT,
        "started_at": started_at.isoformat(),
        "finished_at": clock.now().isoformat(),
        "engine": connection.vendor,
        "database": database,
        "database_sha256": database_sha256,
        "files": files,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return BackupSummary(destination, database, len(files), total)


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}: not a CCHC backup") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
    with (source / manifest["database"]).open("rb") as stream:
        if _sha256_of(stream)[0] != manifest["database_sha256"]:
            raise BackupError("the database copy does not match its SHA-256: the backup is damaged")
    return manifest


def _refuse_unless_empty() -> None:
    if connection.introspection.table_names():
        raise BackupError("the database already has tables: restore only into an empty installation")
    if next(stored_names(), None) is not None:
        raise BackupError("the file storage is not empty: restore only into an empty installation")


def _database_from(source: Path, manifest: dict) -> None:
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"a {manifest['engine']} backup cannot be restored into {connection.vendor}")
    copy = source / manifest["database"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(copy) as backup:
            backup.backup(connection.connection)
        backup.close()
        connection.close()
        return
    command, environment = _pg_command(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--dbname",
        connection.settings_dict["NAME"],
        str(copy),
    )
    connection.close()
    _run(command, environment)


def backup_restore(source: Path) -> BackupSummary:
    """Restore the backup in `source` into this (empty) installation: the database, then the files,
    each file checked against its SHA-256 before it is stored."""
    source = Path(source)
    manifest = _read_manifest(source)
    _refuse_unless_empty()
    _database_from(source, manifest)
    total = 0
    for entry in manifest["files"]:
        path = source / "files" / entry["name"]
        with path.open("rb") as stream:
            if _sha256_of(stream)[0] != entry["sha256"]:
                raise BackupError(f"{entry['name']} does not match its SHA-256 in the backup")
            stream.seek(0)
            saved = default_storage.save(entry["name"], File(stream))
        if saved != entry["name"]:
            raise BackupError(f"{entry['name']} was stored as {saved}")
        total += entry["size"]
    return BackupSummary(source, manifest["database"], len(manifest["files"]), total)


@dataclass
class FileProblem:
    model: str
    pk: object
    name: str
    problem: str


def files_verify() -> tuple[int, list[FileProblem]]:
    """Check every file a row references: it exists in the storage and, where the row keeps the
    file's SHA-256, has that digest. Returns (files checked, problems)."""
    checked, problems = 0, []
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, FileField) and f.concrete]
        has_digest = any(f.name == "sha256" for f in model._meta.concrete_fields)
        for field in fields:
            columns = ["pk", field.name, *(["sha256"] if has_digest else [])]
            for row in model._default_manager.exclude(**{field.name: ""}).values_list(*columns).iterator():
                checked += 1
                pk, name = row[0], row[1]
                label = model._meta.label
                try:
                    with field.storage.open(name, "rb") as stream:
                        digest = _sha256_of(stream)[0] if has_digest and row[2] else None
                except FileNotFoundError:
                    problems.append(FileProblem(label, pk, name, "missing"))
                    continue
                if digest is not None and digest != row[2]:
                    problems.append(FileProblem(label, pk, name, "SHA-256 differs"))
    return checked, problems
