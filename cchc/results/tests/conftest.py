"""Fixtures for the results tests: a throwaway agency certificate and a dossier ready to sign."""

import pytest
from django.core.cache import cache

from cchc.dossiers.services import dossier_mark_paid
from cchc.dossiers.tests.helpers import act, drive_to_decision_step, submit
from cchc.results.certificates import make_demo_certificate

PASSWORD = "test-only-pass"  # noqa: S105
ELECTRONIC = "1.000010"  # Đổi giấy phép lái xe: full-process online, electronic result (a licence)
PAPER = "1.001035"  # Văn bản chấp thuận xây dựng công trình thiết yếu: a paper result


@pytest.fixture(scope="session")
def agency_p12(tmp_path_factory):
    path = tmp_path_factory.mktemp("signing") / "agency.p12"
    make_demo_certificate(path, PASSWORD)
    return path


@pytest.fixture
def signing(settings, agency_p12):
    """Tests sign with their own certificate, never the installation's."""
    settings.CCHC_SIGNING_P12_PATH = str(agency_p12)
    settings.CCHC_SIGNING_P12_PASSWORD = PASSWORD
    return agency_p12


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
