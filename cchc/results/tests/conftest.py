"""Fixtures for the results tests: a throwaway agency certificate and a dossier ready to sign."""

import pytest
from django.core.cache import cache

from cchc.dossiers.services import dossier_mark_paid
from cchc.dossiers.tests.helpers import act, drive_to_decision_step, submit

ELECTRONIC = "1.000010"  # Đổi giấy phép lái xe: full-process online, electronic result (a licence)
PAPER = "1.001035"  # Văn bản chấp thuận xây dựng công trình thiết yếu: a paper result


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def paid_submission(code: str = ELECTRONIC, username: str = "congdan"):
    dossier = submit(username=username, code=code)
    return dossier_mark_paid(dossier=dossier, online=True)  # the fee is due before reception


def received_dossier(code: str = ELECTRONIC, username: str = "congdan"):
    return act(paid_submission(code, username), "motcua", "receive")


def approved_dossier(code: str = ELECTRONIC, username: str = "congdan"):
    dossier = drive_to_decision_step(paid_submission(code, username))
    return act(dossier, "lanhdao", "approve", comment="Đồng ý cấp")


@pytest.fixture
def approved(demo, signing):
    return approved_dossier()


@pytest.fixture
def signed(approved):
    dossier = act(approved, "lanhdao", "sign_result")
    return dossier.signed_result
