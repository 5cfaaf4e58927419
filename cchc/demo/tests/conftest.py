"""The demo dossiers sign their electronic results: with a throwaway certificate here."""

import pytest

from cchc.results.certificates import make_demo_certificate

PASSWORD = "test-only-pass"  # noqa: S105


@pytest.fixture(scope="session")
def agency_p12(tmp_path_factory):
    path = tmp_path_factory.mktemp("signing") / "agency.p12"
    make_demo_certificate(path, PASSWORD)
    return path


@pytest.fixture(autouse=True)
def signing(settings, agency_p12):
    settings.CCHC_SIGNING_P12_PATH = str(agency_p12)
    settings.CCHC_SIGNING_P12_PASSWORD = PASSWORD
    return agency_p12
