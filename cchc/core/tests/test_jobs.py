"""Jobs queued by name (`core.jobs`): every name a module queues is a job some `tasks.py` defines."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cchc.core import jobs

QUEUED = re.compile(r"""jobs\.named\(\s*["']([\w.]+)["']""")


def test_every_job_queued_by_name_is_defined_and_known_at_start_up():
    queued = set()
    for path in (Path(settings.BASE_DIR) / "cchc").rglob("*.py"):
        if "tests" not in path.parts:
            queued |= set(QUEUED.findall(path.read_text(encoding="utf-8")))
    assert {"payments.refund_payment", "dossiers.deliver_notification"} <= queued
    assert queued <= jobs.known(), sorted(queued - jobs.known())


def another_delivery() -> None:
    """A second job under a name already taken."""


def test_a_job_name_is_one_task():
    with pytest.raises(LookupError, match="payments.no_such_job"):
        jobs.named("payments.no_such_job")
    with pytest.raises(ImproperlyConfigured):
        jobs.job("dossiers.deliver_notification")(another_delivery)
    assert jobs.named("dossiers.deliver_notification").module_path == "cchc.dossiers.tasks.deliver_notification"
