"""Fixtures: a review round of the demo agency over February 2025, and a hand-made procedure with
dossiers whose evidence is worked out by hand (rows created directly, as in cchc/reports/tests).

Office hours 07:00–11:30 and 13:30–17:00; 10–14/02/2025 is an ordinary working week.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from django.core.cache import cache

from cchc.accounts.models import Agency, Unit, User
from cchc.accounts.roles import Role
from cchc.accounts.services import user_upsert
from cchc.core.calendar import VN_TZ
from cchc.dossiers.models import Dossier, DossierDocument, DossierStep, SupplementRequest
from cchc.dossiers.workflow import Status
from cchc.procedures.models import Component, FeeItem, Field, Procedure, ProcedureVersion, ProcessStep
from cchc.simplification.services import CostValues, round_create

INCOME = 7_040_000  # 40,000 đồng an hour
WORKED_BEFORE = CostValues(
    hours={"learning": "2", "preparing": "6", "submitting": "3", "waiting": "2", "receiving": "2"},
    expenses={"copies": 20_000, "certifications": 54_000, "travel": 150_000, "services": 65_000},
)
WORKED_AFTER = CostValues(
    hours={"learning": "0.5", "preparing": "1", "submitting": "0.25", "waiting": "0", "receiving": "0.25"},
    expenses={"copies": 0, "certifications": 0, "travel": 0, "services": 36_000},
    fees=115_000,
)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


def user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(demo) -> User:
    return user("cchc")


@pytest.fixture
def february_round(officer):
    return round_create(
        actor=officer,
        year=2025,
        name="Rà soát thử nghiệm tháng 2/2025",
        period_start=date(2025, 2, 1),
        period_end=date(2025, 2, 28),
        monthly_income=INCOME,
    )


@pytest.fixture
def outsider(demo) -> User:
    """The reform officer of the other agency."""
    other = Agency.objects.get(code="000.00.10.H99")
    return user_upsert(
        username="cchc_soxd",
        password=None,
        role=Role.REFORM_OFFICER,
        full_name="Cán bộ Sở Xây dựng",
        agency=other,
        unit=Unit.objects.get(agency=other, code="VP", valid_to__isnull=True),
    )


@dataclass
class Operations:
    procedure: Procedure
    components: dict[int, Component]
    dossiers: dict[str, Dossier] = field(default_factory=dict)


@pytest.fixture
def operations(demo) -> Operations:
    """A procedure of QLVT (not online, 5 working days) with three components and two steps, and
    February's dossiers:

    * D1–D6 received Mon 10/02 07:00; step 1 (budget 8 h) takes 4 h, step 2 (budget 16 h) 24 working
      hours, judged late. D1 waited 8 working hours for the applicant during step 2 (asked for the
      health certificate by its exact name), so its step 2 ran 32 h of which 24 h worked.
    * D2 was asked at reception for "Thiếu giấy khám sức khỏe …" (names the component inside a
      sentence); D3 for "Ảnh không rõ" (names no component).
    * The licence copy was handed in with D1–D5, taken from the data store for D1–D3.
    * D7 was received in June 2024 (in the 12 months, not in February); D8 is a draft.
    Expected: health certificate 2 requests / 2 of 6 dossiers (33.33 %); copy reused 3 of 5 (60 %);
    step 2 on average 24 h against 16 h; processing on average 28 h against a 40-hour limit.
    """
    qlvt = Unit.objects.get(agency=demo, code="QLVT", valid_to__isnull=True)
    procedure = Procedure.objects.create(code="9.100001", agency=demo)
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        status=ProcedureVersion.Status.PUBLISHED,
        effective_from=at(2024, 1, 1),
        published_at=at(2024, 1, 1),
        name="Thủ tục thử nghiệm rà soát",
        field=Field.objects.order_by("code").first(),
        unit=qlvt,
        applicants="Cá nhân",
        time_limit_value=5,
        time_limit_unit=ProcedureVersion.TimeUnit.WORKING_DAYS,
        online_level=2,
        result_type="paper",
        result_name="Giấy phép",
        legal_basis="Nghị định 00/2024/NĐ-CP",
    )
    components = {
        1: Component.objects.create(version=version, order=1, name="Đơn đề nghị (theo mẫu)"),
        2: Component.objects.create(version=version, order=2, name="Giấy khám sức khỏe của người lái xe"),
        3: Component.objects.create(version=version, order=3, name="Bản sao giấy phép lái xe", required=False),
    }
    steps = {
        1: ProcessStep.objects.create(
            version=version, order=1, name="Tiếp nhận", unit=qlvt, role="one_stop_officer", hours=8
        ),
        2: ProcessStep.objects.create(
            version=version, order=2, name="Thẩm định", unit=qlvt, role="specialist", hours=16
        ),
    }
    FeeItem.objects.create(version=version, kind="fee", name="Lệ phí", amount=135_000, online_amount=115_000)
    FeeItem.objects.create(version=version, order=2, kind="charge", name="Phí", amount=15_000)
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    data = Operations(procedure=procedure, components=components)
    counter, specialist = user("motcua"), user("chuyenvien")

    def dossier(name, *, received, finished=None, status=Status.RETURNED):
        row = Dossier.objects.create(
            code=f"RS-{name}",
            agency=demo,
            procedure=procedure,
            procedure_version=version,
            status=status,
            channel="counter",
            return_method="counter",
            applicant_kind="citizen",
            applicant_name=f"Người nộp {name}",
            received_at=received,
            received_by=counter if received else None,
            counted_from=received,
            due_at=at(2025, 2, 14, 17) if received else None,
            deadline_at=at(2025, 2, 14, 17) if received else None,
            finished_at=finished,
        )
        data.dossiers[name] = row
        return row

    for index in range(1, 7):
        name = f"D{index}"
        step2_end = at(2025, 2, 14, 11) if name == "D1" else at(2025, 2, 13, 11)
        row = dossier(name, received=at(2025, 2, 10, 7), finished=step2_end)
        DossierDocument.objects.create(dossier=row, component=components[1], paper_received=True)
        DossierDocument.objects.create(dossier=row, component=components[2], paper_received=True)
        if index <= 5:
            DossierDocument.objects.create(
                dossier=row, component=components[3], digitised=True, reused=index <= 3, paper_received=index > 3
            )
        DossierStep.objects.create(
            dossier=row,
            process_step=steps[1],
            order=1,
            unit=qlvt,
            role="one_stop_officer",
            budget_hours=8,
            started_at=at(2025, 2, 10, 7),
            due_at=at(2025, 2, 10, 17),
            finished_at=at(2025, 2, 10, 11),
            finished_by=counter,
            outcome=DossierStep.Outcome.EARLY,
        )
        DossierStep.objects.create(
            dossier=row,
            process_step=steps[2],
            order=2,
            unit=qlvt,
            role="specialist",
            budget_hours=16,
            started_at=at(2025, 2, 10, 11),
            due_at=at(2025, 2, 12, 11),
            finished_at=step2_end,
            finished_by=specialist,
            outcome=DossierStep.Outcome.LATE,
        )

    def supplement(row, items, *, stage, requested, minutes=0):
        SupplementRequest.objects.create(
            dossier=row,
            stage=stage,
            items=items,
            reason="Thiếu giấy tờ",
            paused_from_status=Status.IN_PROGRESS,
            requested_at=requested,
            requested_by=specialist,
            answered_at=requested,
            paused_minutes=minutes,
        )

    processing, reception = SupplementRequest.Stage.PROCESSING, SupplementRequest.Stage.RECEPTION
    supplement(
        data.dossiers["D1"],
        ["Giấy khám sức khỏe của người lái xe"],
        stage=processing,
        requested=at(2025, 2, 11, 7),
        minutes=480,
    )
    supplement(
        data.dossiers["D2"],
        ["Thiếu giấy khám sức khỏe của người lái xe còn hiệu lực"],
        stage=reception,
        requested=at(2025, 2, 10, 7),
    )
    supplement(data.dossiers["D3"], ["Ảnh không rõ"], stage=reception, requested=at(2025, 2, 10, 7))
    dossier("D7", received=at(2024, 6, 3, 8), finished=at(2024, 6, 5, 8))
    draft = dossier("D8", received=None, status=Status.DRAFT)
    Dossier.objects.filter(pk=draft.pk).update(created_at=at(2025, 2, 12, 9))
    return data
