"""Backup during a load, restore into an empty installation: every acknowledged dossier is back,
with its files, and the audit chain verifies."""

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from cchc.core.backup import files_verify
from cchc.dossiers import hooks
from cchc.dossiers.models import DossierDocument
from cchc.dossiers.tests.helpers import submit

ROOT = Path(settings.BASE_DIR)


SUBMITTING = """
import sys, django
django.setup()
from django.db import OperationalError
from cchc.dossiers.tests.helpers import submit
while True:
    try:
        code = submit().code
    except OperationalError:
        continue  # the database was busy: the applicant tries again, nothing was acknowledged
    print(code, flush=True)  # returned: committed, and the applicant holds the code
"""

RESTORING = """
import json, sys, django
django.setup()
from django.core.management import call_command
call_command("restore", sys.argv[1])
call_command("audit_verify")
call_command("files_verify")
from cchc.dossiers.models import Dossier
print("RESULT=" + json.dumps(sorted(Dossier.objects.exclude(code="").values_list("code", flat=True))))
"""


def _installation(database_url: str, media: Path) -> dict:
    """The environment of a separate installation on `database_url` with its files in `media`."""
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the audit chain's key derives from it
        "DATABASE_URL": database_url,
        "CCHC_MEDIA_ROOT": str(media),
        "CCHC_VAR_DIR": str(media.parent),
    }


def _pg_admin():
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"],
        password=db["PASSWORD"] or None,
    )


def _pg_url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def installations(transactional_db, demo, django_db_blocker, tmp_path):
    """(source, empty target) database URLs: the source a copy of the suite's database (migrated,
    with the demo catalogue and accounts), the target empty."""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(tmp_path / "source.sqlite3") as copy:
                connection.connection.backup(copy)
            copy.close()
            yield f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 'restored.sqlite3'}"
            return
        suite_db = connection.settings_dict["NAME"]
        source, target = f"{suite_db}_bk_source", f"{suite_db}_bk_target"
        connection.close()
        with _pg_admin() as pg:
            for name in (source, target):
                pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            pg.execute(f'CREATE DATABASE "{source}" TEMPLATE "{suite_db}"')
            pg.execute(f'CREATE DATABASE "{target}"')
        yield _pg_url(source), _pg_url(target)
        with _pg_admin() as pg:
            for name in (source, target):
                pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_taken_during_submissions_restores_every_acknowledged_dossier(installations, tmp_path):
    source_url, target_url = installations
    source = _installation(source_url, tmp_path / "source" / "media")
    # The copied database references the demo catalogue's files (its form templates): they come along.
    shutil.copytree(settings.MEDIA_ROOT, tmp_path / "source" / "media")
    acknowledged = tmp_path / "acknowledged.txt"
    errors = tmp_path / "load-errors.txt"
    with acknowledged.open("w") as out, errors.open("w") as err:
        load = subprocess.Popen([sys.executable, "-c", SUBMITTING], cwd=ROOT, env=source, stdout=out, stderr=err)
    try:
        deadline = time.monotonic() + 300
        while len(acknowledged.read_text().split()) < 5 and load.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        before_backup = acknowledged.read_text().split()
        assert len(before_backup) >= 5, errors.read_text()[-3000:]
        backup = subprocess.run(
            [sys.executable, "manage.py", "backup", str(tmp_path / "backup")],
            cwd=ROOT,
            env=source,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert backup.returncode == 0, backup.stderr
        assert load.poll() is None, "the submissions stopped during the backup"
    finally:
        load.kill()
        load.wait()
    during = acknowledged.read_text().split()
    assert len(during) > len(before_backup), "no submission was acknowledged while the backup ran"

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["files"]

    restored = subprocess.run(
        [sys.executable, "-c", RESTORING, str(tmp_path / "backup")],
        cwd=ROOT,
        env=_installation(target_url, tmp_path / "restored" / "media"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert restored.returncode == 0, restored.stdout + restored.stderr
    codes = set(json.loads(restored.stdout.split("RESULT=")[1]))
    assert set(before_backup) <= codes
    assert "present and intact" in restored.stdout


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_installation_that_is_not_empty(tmp_path):
    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", str(tmp_path / "backup"), verbosity=0)


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    with pytest.raises(CommandError, match="outside any transaction"):
        call_command("backup", str(tmp_path / "new"), verbosity=0)
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "old"), verbosity=0)


def test_files_verify_names_an_altered_and_a_missing_file(demo, monkeypatch):
    monkeypatch.setattr(hooks, "_guards", [])
    dossier = submit()
    document = DossierDocument.objects.filter(dossier=dossier).exclude(file="").first()
    storage, name = document.file.storage, document.file.name

    with storage.open(name, "wb") as altered:
        altered.write(b"%PDF-1.4\n% not what was uploaded\n")
    _checked, problems = files_verify()
    assert (document.pk, "SHA-256 differs") in {(p.pk, p.problem) for p in problems}

    storage.delete(name)
    _checked, problems = files_verify()
    assert (document.pk, "missing") in {(p.pk, p.problem) for p in problems}
    with pytest.raises(CommandError, match="missing or altered"):
        call_command("files_verify", verbosity=0)
