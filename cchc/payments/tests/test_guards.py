"""When the fee is due: before reception (online dossiers) or before the result is returned."""

import pytest

from cchc.core.errors import Conflict
from cchc.dossiers.models import Dossier
from cchc.dossiers.policies import available_actions
from cchc.dossiers.services import position_of
from cchc.dossiers.tests.helpers import act, drive_to_decision_step, submit, user
from cchc.payments.services import payment_counter_cash, payment_ipn

from .helpers import BEFORE_RECEPTION, BEFORE_RESULT, fresh, ipn_params, started

pytestmark = pytest.mark.django_db


def test_an_online_dossier_is_not_received_until_its_fee_is_paid(demo):
    dossier, payment, _url = started(BEFORE_RECEPTION)
    assert dossier.fee_amount == 115_000  # the online price
    with pytest.raises(Conflict) as refused:
        act(dossier, "motcua", "receive")
    assert "chưa nộp phí" in refused.value.message
    assert fresh(dossier).status == "submitted"
    assert "receive" not in available_actions(user("motcua"), dossier, position_of(dossier))

    payment_ipn(provider_name="vnpay", params=ipn_params(payment))
    dossier = act(fresh(dossier), "motcua", "receive")
    assert dossier.status == "received"


def test_the_counter_may_take_the_fee_in_cash_for_an_online_dossier(demo):
    dossier = submit(code=BEFORE_RECEPTION)
    payment_counter_cash(dossier=dossier, officer=user("motcua"))
    assert act(fresh(dossier), "motcua", "receive").status == "received"


def test_a_procedure_without_fee_is_received_at_once(demo):
    dossier = submit(code="1.002859")  # a badge: no fee
    assert dossier.fee_amount == 0
    assert act(dossier, "motcua", "receive").status == "received"


def test_a_fee_due_with_the_result_waits_at_return_not_at_reception(demo):
    dossier = submit(code=BEFORE_RESULT)
    assert dossier.fee_amount == 70_000
    dossier = drive_to_decision_step(dossier)  # reception is not held up
    dossier = act(dossier, "lanhdao", "approve", comment="Đồng ý")
    dossier = act(dossier, "motcua", "result_ready")
    with pytest.raises(Conflict) as refused:
        act(dossier, "motcua", "return_result", return_method="counter")
    assert "thu phí trước khi trả kết quả" in refused.value.message
    payment_counter_cash(dossier=fresh(dossier), officer=user("motcua"))
    dossier = act(Dossier.objects.get(pk=dossier.pk), "motcua", "return_result", return_method="counter")
    assert dossier.status == "returned"
