"""Builders for complaint tests."""

from cchc.accounts.models import Unit
from cchc.accounts.roles import Role
from cchc.accounts.services import user_upsert
from cchc.complaints.services import complaint_submit
from cchc.dossiers.tests.helpers import user
from cchc.procedures.models import Procedure

PROCEDURE = "1.003683"  # led by QLVT


def about_procedure(code: str = PROCEDURE, *, username: str | None = "congdan", **fields):
    values = {
        "kind": "complaint",
        "content": "Hướng dẫn thành phần hồ sơ trên cổng chưa rõ ràng.",
        "name": "Nguyễn Văn An",
        "phone": "0912345678",
        "email": "an@example.vn",
    } | fields
    return complaint_submit(
        submitter=user(username) if username else None, procedure=Procedure.objects.get(code=code), **values
    )


def about_dossier(dossier, *, username: str = "congdan", **fields):
    values = {
        "kind": "petition",
        "content": "Đề nghị cho biết vì sao hồ sơ chậm.",
        "name": "Nguyễn Văn An",
        "email": "an@example.vn",
    } | fields
    return complaint_submit(submitter=user(username), dossier=dossier, **values)


def kcht_specialist(agency):
    return user_upsert(
        username="chuyenvien_kcht",
        password=None,
        role=Role.SPECIALIST,
        full_name="Trần Văn Hạ Tầng",
        agency=agency,
        unit=Unit.objects.get(agency=agency, code="KCHT"),
    )
