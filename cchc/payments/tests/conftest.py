"""Fixtures for the payment tests: no network, ever."""

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client

from cchc.payments import providers
from cchc.payments.providers import RefundResult, VnpayProvider, register_provider


class RecordedCalls(list):
    answer = RefundResult(ok=True, response_code="00", message="Refund success")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    def refuse(url, payload, *, timeout=None):
        raise AssertionError(f"a test tried to reach {url}")

    monkeypatch.setattr(providers, "post_json", refuse)


@pytest.fixture
def simulator_api(monkeypatch):
    """The merchant API (querydr, refund) answered by the local simulator, through Django's test client.
    Returns the list of requests sent."""
    sent = []
    client = Client()

    def post(url, payload, *, timeout=None):
        sent.append(payload)
        response = client.post(urlsplit(url).path, data=json.dumps(payload), content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

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
