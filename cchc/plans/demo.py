"""Demo data for plans: the 2026 reform plan, two units' commitments, remediation tasks.

Fictional content, written through the services as the demo accounts would. Deadlines are
placed around today (within 2026) so that some tasks are done, some in progress and a few late.
Running it again changes nothing.
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from cchc.accounts.models import User
from cchc.core import clock
from cchc.reform.models import ParYear

from . import rules, services
from .models import Commitment, Plan, Task
from .selectors import last_appraised_year, unit_get
from .workflow import CommitmentStatus, TaskStatus

YEAR = 2026
REFORM_OFFICER, UNIT_HEAD, LEADER = "cchc", "truongphong", "lanhdao"

# code, unit, lead, title, expected output, deadline (fixed date or days from today), status, percent
TASKS = (
    (
        "1",
        "VP",
        "cchc",
        "Xây dựng, ban hành Kế hoạch cải cách hành chính năm 2026 của Sở",
        "Kế hoạch được Giám đốc Sở phê duyệt",
        date(YEAR, 1, 31),
        TaskStatus.DONE,
        100,
    ),
    (
        "2",
        "VP",
        "cchc",
        "Kiện toàn Tổ công tác cải cách hành chính của Sở",
        "Quyết định kiện toàn Tổ công tác",
        date(YEAR, 3, 31),
        TaskStatus.DONE,
        100,
    ),
    (
        "3",
        "QLVT",
        "chuyenvien",
        "Rà soát, đề xuất đơn giản hóa thủ tục đổi giấy phép lái xe",
        "Phương án đơn giản hóa trình UBND tỉnh",
        20,
        TaskStatus.IN_PROGRESS,
        60,
    ),
    (
        "4",
        "QLVT",
        "truongphong",
        "Nâng tỷ lệ hồ sơ đổi giấy phép lái xe nộp trực tuyến lên 80%",
        "Báo cáo kết quả, số liệu từ hệ thống",
        -12,
        TaskStatus.IN_PROGRESS,
        45,
    ),
    (
        "5",
        "MOTCUA",
        "motcua",
        "Số hóa 100% thành phần hồ sơ tiếp nhận tại Bộ phận Một cửa",
        "Hồ sơ điện tử đầy đủ trên hệ thống",
        5,
        TaskStatus.IN_PROGRESS,
        75,
    ),
    (
        "6",
        "KCHT",
        None,
        "Công khai quy trình nội bộ cấp phép thi công trên đường bộ đang khai thác",
        "Quy trình được niêm yết và đăng trên Cổng thông tin",
        -25,
        TaskStatus.NOT_STARTED,
        0,
    ),
    (
        "7",
        "KCHT",
        None,
        "Rút ngắn 20% thời gian giải quyết thủ tục cấp phép thi công",
        "Quy trình nội bộ sửa đổi",
        date(YEAR, 12, 31),
        TaskStatus.NOT_STARTED,
        0,
    ),
    (
        "8",
        "CLCT",
        None,
        "Tập huấn kỹ năng giải quyết thủ tục hành chính cho công chức phòng",
        "Một lớp tập huấn, tài liệu kèm theo",
        date(YEAR, 6, 30),
        TaskStatus.DONE,
        100,
    ),
    (
        "9",
        "KHTC",
        None,
        "Triển khai thanh toán trực tuyến phí, lệ phí cho các thủ tục có thu phí",
        "Tất cả thủ tục có thu phí nhận thanh toán trực tuyến",
        -5,
        TaskStatus.IN_PROGRESS,
        50,
    ),
    (
        "10",
        "TTRA",
        None,
        "Kiểm tra công tác cải cách hành chính tại các đơn vị trực thuộc",
        "Kết luận kiểm tra",
        date(YEAR, 9, 30),
        TaskStatus.DONE,
        100,
    ),
    (
        "11",
        "TTDK",
        None,
        "Niêm yết công khai bộ thủ tục hành chính tại Trung tâm Đăng kiểm",
        "Bảng niêm yết, mã QR tra cứu",
        date(YEAR, 4, 30),
        TaskStatus.DONE,
        100,
    ),
    (
        "12",
        "TTSH",
        None,
        "Khảo sát sự hài lòng của người dự sát hạch lái xe",
        "Báo cáo kết quả khảo sát",
        18,
        TaskStatus.IN_PROGRESS,
        40,
    ),
    (
        "13",
        "VP",
        "cchc",
        "Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử của Sở",
        "Ít nhất 24 tin, bài trong năm",
        date(YEAR, 12, 31),
        TaskStatus.IN_PROGRESS,
        85,
    ),
    (
        "14",
        "CVDT",
        None,
        "Cung cấp dịch vụ công trực tuyến toàn trình cấp giấy phép hoạt động bến thủy nội địa",
        "Dịch vụ công trực tuyến toàn trình",
        23,
        TaskStatus.NOT_STARTED,
        0,
    ),
    (
        "15",
        "VP",
        "cchc",
        "Tổ chức hội thi tìm hiểu về cải cách hành chính",
        "Hội thi cấp Sở",
        date(YEAR, 8, 31),
        TaskStatus.CANCELLED,
        0,
    ),
)

QLVT_TARGETS = (
    ("Hồ sơ giải quyết trước hạn, đúng hạn", "progress.on_time", "gte", Decimal("98")),
    ("Hồ sơ nộp trực tuyến", "online.dossiers", "gte", Decimal("50")),
    ("Mức độ hài lòng của người dân, doanh nghiệp", "satisfaction.satisfaction", "gte", Decimal("90")),
    ("Văn bản đi được ký số, gửi trên môi trường mạng", "", "gte", Decimal("95")),
)
KCHT_TARGETS = (
    ("Hồ sơ giải quyết trước hạn, đúng hạn", "progress.on_time", "gte", Decimal("98")),
    ("Hồ sơ được số hóa thành phần", "digitisation.digitised", "gte", Decimal("80")),
)


def _deadline(value, today: date) -> date:
    if isinstance(value, date):
        return value
    first, last = rules.year_bounds(YEAR)
    return min(max(today + timedelta(days=value), first), last)


def _user(agency, username: str) -> User | None:
    return User.objects.filter(agency=agency, username=username).first()


def _drive(task: Task, status: str, percent: int, *, actor: User, reporter: User) -> None:
    if percent:
        services.task_report_add(
            task=task,
            actor=reporter,
            percent=percent,
            text="Đã triển khai theo kế hoạch; chi tiết trong tài liệu minh chứng (nội dung minh họa).",
            link="https://example.vn/minh-hoa",
        )
    if status == TaskStatus.DONE:
        services.task_transition(task=task, actor=actor, to_status=TaskStatus.DONE)
    elif status == TaskStatus.CANCELLED:
        services.task_transition(
            task=task, actor=actor, to_status=TaskStatus.CANCELLED, reason="Lồng ghép vào hội nghị tổng kết (minh họa)."
        )


def _commitment(agency, *, unit_code: str, targets, drafter: User, manual: Decimal | None) -> tuple[Commitment, int]:
    unit = unit_get(agency_id=agency.pk, code=unit_code)
    existing = Commitment.objects.filter(agency=agency, unit=unit, year=YEAR).first()
    if existing is not None:
        return existing, 0
    commitment = services.commitment_draft(actor=drafter, unit=unit, year=YEAR)
    for label, indicator, comparison, target in targets:
        item = services.commitment_target_add(
            commitment=commitment, actor=drafter, label=label, indicator=indicator, comparison=comparison, target=target
        )
        if not indicator and manual is not None:
            services.commitment_target_record_actual(
                commitment=commitment, actor=drafter, target_id=item.pk, value=manual
            )
    return commitment, 1


def load_demo_plans(agency) -> int:
    """Load the demo plan, commitments and remediation tasks; returns how many rows were added."""
    officer, head, leader = (_user(agency, name) for name in (REFORM_OFFICER, UNIT_HEAD, LEADER))
    if officer is None or head is None or leader is None:
        return 0
    today = clock.localdate()
    added = 0
    plan = Plan.objects.filter(agency=agency, year=YEAR).first()
    if plan is None:
        plan = services.plan_create(
            actor=officer,
            year=YEAR,
            title=f"Kế hoạch cải cách hành chính năm {YEAR}",
            decision_number="15/KH-SGTVT",
            decision_date=date(YEAR - 1, 12, 26),
        )
        added += 1
    for code, unit_code, lead_name, title, output, deadline, status, percent in TASKS:
        if Task.objects.filter(plan=plan, code=code).exists():
            continue
        unit = unit_get(agency_id=agency.pk, code=unit_code)
        lead = _user(agency, lead_name) if lead_name else None
        task = services.task_create(
            plan=plan,
            actor=officer,
            fields=services.TaskFields(
                code=code,
                title=title,
                unit=unit,
                lead=lead,
                deadline=_deadline(deadline, today),
                expected_output=output,
                description="Nội dung minh họa cho bản trình diễn.",
            ),
        )
        _drive(task, status, percent, actor=officer, reporter=lead or officer)
        added += 1

    qlvt, n = _commitment(agency, unit_code="QLVT", targets=QLVT_TARGETS, drafter=officer, manual=Decimal("96.5"))
    added += n
    if qlvt.status == CommitmentStatus.DRAFT:
        qlvt = services.commitment_sign(commitment=qlvt, actor=head)
        added += 1
    if qlvt.status == CommitmentStatus.SIGNED_BY_UNIT and Path(settings.CCHC_SIGNING_P12_PATH).exists():
        services.commitment_countersign(commitment=qlvt, actor=leader)
        added += 1
    _kcht, n = _commitment(agency, unit_code="KCHT", targets=KCHT_TARGETS, drafter=officer, manual=None)
    added += n

    par_year = last_appraised_year(agency_id=agency.pk, before=YEAR)
    if par_year is not None and ParYear.objects.filter(pk=par_year.pk, year=YEAR - 1).exists():
        added += len(services.remediation_tasks_from_appraisal(par_year=par_year, plan=plan, actor=officer))
    return added
