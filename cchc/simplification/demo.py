"""Demo data: the 2026 review round of the demo agency with four procedures reviewed and their
proposed changes. The figures are fictional; the first procedure is shaped on the worked case of
domain.md §10 (1,024,000 → 231,000 đồng per dossier, a 77.44 % saving).

Through the services; running it again changes nothing (the round is found by its name and year,
a procedure already in it is left as it is).
"""

from decimal import Decimal

from cchc.accounts.models import User
from cchc.accounts.roles import Role
from cchc.procedures.models import Component, Procedure

from .models import ProcedureReview, ProposedChange, ReviewRound
from .selectors import default_period
from .services import CostValues, change_add, review_add, review_conclude, review_update, round_create

DEMO_YEAR = 2026
DEMO_ROUND = "Rà soát, đơn giản hóa thủ tục hành chính năm 2026 (dữ liệu minh họa)"
DEMO_MONTHLY_INCOME = 7_040_000  # 40,000 đồng an hour: 7,040,000 ÷ 22 ÷ 8


def _values(hours: tuple, expenses: tuple, fees: int | None = None) -> CostValues:
    return CostValues(
        hours=dict(
            zip(("learning", "preparing", "submitting", "waiting", "receiving"), map(Decimal, hours), strict=True)
        ),
        expenses=dict(zip(("copies", "certifications", "travel", "services"), expenses, strict=True)),
        fees=fees,
    )


# code -> before, after, proposals (kind, component name prefix or None, new time limit, description, rationale)
REVIEWS = [
    (
        "1.000010",
        _values(("2", "6", "3", "2", "2"), (20_000, 54_000, 150_000, 65_000)),
        _values(("0.5", "1", "0.25", "0", "0.25"), (0, 0, 0, 36_000), fees=115_000),
        [
            (
                ProposedChange.Kind.DROP_COMPONENT,
                "Bản sao giấy phép lái xe",
                None,
                "Bãi bỏ yêu cầu nộp bản sao giấy phép lái xe đề nghị đổi; cán bộ tra cứu trên Hệ thống quản lý "
                "giấy phép lái xe.",
                "Thông tin giấy phép lái xe đã có trong cơ sở dữ liệu của ngành; người dân không phải sao, chứng thực.",
            ),
            (
                ProposedChange.Kind.OTHER,
                None,
                None,
                "Khai thác giấy khám sức khỏe điện tử liên thông từ cơ sở y tế thay cho bản giấy; trả kết quả qua "
                "bưu chính công ích.",
                "Giảm đi lại: người dân chỉ nộp trực tuyến và nhận kết quả tại nhà.",
            ),
        ],
        "Thống nhất phương án: bãi bỏ bản sao giấy phép lái xe, liên thông giấy khám sức khỏe điện tử. "
        "Chi phí tuân thủ giảm từ 1.024.000 đồng xuống 231.000 đồng mỗi hồ sơ.",
    ),
    (
        "1.002871",
        _values(("8", "40", "4", "16", "4"), (300_000, 500_000, 400_000, 2_000_000)),
        _values(("4", "32", "1", "8", "1"), (150_000, 300_000, 100_000, 1_500_000), fees=0),
        [
            (
                ProposedChange.Kind.OFFER_ONLINE,
                None,
                None,
                "Cung cấp dịch vụ công trực tuyến một phần: cơ sở đào tạo nộp hồ sơ trên Cổng dịch vụ công.",
                "Cơ sở đào tạo phải đến nộp trực tiếp nhiều bộ hồ sơ dày.",
            ),
            (
                ProposedChange.Kind.SHORTEN_TIME_LIMIT,
                None,
                12,
                "Rút ngắn thời hạn giải quyết từ 15 xuống 12 ngày làm việc.",
                "Kiểm tra thực tế và thẩm định có thể làm song song.",
            ),
        ],
        "",
    ),
    (
        "1.001035",
        _values(("4", "24", "2", "8", "2"), (200_000, 150_000, 200_000, 3_000_000)),
        _values(("2", "20", "0.5", "4", "0.5"), (50_000, 0, 0, 3_000_000), fees=0),
        [
            (
                ProposedChange.Kind.FULL_ONLINE,
                None,
                None,
                "Cung cấp dịch vụ công trực tuyến toàn trình, trả văn bản chấp thuận điện tử có chữ ký số.",
                "Hồ sơ thiết kế đã ở dạng điện tử; văn bản chấp thuận có thể ký số.",
            ),
        ],
        "",
    ),
    (
        "1.003683",
        _values(("1", "4", "2", "2", "2"), (30_000, 40_000, 120_000, 0)),
        _values(("1", "3", "0.5", "1", "0.5"), (10_000, 0, 30_000, 0), fees=70_000),
        [
            (
                ProposedChange.Kind.DROP_COMPONENT,
                "Giấy chứng nhận an toàn kỹ thuật",
                None,
                "Bãi bỏ yêu cầu nộp giấy chứng nhận an toàn kỹ thuật; khai thác từ cơ sở dữ liệu đăng kiểm.",
                "Giấy chứng nhận do cơ quan đăng kiểm cấp, đã có trên hệ thống.",
            ),
        ],
        "",
    ),
]


def _officer(agency) -> User | None:
    return (
        User.objects.filter(agency=agency, role=Role.REFORM_OFFICER, is_active=True).order_by("pk").first()
        or User.objects.filter(agency=agency, role=Role.ADMIN, is_active=True).order_by("pk").first()
    )


def _component(review: ProcedureReview, prefix: str | None) -> Component | None:
    if prefix is None:
        return None
    return review.version.components.filter(name__startswith=prefix).order_by("order").first()


def load_demo_simplification(agency) -> int:
    """The demo round and its reviews; returns the number of rows created (0 on a second run)."""
    officer = _officer(agency)
    if officer is None:
        return 0
    created = 0
    round = ReviewRound.objects.filter(agency=agency, year=DEMO_YEAR, name=DEMO_ROUND).first()
    if round is None:
        start, end = default_period()
        round = round_create(
            actor=officer,
            year=DEMO_YEAR,
            name=DEMO_ROUND,
            period_start=start,
            period_end=end,
            monthly_income=DEMO_MONTHLY_INCOME,
            note="Đợt rà soát minh họa: số giờ, chi phí và phương án là dữ liệu giả định.",
        )
        created += 1
    if not round.is_open:
        return created
    for code, before, after, proposals, conclusion in REVIEWS:
        procedure = Procedure.objects.filter(agency=agency, code=code, current_version__isnull=False).first()
        if procedure is None or round.reviews.filter(procedure=procedure).exists():
            continue
        review = review_add(actor=officer, round=round, procedure=procedure, before=before, after=after)
        created += 1
        if review.volume_computed < procedure.annual_volume:
            review = review_update(
                actor=officer,
                review=review,
                volume_override=procedure.annual_volume,
                volume_override_reason="Theo số hồ sơ năm trước ghi trong danh mục (dữ liệu 12 tháng trên hệ "
                "thống chưa đủ một năm).",
            )
        for kind, prefix, new_limit, description, rationale in proposals:
            change_add(
                actor=officer,
                review=review,
                kind=kind,
                component=_component(review, prefix),
                new_time_limit_value=new_limit,
                description=description,
                rationale=rationale,
            )
            created += 1
        if conclusion:
            review_conclude(actor=officer, review=review, conclusion=conclusion)
    return created
