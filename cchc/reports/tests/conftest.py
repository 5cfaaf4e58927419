"""A hand-computed February 2025 for the service index, in a unit of its own.

Rows are created directly (the dossier services are exercised in the test that drives a dossier
through a supplementation pause, and in the dossiers app): every figure below is worked out by
hand in `EXPECTED` of test_service_index.py. Office hours 07:00–11:30 and 13:30–17:00; Tết 2025
is 25/01–02/02; a time limit of 5 working days is 2,400 working minutes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from django.core.cache import cache
from django.db.models import F

from cchc.accounts.models import Unit, User
from cchc.complaints.models import Complaint
from cchc.core.calendar import VN_TZ
from cchc.dossiers.models import Apology, Channel, Dossier, DossierDocument, SupplementRequest
from cchc.dossiers.workflow import Status
from cchc.dvcqg import client as dvcqg_client
from cchc.procedures.models import Component, FeeItem, Field, Procedure, ProcedureVersion, ProcessStep
from cchc.results.models import SignedResult
from cchc.surveys.models import Rating

_real_endpoints = dvcqg_client.endpoints

PERIOD = (date(2025, 2, 1), date(2025, 2, 28))
NOW = datetime(2025, 3, 15, 10, 0, tzinfo=VN_TZ)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


@pytest.fixture(autouse=True)
def _portal_not_connected(monkeypatch):
    """The hand-computed figures read indicator 1.4 as measured at the portal (entered): no connection
    to DVCQG, while the other simulators (the demo's payments) stay on. The tests of 1.4 computed from
    the outbox ask for `portal_connected`."""
    monkeypatch.setattr(dvcqg_client, "endpoints", lambda: None)


@pytest.fixture
def portal_connected(monkeypatch):
    """CCHC synchronises with (the simulated) DVCQG."""
    monkeypatch.setattr(dvcqg_client, "endpoints", _real_endpoints)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@dataclass
class February:
    unit: Unit
    procedures: dict[str, Procedure]
    dossiers: dict[str, Dossier] = field(default_factory=dict)

    def codes(self, rows) -> set[str]:
        names = {d.pk: name for name, d in self.dossiers.items()}
        return {names[row.pk] for row in rows if row.pk in names}


def _procedure(agency, unit, code, *, online_level, fee=0, step_hours=(8, 24, 8), result_type="paper") -> Procedure:
    procedure = Procedure.objects.create(code=code, agency=agency)
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        status=ProcedureVersion.Status.PUBLISHED,
        effective_from=at(2024, 1, 1),
        published_at=at(2024, 1, 1),
        name=f"Thủ tục thử nghiệm {code}",
        field=Field.objects.order_by("code").first(),
        unit=unit,
        applicants="Cá nhân",
        time_limit_value=5,
        time_limit_unit=ProcedureVersion.TimeUnit.WORKING_DAYS,
        online_level=online_level,
        result_type=result_type,
        result_name="Giấy phép",
        legal_basis="Nghị định 00/2024/NĐ-CP",
    )
    Component.objects.create(version=version, order=1, name="Đơn đề nghị")
    for order, hours in enumerate(step_hours, start=1):
        ProcessStep.objects.create(
            version=version, order=order, name=f"Bước {order}", unit=unit, role="specialist", hours=hours
        )
    if fee:
        FeeItem.objects.create(version=version, kind="fee", name="Lệ phí", amount=fee, online_amount=fee - 20000)
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    return procedure


@pytest.fixture
def february(demo) -> February:
    unit = Unit.objects.create(
        agency=demo,
        code="BCTEST",
        name="Phòng Thử nghiệm báo cáo",
        kind=Unit.Kind.DIVISION,
        valid_from=date(2020, 1, 1),
    )
    procedures = {
        # online, electronic result, fee 100,000 (80,000 online), complete
        "P1": _procedure(demo, unit, "9.000001", online_level=4, fee=100000, result_type="electronic"),
        # online (partly), no fee, complete
        "P2": _procedure(demo, unit, "9.000002", online_level=3),
        # not online, fee, incomplete: its steps add up to 32 hours, not 40
        "P3": _procedure(demo, unit, "9.000003", online_level=2, fee=50000, step_hours=(8, 16, 8)),
        # online, no fee, complete, no online dossier in February
        "P4": _procedure(demo, unit, "9.000004", online_level=4, result_type="electronic"),
    }
    data = February(unit=unit, procedures=procedures)
    counter = User.objects.get(username="motcua")
    specialist = User.objects.get(username="chuyenvien")
    leader = User.objects.get(username="lanhdao")

    def dossier(
        name,
        procedure="P1",
        *,
        channel=Channel.ONLINE,
        status=Status.RETURNED,
        received=None,
        due=None,
        finished=None,
        original_due=None,
        deadline=None,
        paused_since=None,
        submitted=None,
        documents=("digitised",),
        **extra,
    ):
        proc = procedures[procedure]
        row = Dossier.objects.create(
            code=f"BC-{name}",
            agency=demo,
            procedure=proc,
            procedure_version=proc.current_version,
            status=status,
            channel=channel,
            return_method="counter",
            applicant_kind="citizen",
            applicant_name=f"Người nộp {name}",
            submitted_at=submitted or received,
            received_at=received,
            received_by=counter if received else None,
            counted_from=received,
            original_due_at=original_due or due,
            due_at=due,
            # what lateness is judged against: moved by pauses (already in `due`), never by an apology
            deadline_at=deadline or due,
            finished_at=finished,
            returned_at=finished if status == Status.RETURNED else None,
            paused_since=paused_since,
            **extra,
        )
        component = proc.current_version.components.get(order=1)
        for kind in documents:
            DossierDocument.objects.create(
                dossier=row,
                component=component
                if kind != "paper-extra"
                else Component.objects.create(version=proc.current_version, order=2, name="Bản vẽ"),
                digitised=kind in ("digitised", "reused"),
                reused=kind == "reused",
                paper_received=kind != "reused",
            )
        data.dossiers[name] = row
        return row

    def supplement(row, requested, answered, minutes):
        Dossier.objects.filter(pk=row.pk).update(processing_supplements=F("processing_supplements") + 1)
        SupplementRequest.objects.create(
            dossier=row,
            stage=SupplementRequest.Stage.PROCESSING,
            items=["Bản sao giấy tờ"],
            reason="Thiếu giấy tờ",
            paused_from_status=Status.IN_PROGRESS,
            requested_at=requested,
            requested_by=specialist,
            answered_at=answered,
            paused_minutes=minutes,
        )

    # Early: two days and an hour into five.
    d1 = dossier(
        "D1",
        received=at(2025, 2, 3, 8),
        due=at(2025, 2, 10, 8),
        finished=at(2025, 2, 5, 9),
        documents=("reused",),
        fee_amount=80000,
        paid_at=at(2025, 2, 3, 8),
        paid_online=True,
    )
    # On time: finished on the due day.
    d2 = dossier(
        "D2",
        received=at(2025, 2, 10, 7),
        due=at(2025, 2, 14, 17),
        finished=at(2025, 2, 14, 15),
        documents=("reused",),
        fee_amount=80000,
        paid_at=at(2025, 2, 10, 7),
        paid_online=True,
    )
    # Late by two working days; one paper-only component.
    dossier(
        "D3",
        channel=Channel.COUNTER,
        received=at(2025, 2, 10, 7),
        due=at(2025, 2, 14, 17),
        finished=at(2025, 2, 18, 9),
        documents=("digitised", "paper-extra"),
        fee_amount=100000,
        paid_at=at(2025, 2, 10, 7),
    )
    # Would be late against 07/02 17:00, but waited two working days for the applicant: due 11/02 17:00.
    d4 = dossier(
        "D4",
        received=at(2025, 2, 3, 7),
        original_due=at(2025, 2, 7, 17),
        due=at(2025, 2, 11, 17),
        finished=at(2025, 2, 10, 10),
        fee_amount=80000,
        paid_at=at(2025, 1, 31, 9),
        paid_online=True,
    )
    supplement(d4, at(2025, 2, 5, 7), at(2025, 2, 7, 7), 960)
    # Finished before its (moved) deadline, but the applicant was asked twice during processing: late.
    d5 = dossier(
        "D5",
        received=at(2025, 2, 3, 7),
        original_due=at(2025, 2, 7, 17),
        due=at(2025, 2, 11, 17),
        finished=at(2025, 2, 11, 10),
    )
    supplement(d5, at(2025, 2, 4, 7), at(2025, 2, 5, 7), 480)
    supplement(d5, at(2025, 2, 6, 7), at(2025, 2, 7, 7), 480)
    # Withdrawn after reception, past its appointment: never counted by progress (but it was received).
    dossier("D6", status=Status.WITHDRAWN, received=at(2025, 2, 4, 7), due=at(2025, 2, 10, 17))
    # Refused at reception: never received.
    dossier("D7", status=Status.REFUSED, documents=(), submitted=at(2025, 2, 5, 9))
    # Received the Friday before Tết, due after it (07/02 08:00), finished 06/02: on time, counted in February.
    d8 = dossier("D8", received=at(2025, 1, 24, 8), due=at(2025, 2, 7, 8), finished=at(2025, 2, 6, 10))
    # Received in February, finished in March: not February's progress.
    dossier(
        "D9",
        channel=Channel.COUNTER,
        received=at(2025, 2, 26, 7),
        due=at(2025, 3, 4, 17),
        finished=at(2025, 3, 3, 10),
        documents=(),
    )
    # Open and past its deadline at the end of February: late.
    dossier("D10", status=Status.IN_PROGRESS, received=at(2025, 2, 17, 7), due=at(2025, 2, 21, 17))
    # Open and within its time at the end of February: not counted yet.
    dossier(
        "D11",
        channel=Channel.COUNTER,
        status=Status.IN_PROGRESS,
        received=at(2025, 2, 27, 7),
        due=at(2025, 3, 5, 17),
        documents=("paper",),
    )
    # Waiting for the applicant since before its deadline: the clock is stopped, not late.
    d12 = dossier(
        "D12",
        status=Status.WAITING_SUPPLEMENT,
        received=at(2025, 2, 10, 7),
        due=at(2025, 2, 14, 17),
        paused_since=at(2025, 2, 12, 7),
    )
    supplement(d12, at(2025, 2, 12, 7), None, 0)
    # Apologised for, with a new appointment it met: still late against the old one.
    d13 = dossier(
        "D13",
        channel=Channel.COUNTER,
        received=at(2025, 2, 3, 7),
        original_due=at(2025, 2, 7, 17),
        due=at(2025, 2, 14, 17),
        deadline=at(2025, 2, 7, 17),
        finished=at(2025, 2, 12, 10),
        fee_amount=100000,
        paid_at=at(2025, 2, 3, 7),
    )
    Apology.objects.create(
        dossier=d13,
        reason="Chờ ý kiến phối hợp",
        old_due_at=at(2025, 2, 7, 17),
        new_due_at=at(2025, 2, 14, 17),
        issued_at=at(2025, 2, 5, 9),
        issued_by=leader,
    )
    # P2, online, early.
    dossier("D14", "P2", received=at(2025, 2, 11, 7), due=at(2025, 2, 17, 17), finished=at(2025, 2, 13, 10))
    # P4 at the counter, two weeks late.
    dossier(
        "D16",
        "P4",
        channel=Channel.COUNTER,
        received=at(2025, 2, 3, 7),
        due=at(2025, 2, 7, 17),
        finished=at(2025, 2, 20, 10),
    )

    for row in (d1, d2, d4):
        SignedResult.objects.create(
            dossier=row,
            name="Giấy phép",
            kind="generic",
            file=f"results/{row.code}.pdf",
            sha256=row.code.ljust(64, "0"),
            signed_at=row.finished_at,
            signer=leader,
            signer_name="Lãnh đạo",
            certificate_subject="CN=Sở",
            certificate_serial="01",
            certificate_fingerprint="f" * 64,
            certificate_pem="-",
        )

    def complaint(code, *, due, dossier=None, procedure=None, outcome="", answered=None):
        return Complaint.objects.create(
            code=code,
            kind=Complaint.Kind.COMPLAINT,
            agency=demo,
            dossier=dossier,
            procedure=procedure,
            submitter_name="Người phản ánh",
            content="Nội dung",
            submitted_at=at(2025, 2, 1, 8),
            unit=unit,
            status=Complaint.Status.ANSWERED if outcome else Complaint.Status.NEW,
            time_limit_days=10,
            due_at=due,
            answer="Trả lời" if outcome else "",
            answered_at=answered,
            outcome=outcome,
        )

    complaint("PA-T1", due=at(2025, 2, 14, 17), dossier=d2, outcome="on_time", answered=at(2025, 2, 14, 9))
    complaint("PA-T2", due=at(2025, 2, 14, 17), procedure=procedures["P3"], outcome="late", answered=at(2025, 2, 20, 9))
    complaint("PA-T3", due=at(2025, 2, 20, 17), dossier=data.dossiers["D3"])  # never answered: overdue
    t4 = complaint(
        "PA-T4", due=at(2025, 2, 25, 17), procedure=procedures["P1"], outcome="early", answered=at(2025, 2, 18, 9)
    )
    # Answered early, but its sender was not satisfied with the answer (Decision 766, 5.3).
    Complaint.objects.filter(pk=t4.pk).update(feedback="dissatisfied", feedback_at=at(2025, 2, 19, 9))
    complaint("PA-T5", due=at(2025, 3, 20, 17), procedure=procedures["P1"])  # March's deadline: not February's

    def rating(row, *, officer, rated):
        Rating.objects.create(
            dossier=row,
            score_access=4,
            score_procedure=5,
            score_officer=officer,
            score_result=4,
            score_feedback=5,
            channel="online",
            rated_at=rated,
        )

    rating(d4, officer=2, rated=at(2025, 2, 11, 9))  # a "dislike"
    rating(d8, officer=5, rated=at(2025, 2, 7, 9))
    return data
