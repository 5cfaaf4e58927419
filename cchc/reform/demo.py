"""Demo PAR Index: the sample template for 2025 (self-assessed and appraised: about 76 points, so
there are shortcomings to fix) and 2026 (the current year: partly self-assessed, computed criteria
live from the service index). Scores and evidence are fictional. Everything goes through the
services, acting as the agency's reform officer; running it again changes nothing."""

from datetime import date
from decimal import Decimal

from cchc.accounts.models import Agency, User
from cchc.accounts.roles import Role

from . import criteria_file, services
from .models import Criterion, ParYear

APPRAISED_ON_2025 = date(2026, 3, 20)

# code: (self-score or survey score, appraised score); computed criteria have no self-score.
SCORES_2025: dict[str, tuple[str | None, str]] = {
    "1.1.1": ("1", "1"),
    "1.1.2": ("1.5", "1"),
    "1.2": ("1", "1"),
    "1.3": ("1.5", "1"),
    "1.4": ("1.5", "1"),
    "1.5": ("1.5", "0.5"),
    "1.6": ("1.5", "1.5"),
    "2.1": ("3", "2.5"),
    "2.2": ("2", "2"),
    "2.3": ("1.5", "1"),
    "2.4": ("1.5", "1.5"),
    "3.1.1": ("1", "1"),
    "3.1.2": (None, "2"),
    "3.2": ("2", "1"),
    "3.3.1": (None, "2.8"),
    "3.3.2": (None, "0.5"),
    "3.3.3": ("1", "0.5"),
    "3.3.4": (None, "0.5"),
    "3.4.1": (None, "1.5"),
    "3.4.2": ("1", "1"),
    "4.1": ("2", "2"),
    "4.2": ("3", "2.5"),
    "4.3": ("1.5", "1.5"),
    "4.4": ("1.5", "1"),
    "5.1": ("2.5", "2"),
    "5.2": ("2", "2"),
    "5.3": ("2", "1.5"),
    "5.4": ("1.5", "1.5"),
    "5.5": ("2", "1.5"),
    "6.1": ("3", "3"),
    "6.2": ("2.5", "2"),
    "6.3": ("2", "2"),
    "7.1": ("3", "2.5"),
    "7.2": ("2", "2"),
    "7.3.1": (None, "1.5"),
    "7.3.2": (None, "1.5"),
    "7.3.3": (None, "1"),
    "7.4": (None, "1"),
    "7.5": (None, "0.5"),
    "8.1": ("8", "8"),
    "8.2": (None, "3.2"),
    "8.3": ("4.5", "4.5"),
    "8.4.1": ("2", "1.5"),
    "8.4.2": ("2", "1.5"),
}

# The current year so far: the self-assessment is under way (1.5, 2.4, 4.4 and 6.2 not scored yet).
# With the demo dossiers' live figures this projects to about 78 points: short of 80.
SCORES_2026: dict[str, str] = {
    "1.1.1": "1",
    "1.1.2": "1.25",
    "1.2": "1",
    "1.3": "1.5",
    "1.4": "1.25",
    "1.6": "1.5",
    "2.1": "2.5",
    "2.2": "2",
    "2.3": "1.5",
    "3.1.1": "1",
    "3.2": "2",
    "3.3.3": "1",
    "3.4.2": "1",
    "4.1": "2",
    "4.2": "3",
    "4.3": "1.5",
    "5.1": "2.5",
    "5.2": "2",
    "5.3": "2",
    "5.4": "1.5",
    "5.5": "2",
    "6.1": "3",
    "6.3": "2",
    "7.1": "2.5",
    "7.2": "2",
    "8.1": "8.5",
    "8.3": "4.5",
    "8.4.1": "2",
    "8.4.2": "1.5",
}

