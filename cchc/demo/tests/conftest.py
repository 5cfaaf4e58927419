"""The demo dossiers sign their electronic results: with the suite's throwaway certificate."""

import pytest


@pytest.fixture(autouse=True)
def _sign_with_a_test_certificate(signing):
    return signing
