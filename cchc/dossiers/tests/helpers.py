"""Builders for dossier tests: real dossiers made through the services."""

from contextlib import contextmanager
from datetime import datetime
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.accounts.models import User
from cchc.dossiers.rules import ApplicantData
from cchc.dossiers.services import ActionInput, DocumentInput, dossier_act, dossier_submit_online
from cchc.procedures.models import Procedure

PDF = b"%PDF-1.4\n% test document\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

CITIZEN = ApplicantData(
    kind="citizen",
    name="Nguyễn Văn An",
    id_number="001203004567",
    phone="0912345678",
    email="an@example.vn",
    address="Số 1 đường Lê Lợi, Bình Sơn",
)


def user(username: str) -> User:
    return User.objects.get(username=username)


def documents_for(procedure: Procedure, content: bytes = PDF) -> list[DocumentInput]:
    return [
        DocumentInput(component_id=c.pk, file=SimpleUploadedFile(f"c{c.pk}.pdf", content))
        for c in procedure.current_version.components.all()
    ]


def submit(username: str = "congdan", code: str = "1.000010", key: str = "", applicant=CITIZEN):
    procedure = Procedure.objects.get(code=code)
    dossier, _created = dossier_submit_online(
        user=user(username),
        procedure=procedure,
        applicant=applicant,
        return_method="online",
        documents=documents_for(procedure),
        idempotency_key=key,
    )
    return dossier


def act(dossier, username: str, action: str, **data):
    return dossier_act(dossier=dossier, actor=user(username), action=action, data=ActionInput(**data))


@contextmanager
def frozen(moment: datetime):
    """Services read `cchc.core.clock`, which outside a replay is django.utils.timezone.now."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def drive_to_decision_step(dossier):
    dossier = act(dossier, "motcua", "receive")
    dossier = act(dossier, "motcua", "forward")
    dossier = act(dossier, "truongphong", "assign", assignee="chuyenvien")
    dossier = act(dossier, "chuyenvien", "forward", comment="Đủ điều kiện, đề nghị trình ký")
    return act(dossier, "truongphong", "forward")
