"""Satisfaction scores and indexes (SIPAS, domain.md §9): pure arithmetic, no database.

Five factors, each answered on a five-point scale. A factor's index is the share of
"satisfied" or "very satisfied" answers (4 or 5), as a percentage; the overall index is the
mean of the factor indexes. A score of 2 or less on any factor is a complaint in all but
name: it opens a follow-up for the head of the unit that handled the dossier.
"""

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

FACTORS: tuple[str, ...] = ("access", "procedure", "officer", "result", "feedback")
FACTOR_LABELS = {
    "access": _("Tiếp cận dịch vụ hành chính công"),
    "procedure": _("Thủ tục hành chính"),
    "officer": _("Công chức trực tiếp giải quyết công việc"),
    "result": _("Kết quả cung ứng dịch vụ hành chính công"),
    "feedback": _("Việc tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị"),
}
# Answered only by an applicant who sent a complaint or petition: "không áp dụng" (None) otherwise,
# and then counted in neither the factor's answers nor its satisfied ones.
OPTIONAL_FACTORS = frozenset({"feedback"})
SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
SCALE_LABELS = {
    1: _("Rất không hài lòng"),
    2: _("Không hài lòng"),
    3: _("Bình thường"),
    4: _("Hài lòng"),
    5: _("Rất hài lòng"),
}
SATISFIED_FROM = 4  # "satisfied" and "very satisfied"
LOW_UP_TO = 2  # "dissatisfied" and "very dissatisfied": a follow-up opens


def score_errors(scores: Mapping[str, object]) -> dict[str, str]:
    """What is wrong with a set of answers, by factor, in Vietnamese; empty when all five are 1..5."""
    errors: dict[str, str] = {}
    for factor in FACTORS:
        value = scores.get(factor)
        if value is None and factor in OPTIONAL_FACTORS:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            errors[factor] = str(_("Chọn mức từ 1 đến 5 cho “%(factor)s”.") % {"factor": FACTOR_LABELS[factor]})
    unknown = set(scores) - set(FACTORS)
    if unknown:
        errors["__all__"] = str(_("Tiêu chí đánh giá không hợp lệ: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    return errors


def low_factors(scores: Mapping[str, int]) -> list[str]:
    """The factors answered 2 or less, in the order of FACTORS."""
    return [factor for factor in FACTORS if scores[factor] is not None and scores[factor] <= LOW_UP_TO]


def index_from_counts(satisfied: int, total: int) -> float | None:
    """The share of satisfied answers as a percentage (0..100); None without answers."""
    if total <= 0:
        return None
    return 100.0 * satisfied / total


def factor_index(answers: Iterable[int | None]) -> float | None:
    answers = [a for a in answers if a is not None]
    return index_from_counts(sum(1 for a in answers if a >= SATISFIED_FROM), len(answers))


def overall_index(indexes: Iterable[float | None]) -> float | None:
    """The mean of the factor indexes that have answers; None when none has."""
    known = [value for value in indexes if value is not None]
    if not known:
        return None
    return sum(known) / len(known)


def indexes(ratings: Iterable[Mapping[str, int]]) -> dict[str, float | None]:
    """The five factor indexes and "overall" for a group of ratings."""
    ratings = list(ratings)
    result: dict[str, float | None] = {f: factor_index(r[f] for r in ratings) for f in FACTORS}
    result["overall"] = overall_index(result[f] for f in FACTORS)
    return result
