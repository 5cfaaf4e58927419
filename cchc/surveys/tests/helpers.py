"""Builders for survey tests: dossiers driven to "returned" through the dossier services."""

import re

from cchc.dossiers.models import Notification
from cchc.dossiers.services import dossier_mark_paid
from cchc.dossiers.tests.helpers import CITIZEN, act, drive_to_decision_step, submit

# QLVT leads it; a paper result, so no electronic signature has to wait in the way.
PROCEDURE = "1.003683"
ALL_FIVES = {"access": 5, "procedure": 5, "officer": 5, "result": 5, "feedback": 5}


def returned(username: str = "congdan", code: str = PROCEDURE, applicant=CITIZEN):
    dossier = submit(username, code=code, applicant=applicant)
    # Paid up front, so a payment guard (whatever the procedure's payment stage) never waits.
    dossier_mark_paid(dossier=dossier, online=True)
    dossier = drive_to_decision_step(dossier)
    dossier = act(dossier, "lanhdao", "approve", comment="Đồng ý")
    dossier = act(dossier, "motcua", "result_ready")
    return act(dossier, "motcua", "return_result", return_method="counter")


def invitation_token(dossier) -> str:
    """The token in the invitation email's link."""
    body = Notification.objects.get(dossier=dossier, kind="survey.invitation").body
    return re.search(r"[?&]t=([\w-]+)", body).group(1)
