"""Every setting an installation can change is read from the environment here, once, with its type
and default (the way Healthchecks.io's settings read theirs).

`env_int("CCHC_LOOKUP_RATE_PER_MINUTE", 30, minimum=1)` returns the value, refuses a malformed one
with `ImproperlyConfigured` naming the variable, and records the declaration in `DECLARED`. A test
(`cchc/core/tests/test_settings_declared.py`) holds the README's table of variables to these
declarations: the same names, and each default shown. Application code then reads `settings.X`,
never the environment and never `getattr(settings, "X", default)`.

To add a setting: declare it in `base.py` (or the environment's module) with one of these functions,
add its row to the README's table, and read `settings.X` where it is used. Read each variable
unconditionally (not inside an `if`), so that its declaration is always recorded.
"""

import json
import os
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Declaration:
    """One environment variable a setting reads: its name, type, default and, for a default that is
    computed (a path under the data directory), how the README shows it."""

    name: str
    kind: str
    default: Any
    shown: str | None = None


DECLARED: dict[str, list[Declaration]] = {}

# Variables read outside Django's settings, also listed in the README's table: by the Makefile and
# bin/ scripts, the production server's configuration (config/gunicorn.conf.py) or the test suite.
READ_ELSEWHERE: dict[str, str] = {
    "HOST": "Makefile (make run), config/gunicorn.conf.py, CCHC_PUBLIC_URL's default",
    "PORT": "Makefile (make run), config/gunicorn.conf.py, CCHC_PUBLIC_URL's default",
    "SIMULATOR_PORT": "bin/run (make run): the simulator server's port, PORT+1 by default",
    "WEB_CONCURRENCY": "config/gunicorn.conf.py",
    "FORWARDED_ALLOW_IPS": "config/gunicorn.conf.py",
    "PROMETHEUS_MULTIPROC_DIR": "prometheus_client, config/gunicorn.conf.py",
    "DJANGO_SETTINGS_MODULE": "Django itself",
    "CHROMIUM_PATH": "tests/e2e/conftest.py",
    "CCHC_CLUSTER_PORT_BASE": "bin/test-cluster",
    "CCHC_REQUIRE_BROWSER": "tests/e2e/conftest.py",
    "CCHC_E2E_SCREENSHOTS": "tests/e2e/test_measured_journeys.py",
    "HYPOTHESIS_PROFILE": "conftest.py",
    "CCHC_CONTRACT_EXAMPLES": "tests/contract/test_openapi.py",
}


def served_url() -> str:
    """Where `make run` serves (`HOST`, `PORT`, as bin/run passes them on): the default public address,
    so links in e-mails and results' QR codes reach the running app. A wildcard host (0.0.0.0, ::)
    names no address to link to; this machine's loopback is used then."""
    host = (os.environ.get("HOST") or "127.0.0.1").strip()
    port = (os.environ.get("PORT") or "8000").strip()
    if host in ("0.0.0.0", "::", "[::]"):  # noqa: S104 - compared, not bound
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _declare(name: str, kind: str, default: Any, shown: str | None) -> str | None:
    declaration = Declaration(name, kind, default, shown)
    known = DECLARED.setdefault(name, [])
    if declaration not in known:
        known.append(declaration)
    return os.environ.get(name)


def _refuse(name: str, expected: str, raw: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Environment variable {name} must be {expected}, not {raw!r}.")


def env_str(name: str, default: str = "", *, shown: str | None = None, choices: tuple[str, ...] = ()) -> str:
    raw = _declare(name, "str", default, shown)
    value = default if raw is None else raw.strip()
    if choices and value not in choices:
        raise _refuse(name, "one of " + ", ".join(choices), value)
    return value


def env_bool(name: str, default: bool, *, shown: str | None = None) -> bool:
    raw = _declare(name, "bool", default, shown)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _refuse(name, "true or false", raw)


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None, shown: str | None = None
) -> int:
    raw = _declare(name, "int", default, shown)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise _refuse(name, "a whole number", raw) from None
    _check_bounds(name, value, minimum, maximum)
    return value


def env_float(
    name: str,
    default: float,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    shown: str | None = None,
) -> float:
    raw = _declare(name, "float", default, shown)
    if raw is None:
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise _refuse(name, "a number", raw) from None
    _check_bounds(name, value, minimum, maximum)
    return value


def env_list(name: str, default: list[str], *, shown: str | None = None) -> list[str]:
    """A comma-separated list; blanks around items and empty items are dropped."""
    raw = _declare(name, "list", list(default), shown)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int_list(name: str, default: list[int], *, minimum: int | None = None, shown: str | None = None) -> list[int]:
    raw = _declare(name, "int list", list(default), shown)
    if raw is None:
        return list(default)
    try:
        values = [int(item.strip()) for item in raw.split(",") if item.strip()]
    except ValueError:
        raise _refuse(name, "whole numbers separated by commas", raw) from None
    for value in values:
        _check_bounds(name, value, minimum, None)
    return values


def env_json(name: str, default: Any, *, shown: str | None = None) -> Any:
    """A structured value written as JSON (e.g. `[[90, "Xuất sắc"], [0, "Yếu"]]`); the application
    checks its shape where it uses it."""
    raw = _declare(name, "json", default, shown)
    if raw is None or not raw.strip():
        return default
    try:
        return json.loads(raw)
    except ValueError:
        raise _refuse(name, "valid JSON", raw) from None


def _check_bounds(name: str, value: float, minimum: float | None, maximum: float | None) -> None:
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"Environment variable {name} must be at least {minimum}, not {value}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"Environment variable {name} must be at most {maximum}, not {value}.")
