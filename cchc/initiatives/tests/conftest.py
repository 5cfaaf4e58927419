"""Initiative fixtures: a unit of its own with hand-made dossiers around a start date, and
initiatives of other units and of the other agency (to prove they stay out of reach).

The figures (worked by hand, see test_effect.py): an initiative of unit SKTEST started on
01/03/2025, looked at on 10/07/2025 (four whole months later, so the 3-month window applies):
before = 01/12/2024–28/02/2025, after = 01/03/2025–31/05/2025.
"""

from datetime import date, datetime

import pytest
from django.core.cache import cache

from cchc.accounts.models import Agency, Unit, User
from cchc.core.calendar import VN_TZ
from cchc.dossiers.models import Channel, Dossier
from cchc.dossiers.workflow import Status
from cchc.initiatives.models import Initiative
from cchc.procedures.models import Field, Procedure, ProcedureVersion

OTHER_AGENCY_CODE = "000.00.10.H99"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def user(username: str) -> User:
    return User.objects.get(username=username)


def make_initiative(agency, unit, title, *, status=Initiative.Status.APPLIED, started_on=date(2025, 3, 1), **extra):
    """Rows made directly for reads; the services are tested on their own."""
    return Initiative.objects.create(
        agency=agency,
        unit=unit,
        title=title,
        started_on=started_on,
        description="Mô tả sáng kiến thử nghiệm.",
        status=status,
        **extra,
    )


def _procedure(agency, unit, code) -> Procedure:
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
        online_level=4,
        result_type="paper",
        result_name="Giấy phép",
        legal_basis="Nghị định 00/2024/NĐ-CP",
    )
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    return procedure


@pytest.fixture
def sktest(demo) -> Unit:
    return Unit.objects.create(
        agency=demo,
        code="SKTEST",
        name="Phòng Thử nghiệm sáng kiến",
        kind=Unit.Kind.DIVISION,
        valid_from=date(2020, 1, 1),
    )


@pytest.fixture
def dossiers(demo, sktest):
    """Received on day d, due five days later at 17:00, finished on time or two days late."""
    own = _procedure(demo, sktest, "9.100001")
    elsewhere = _procedure(demo, Unit.objects.get(agency=demo, code="KCHT"), "9.100002")
    counter = user("motcua")
    made = []

    def dossier(procedure, day: date, *, late: bool, online: bool):
        received = at(day.year, day.month, day.day, 8)
        due = at(day.year, day.month, day.day + 5, 17)
        finished = at(day.year, day.month, day.day + (7 if late else 3), 9)
        made.append(
            Dossier.objects.create(
                code=f"SK-{len(made):03d}",
                agency=demo,
                procedure=procedure,
                procedure_version=procedure.current_version,
                status=Status.RETURNED,
                channel=Channel.ONLINE if online else Channel.COUNTER,
                return_method="counter",
                applicant_kind="citizen",
                applicant_name="Người nộp thử",
                submitted_at=received,
                received_at=received,
                received_by=counter,
                counted_from=received,
                original_due_at=due,
                due_at=due,
                deadline_at=due,
                finished_at=finished,
                returned_at=finished,
            )
        )

    # Before (December–February): 2 of 4 on time (50 %), 1 of 4 online (25 %).
    dossier(own, date(2024, 12, 2), late=False, online=True)
    dossier(own, date(2025, 1, 6), late=False, online=False)
    dossier(own, date(2025, 1, 13), late=True, online=False)
    dossier(own, date(2025, 2, 10), late=True, online=False)
    # After (March–May): 3 of 4 on time (75 %), 3 of 4 online (75 %).
    dossier(own, date(2025, 3, 3), late=False, online=True)
    dossier(own, date(2025, 4, 7), late=False, online=True)
    dossier(own, date(2025, 5, 5), late=False, online=True)
    dossier(own, date(2025, 5, 12), late=True, online=False)
    # Outside both windows: ignored.
    dossier(own, date(2024, 11, 4), late=True, online=False)
    dossier(own, date(2025, 6, 2), late=True, online=False)
    # Another unit's, after the start: only the agency-wide figure sees it (late, at the counter).
    dossier(elsewhere, date(2025, 4, 14), late=True, online=False)
    return made


@pytest.fixture
def other_agency(demo) -> Agency:
    return Agency.objects.get(code=OTHER_AGENCY_CODE)


@pytest.fixture
def spread(demo, other_agency):
    """One initiative in QLVT, one in KCHT, one in the other agency."""
    qlvt = Unit.objects.get(agency=demo, code="QLVT")
    kcht = Unit.objects.get(agency=demo, code="KCHT")
    foreign_unit = Unit.objects.get(agency=other_agency, code="QLXD")
    return {
        "qlvt": make_initiative(
            demo, qlvt, "Sáng kiến của Phòng Quản lý vận tải", indicator_codes=["progress.on_time"]
        ),
        "kcht": make_initiative(demo, kcht, "Sáng kiến của Phòng Kết cấu hạ tầng", status=Initiative.Status.PROPOSED),
        "foreign": make_initiative(other_agency, foreign_unit, "Sáng kiến của Sở Xây dựng"),
    }
