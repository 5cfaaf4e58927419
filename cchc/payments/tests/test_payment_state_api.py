"""The fee's state in the dossier API and the list of payment attempts (issue 15, item 7)."""

import pytest

from cchc.core.api_utils import iso
from cchc.dossiers.tests.helpers import act, submit, user
from cchc.payments.services import payment_counter_cash, payment_ipn, refund_execute

from .helpers import BEFORE_RECEPTION, fresh, ipn_params, started
from .test_api import _fresh_rate_limits, _token  # noqa: F401 - the autouse fixture applies here too

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _payment(client, code: str, username: str = "congdan") -> dict:
    response = client.get(f"{API}/dossiers/{code}", headers=_token(client, username))
    assert response.status_code == 200, response.content
    return response.json()["payment"]


def test_the_dossier_says_whether_its_fee_is_paid(client, demo):
    """issue 15 item 7: `GET /api/v1/dossiers/{code}` carries `payment: {amount, status, paid_at,
    method}` — the citizen and other systems could not see whether the fee was paid."""
    dossier, payment, _url = started()
    state = _payment(client, dossier.code)
    assert (state["amount"], state["status"], state["paid_at"], state["method"]) == (115_000, "pending", None, None)
    assert state["status_label"] == "Đang chờ cổng thanh toán xác nhận"
    payment_ipn(provider_name="vnpay", params=ipn_params(payment))
    state = _payment(client, dossier.code)
    assert (state["status"], state["method"]) == ("paid", "online")
    assert state["paid_at"] == iso(fresh(dossier).paid_at)
    # Staff who may see the dossier read the same.
    assert _payment(client, dossier.code, "motcua")["status"] == "paid"


def test_a_cash_payment_a_free_dossier_and_an_unpaid_one(client, demo):
    unpaid = submit(code=BEFORE_RECEPTION)
    assert (_payment(client, unpaid.code)["status"], _payment(client, unpaid.code)["amount"]) == ("unpaid", 115_000)
    payment_counter_cash(dossier=unpaid, officer=user("motcua"))
    state = _payment(client, unpaid.code)
    assert (state["status"], state["method"]) == ("paid", "counter")
    free = submit(code="1.002859", key="mien-phi")
    assert _payment(client, free.code) == {
        "amount": 0,
        "status": "not_required",
        "status_label": "Không phải nộp phí, lệ phí",
        "paid_at": None,
        "method": None,
    }


def test_the_attempts_are_listed_with_their_refund(client, demo, recording_provider):
    """`GET /api/v1/dossiers/{code}/payments` lists the attempts: a failed one, then a paid one that
    was refunded when the dossier was refused."""
    dossier, first, _url = started()
    payment_ipn(provider_name="vnpay", params=ipn_params(first, response_code="24", status="02"))
    from cchc.payments.services import payment_start

    second, _url = payment_start(dossier=fresh(dossier), user=user("congdan"))
    payment_ipn(provider_name="vnpay", params=ipn_params(second))
    act(fresh(dossier), "motcua", "refuse", comment="Thủ tục không thuộc thẩm quyền giải quyết của Sở.")
    assert _payment(client, dossier.code)["status"] == "refund_pending"
    response = client.get(f"{API}/dossiers/{dossier.code}/payments", headers=_token(client, "congdan"))
    assert response.status_code == 200
    attempts = response.json()
    assert [(a["reference"], a["status"], a["method"], a["provider"]) for a in attempts] == [
        (first.reference, "cancelled", "online", "vnpay"),
        (second.reference, "refund_pending", "online", "vnpay"),
    ]
    assert attempts[0]["refund"] is None and attempts[0]["paid_at"] is None
    assert attempts[1]["refund"]["amount"] == 115_000 and attempts[1]["refund"]["status"] == "pending"
    refund_execute(refund_id=fresh(second).refunds.get().pk)
    assert _payment(client, dossier.code)["status"] == "refunded"


def test_someone_else_cannot_read_the_attempts(client, demo):
    """Access scoping like the dossier's: another applicant gets 404, anonymous callers 401."""
    dossier, _payment_row, _url = started()
    response = client.get(f"{API}/dossiers/{dossier.code}/payments", headers=_token(client, "congdan2"))
    assert response.status_code == 404 and response.json()["code"] == "dossier_not_found"
    assert client.get(f"{API}/dossiers/{dossier.code}/payments").status_code == 401
    assert client.get(f"{API}/dossiers/{dossier.code}/payments", headers=_token(client, "motcua")).status_code == 200