NOTES: dict[tuple[int, str], str] = {
    (2025, "1.5"): "Mô hình “Một cửa không chờ” mới triển khai thí điểm, chưa được công nhận là sáng kiến.",
    (2025, "3.3.1"): "Một số hồ sơ cấp giấy phép lái xe quý IV quá hạn do hệ thống sát hạch bảo trì.",
    (2026, "1.1.2"): "Còn 2 nhiệm vụ của kế hoạch đang thực hiện, dự kiến xong trong tháng 12.",
    (2026, "8.1"): "Điểm ước tính theo kết quả khảo sát nội bộ; chờ kết quả điều tra SIPAS của tỉnh.",
    (2026, "8.3"): "Điểm ước tính theo phiếu khảo sát cán bộ, công chức tháng 10.",
}

EVIDENCE: list[tuple[int, str, str, str]] = [
    (2025, "1.1.1", "Quyết định ban hành Kế hoạch CCHC năm 2025", "https://vanban.binhson.example.vn/qd-2025-kh-cchc"),
    (2025, "1.2", "Báo cáo CCHC năm 2025", "https://vanban.binhson.example.vn/bc-2025-cchc"),
    (2025, "3.1.1", "Danh mục thủ tục hành chính đang công khai", "/thu-tuc/"),
    (2026, "1.1.1", "Quyết định ban hành Kế hoạch CCHC năm 2026", "https://vanban.binhson.example.vn/qd-2026-kh-cchc"),
    (2026, "3.1.1", "Danh mục thủ tục hành chính đang công khai", "/thu-tuc/"),
    (2026, "3.4.2", "Trang công khai chất lượng phục vụ", "/cong-khai/chat-luong-phuc-vu/"),
]


def _reform_officer(agency: Agency) -> User | None:
    return User.objects.filter(agency=agency, role=Role.REFORM_OFFICER, is_active=True).order_by("pk").first()


def _year(agency: Agency, year: int) -> tuple[ParYear, int]:
    existed = ParYear.objects.filter(agency=agency, year=year).exists()
    par_year = services.par_year_load(
        agency=agency,
        year=year,
        data=criteria_file.SAMPLE_TEMPLATE.read_bytes(),
        filename=criteria_file.SAMPLE_TEMPLATE.name,
        actor=None,
    )
    return par_year, 0 if existed else 1


def _score(par_year: ParYear, actor: User, scores: dict[str, str | None]) -> int:
    changes = 0
    criteria = {c.code: c for c in Criterion.objects.filter(par_year=par_year).select_related("par_year__agency")}
    for code, value in scores.items():
        criterion = criteria[code]
        score = Decimal(value) if value is not None else None
        note = NOTES.get((par_year.year, code), criterion.notes)
        if criterion.self_score == score and criterion.notes == note:
            continue
        services.criterion_update(
            criterion=criterion,
            actor=actor,
            self_score=score,
            notes=note,
            responsible_unit=criterion.responsible_unit,
        )
        changes += 1
    return changes


def _evidence(agency: Agency, actor: User) -> int:
    added = 0
    for year, code, title, link in EVIDENCE:
        criterion = Criterion.objects.select_related("par_year__agency").get(
            par_year__agency=agency, par_year__year=year, code=code
        )
        if criterion.evidence.filter(title=title).exists():
            continue
        services.evidence_add(criterion=criterion, actor=actor, title=title, link=link)
        added += 1
    return added


def load_demo_reform(agency: Agency) -> int:
    """Load the demo PAR Index of `agency`; returns how many things were created or changed."""
    actor = _reform_officer(agency)
    past, changes = _year(agency, 2025)
    current, created = _year(agency, 2026)
    changes += created
    if actor is None:
        return changes
    changes += _score(past, actor, {code: self_score for code, (self_score, _a) in SCORES_2025.items()})
    appraised = {code: Decimal(value) for code, (_s, value) in SCORES_2025.items()}
    before = dict(Criterion.objects.filter(par_year=past).values_list("code", "appraised_score"))
    if past.appraised_on != APPRAISED_ON_2025 or any(before.get(c) != v for c, v in appraised.items()):
        services.par_year_appraise(par_year=past, actor=actor, scores=appraised, appraised_on=APPRAISED_ON_2025)
        changes += 1
    changes += _score(current, actor, dict(SCORES_2026))
    changes += _evidence(agency, actor)
    return changes
