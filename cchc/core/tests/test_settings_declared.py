"""Settings are declared once: read from the environment in config/settings/ with a type and default,
listed with that default in the README, read by the application as `settings.X`."""

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config.settings import env

ROOT = Path(settings.BASE_DIR)
NAME = re.compile(r"`([A-Z][A-Z0-9_]+)`")
EMPTY_DEFAULTS = ("", None, [], {})


def _readme_rows() -> dict[str, str]:
    """Each variable named in the first column of the README's settings table → its default cell."""
    lines = (ROOT / "README.md").read_text().splitlines()
    start = lines.index("## Biến cấu hình")
    rows: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if line.startswith("## ") or line.startswith("---"):
            break
        if not line.startswith("| ") or line.startswith("| biến") or line.startswith("| ---"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        for name in NAME.findall(cells[0]):
            assert name not in rows, f"{name} has two rows in the README"
            rows[name] = cells[1]
    return rows


@pytest.fixture(scope="module")
def declared() -> dict[str, list[env.Declaration]]:
    """The declarations of every settings module: base (already loaded), local and production."""
    runpy.run_module("config.settings.local")
    runpy.run_module("config.settings.production")
    return env.DECLARED


def _shown(declaration: env.Declaration) -> str:
    if declaration.shown is not None:
        return declaration.shown
    value = declaration.default
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    if isinstance(value, list):
        return "`" + ",".join(str(item) for item in value) + "`"
    return f"`{value}`"


def test_the_readme_lists_exactly_the_declared_variables(declared):
    listed = set(_readme_rows())
    expected = set(declared) | set(env.READ_ELSEWHERE)
    assert sorted(expected - listed) == [], "declared in config/settings but missing from the README's table"
    assert sorted(listed - expected) == [], "in the README's table but read by nothing"


def test_the_readme_shows_each_declared_default(declared):
    rows = _readme_rows()
    wrong = []
    for name, declarations in declared.items():
        for declaration in declarations:
            cell = rows[name]
            if declaration.shown is None and declaration.default in EMPTY_DEFAULTS:
                ok = "(trống" in cell
            else:
                ok = _shown(declaration) in cell
            if not ok:
                wrong.append(f"{name}: README says {cell!r}, declared {_shown(declaration)}")
    assert wrong == []


def _python_sources(*folders: str):
    for folder in folders:
        yield from (path for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts)


def test_application_code_reads_settings_as_attributes():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _python_sources("cchc", "config")
        if path.name != "env.py" and path.name != Path(__file__).name
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "getattr(settings" in line
    ]
    assert offenders == []


def test_only_the_settings_declarations_read_the_environment():
    reads = re.compile(r"os\.environ\.get|os\.environ\[|os\.getenv|environ\.get\(")
    # The production server's configuration is read by gunicorn before Django; its variables are
    # listed in env.READ_ELSEWHERE (and so in the README). The simulator server (cchc/simulators) is
    # another program with settings of its own (docs/integrations.md).
    outside_django = {"gunicorn.conf.py"}
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _python_sources("cchc", "config")
        if path.name != "env.py"
        and path.name not in outside_django
        and "tests" not in path.parts
        and "simulators" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if reads.search(line)
    ]
    assert offenders == []


def test_the_server_configuration_reads_only_listed_variables():
    source = (ROOT / "config" / "gunicorn.conf.py").read_text()
    read = set(re.findall(r"os\.environ\.get\(\"([A-Z_]+)\"", source))
    assert read and read <= set(env.READ_ELSEWHERE)


