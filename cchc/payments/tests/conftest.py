"""Fixtures for the payment tests: no network, ever."""

import pytest

from cchc.payments import providers
from cchc.payments.providers import RefundResult, VnpayProvider, register_provider

_REAL_POST_JSON = providers.post_json


class RecordedCalls(list):
    answer = RefundResult(ok=True, response_code="00", message="Refund success")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    def refuse(url, payload, *, timeout=None):
        raise AssertionError(f"a test tried to reach {url}")

    monkeypatch.setattr(providers, "post_json", refuse)


@pytest.fixture
def simulator_api(monkeypatch, simulator):
    """VNPAY's merchant API (querydr, refund) answered by the simulator server, over HTTP.
    Returns the list of requests sent."""
    sent = []

    def post(url, payload, *, timeout=None):
        sent.append(payload)
        return _REAL_POST_JSON(url, payload, timeout=timeout or providers.HTTP_TIMEOUT_SECONDS)

    monkeypatch.setattr(providers, "post_json", post)
    return sent


@pytest.fixture
def recording_provider():
    """VNPAY whose refunds are recorded instead of sent (answering `answer`, by default success)."""
    calls = RecordedCalls()

    class Recording(VnpayProvider):
        def refund(self, payment, amount, *, actor):
            calls.append({"reference": payment.reference, "amount": amount, "actor": actor})
            return calls.answer

    previous = register_provider("vnpay", Recording)
    yield calls
    register_provider("vnpay", previous)