def _django(code: str, **variables: str) -> subprocess.CompletedProcess:
    program = "import django; django.setup()\n" + code
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.local", **variables}
    return subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_documented_variables_reach_the_application():
    """CCHC_COMPLAINT_DAYS, CCHC_API_TOKEN_DAYS and CCHC_API_TOKEN_RATE_PER_MINUTE were documented but
    never read; CCHC_OFFICE_PAGE_SIZE was read nowhere from the environment."""
    done = _django(
        "from cchc.complaints.services import complaint_time_limit_days\n"
        "from cchc.accounts.auth import token_rate_per_minute\n"
        "from django.conf import settings\n"
        "from cchc.dossiers.views import office\n"
        "print(complaint_time_limit_days(), settings.CCHC_API_TOKEN_DAYS, token_rate_per_minute(), office.PAGE_SIZE)",
        CCHC_COMPLAINT_DAYS="20",
        CCHC_API_TOKEN_DAYS="7",
        CCHC_API_TOKEN_RATE_PER_MINUTE="3",
        CCHC_OFFICE_PAGE_SIZE="50",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["20", "7", "3", "50"]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CCHC_COMPLAINT_DAYS", "mười lăm", "CCHC_COMPLAINT_DAYS must be a whole number"),
        ("CCHC_LOOKUP_RATE_PER_MINUTE", "0", "CCHC_LOOKUP_RATE_PER_MINUTE must be at least 1"),
        ("CCHC_SMS_ENABLED", "có", "CCHC_SMS_ENABLED must be true or false"),
        ("CCHC_PAR_BANDS", "[[90, 'Xuất sắc']", "CCHC_PAR_BANDS must be valid JSON"),
    ],
)
def test_a_malformed_variable_stops_the_start_naming_it(variable, value, message):
    done = _django("print('started')", **{variable: value})
    assert done.returncode != 0
    assert "started" not in done.stdout
    assert message in done.stderr


def test_json_settings_reach_their_rules():
    done = _django(
        "from cchc.reform.config import par_bands\nprint([(int(m), str(label)) for m, label in par_bands()])",
        CCHC_PAR_BANDS='[[50, "Đạt"], [0, "Chưa đạt"]]',
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[(50, 'Đạt'), (0, 'Chưa đạt')]"


def test_links_point_where_make_run_serves():
    """The verification URL, its QR and every e-mail said http://127.0.0.1:8000 while the app ran on
    another port (issue 14): the public address defaults to HOST:PORT, as bin/run passes them on."""
    code = (
        "from django.conf import settings\n"
        "from cchc.results.rendering import verification_url\n"
        'print(settings.CCHC_PUBLIC_URL, verification_url("0b5f4a52-7c1e-4b0e-9a57-1f1b2c3d4e5f"))'
    )
    served = _django(code, HOST="127.0.0.1", PORT="18555")
    assert served.returncode == 0, served.stderr
    assert served.stdout.split() == [
        "http://127.0.0.1:18555",
        "http://127.0.0.1:18555/ket-qua/xac-minh/0b5f4a52-7c1e-4b0e-9a57-1f1b2c3d4e5f/",
    ]
    everywhere = _django(code, HOST="0.0.0.0", PORT="8080")  # noqa: S104
    assert everywhere.stdout.split()[0] == "http://127.0.0.1:8080"
    told = _django(code, HOST="127.0.0.1", PORT="18555", CCHC_PUBLIC_URL="https://dvc.example.gov.vn/")
    assert told.stdout.split()[0] == "https://dvc.example.gov.vn"


def test_make_run_shows_the_vietnamese_error_pages_unless_a_developer_asks_for_debug(db, client):
    """Issue 14: `make run` (config.settings.local) showed Django's English debug 404 with the URL list."""
    users = _django("from django.conf import settings\nprint(settings.DEBUG, settings.WHITENOISE_USE_FINDERS)")
    assert users.returncode == 0, users.stderr
    assert users.stdout.split() == ["False", "True"]  # static files still served without collectstatic
    developer = _django("from django.conf import settings\nprint(settings.DEBUG)", DJANGO_DEBUG="true")
    assert developer.stdout.split() == ["True"]
    page = client.get("/khong-co-trang-nay/")  # what a user sees without DEBUG
    assert page.status_code == 404 and "Không tìm thấy trang" in page.content.decode()
    assert "Using the URLconf" not in page.content.decode()
