"""The PAR Index arithmetic (domain.md §8) as pure functions: no database, no web.

A year's criteria form a tree named by dotted codes ("1" → "1.2" → "1.2.3"). Only leaves are
scored; a parent's figures are the sums of its children's:

- a leaf's *computed* score follows its method: `self` takes the self-score, `survey` the score
  entered from the survey, `indicator` takes max_points × value ÷ 100 of the linked service-index
  indicator (None when the indicator has nothing to measure);
- the *projected* score is the computed score, or 0 while there is none (no points are claimed
  without a score), always within [0, max_points];
- the *recoverable* points are max_points − projected: what the leaf could still bring.

The index is points ÷ maximum × 100; its band comes from a table of (minimum, label) pairs,
highest first (setting `CCHC_PAR_BANDS`, see `config`); the gap is what the index lacks to reach
the target (0 once reached).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

SELF, INDICATOR, SURVEY = "self", "indicator", "survey"
METHODS = frozenset({SELF, INDICATOR, SURVEY})

# Typical bands (domain.md §8, unconfirmed, set per province): ≥ 90, 80–<90, 70–<80, < 70.
DEFAULT_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), _("Xuất sắc")),
    (Decimal(80), _("Tốt")),
    (Decimal(70), _("Khá")),
    (Decimal(0), _("Yếu")),
)


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value) -> Decimal | None:
    """None stays None; ints, floats (through their shortest text) and strings become Decimals."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a score is not a boolean")
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def parent_code(code: str) -> str | None:
    """`"1.2.3"` → `"1.2"`; a domain (`"1"`) has no parent."""
    head, dot, _tail = code.rpartition(".")
    return head if dot else None


def code_key(code: str) -> tuple[int, ...]:
    """Sort key giving tree order: 1, 1.1, 1.2, 1.10, 2 (numbers, not text)."""
    return tuple(int(part) for part in code.split("."))


def clamp(value: Decimal, maximum: Decimal) -> Decimal:
    return min(max(value, ZERO), maximum)


def leaf_score(*, method: str, max_points: Decimal, self_score: Decimal | None, indicator_value=None) -> Decimal | None:
    """The score a leaf earns by its method, within [0, max_points]; None when there is none yet."""
    if method == INDICATOR:
        value = to_decimal(indicator_value)
        if value is None:
            return None
        return quantize(clamp(max_points * clamp(value, HUNDRED) / HUNDRED, max_points))
    if method not in METHODS:
        raise ValueError(f"unknown scoring method {method!r}")
    if self_score is None:
        return None
    return quantize(clamp(self_score, max_points))


@dataclass(frozen=True)
class CriterionInput:
    code: str
    max_points: Decimal
    method: str = SELF
    self_score: Decimal | None = None
    # The linked indicator's value, a percentage 0–100 (None: nothing to measure).
    indicator_value: float | Decimal | None = None
    appraised_score: Decimal | None = None


@dataclass(frozen=True)
class ScoredCriterion:
    code: str
    parent: str | None
    depth: int
    is_leaf: bool
    max_points: Decimal
    method: str
    self_score: Decimal | None
    computed_score: Decimal | None
    appraised_score: Decimal | None
    projected: Decimal
    recoverable: Decimal


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def score_tree(items: Iterable[CriterionInput]) -> list[ScoredCriterion]:
    """Score every criterion; the result is in tree order. A code whose parent is absent is a root."""
    by_code = {item.code: item for item in items}
    children: dict[str | None, list[str]] = {}
    for code in by_code:
        parent = parent_code(code)
        children.setdefault(parent if parent in by_code else None, []).append(code)
    scored: dict[str, ScoredCriterion] = {}

    def visit(code: str, depth: int) -> ScoredCriterion:
        item = by_code[code]
        kids = [visit(child, depth + 1) for child in sorted(children.get(code, ()), key=code_key)]
        maximum = item.max_points
        if kids:
            node = ScoredCriterion(
                code=code,
                parent=parent_code(code) if parent_code(code) in by_code else None,
                depth=depth,
                is_leaf=False,
                max_points=maximum,
                method=item.method,
                self_score=_sum(k.self_score for k in kids),
                computed_score=_sum(k.computed_score for k in kids),
                appraised_score=_sum(k.appraised_score for k in kids),
                projected=clamp(sum((k.projected for k in kids), ZERO), maximum),
                recoverable=ZERO,
            )
        else:
            computed = leaf_score(
                method=item.method,
                max_points=maximum,
                self_score=item.self_score,
                indicator_value=item.indicator_value,
            )
            node = ScoredCriterion(
                code=code,
                parent=parent_code(code) if parent_code(code) in by_code else None,
                depth=depth,
                is_leaf=True,
                max_points=maximum,
                method=item.method,
                self_score=None if item.method == INDICATOR else item.self_score,
                computed_score=computed,
                appraised_score=item.appraised_score,
                projected=computed if computed is not None else ZERO,
                recoverable=ZERO,
            )
        node = ScoredCriterion(**{**node.__dict__, "recoverable": maximum - node.projected})
        scored[code] = node
        return node

    for root in sorted(children.get(None, ()), key=code_key):
        visit(root, 0)
    return sorted(scored.values(), key=lambda node: code_key(node.code))


def roots(scored: Sequence[ScoredCriterion]) -> list[ScoredCriterion]:
    return [node for node in scored if node.parent is None]


def total_max(scored: Sequence[ScoredCriterion]) -> Decimal:
    return sum((node.max_points for node in roots(scored)), ZERO)


def projected_total(scored: Sequence[ScoredCriterion]) -> Decimal:
    return sum((node.projected for node in roots(scored)), ZERO)


def appraised_total(scored: Sequence[ScoredCriterion]) -> Decimal | None:
    return _sum(node.appraised_score for node in roots(scored))


def index_of(points: Decimal, maximum: Decimal) -> Decimal:
    """Index = points ÷ maximum × 100, to the hundredth (0 for an empty tree)."""
    if maximum <= 0:
        return ZERO
    return quantize(points / maximum * HUNDRED)


def band_for(index: Decimal, bands: Sequence[tuple[Decimal, str]] = DEFAULT_BANDS) -> str:
    """The label of the first band (highest minimum first) whose minimum the index reaches;
    below every minimum, the lowest band."""
    for minimum, label in bands:
        if index >= minimum:
            return str(label)
    return str(bands[-1][1])


def band_rank(index: Decimal, bands: Sequence[tuple[Decimal, str]] = DEFAULT_BANDS) -> int:
    """0 for the highest band, growing downwards (the position of `band_for`'s band)."""
    for position, (minimum, _label) in enumerate(bands):
        if index >= minimum:
            return position
    return len(bands) - 1


def gap_to_target(index: Decimal, target: Decimal) -> Decimal:
    """Points the index still lacks to reach the target; 0 once reached."""
    return max(quantize(target - index), ZERO)


def recoverable_leaves(scored: Iterable[ScoredCriterion]) -> list[ScoredCriterion]:
    """Leaves that can still bring points, the most recoverable first (tree order among equals)."""
    leaves = [node for node in scored if node.is_leaf and node.recoverable > 0]
    return sorted(leaves, key=lambda node: (-node.recoverable, code_key(node.code)))


def parse_bands(raw) -> tuple[tuple[Decimal, str], ...]:
    """Check a band table from the settings: non-empty (minimum, label) pairs, minimums strictly
    decreasing, none negative. Raises ValueError naming the problem."""
    if not raw:
        raise ValueError("the band table is empty")
    bands = []
    for entry in raw:
        if not isinstance(entry, list | tuple) or len(entry) != 2:
            raise ValueError(f"a band is a (minimum, label) pair, not {entry!r}")
        minimum, label = to_decimal(entry[0]), str(entry[1]).strip()
        if minimum is None or minimum < 0 or not label:
            raise ValueError(f"bad band {entry!r}")
        if bands and minimum >= bands[-1][0]:
            raise ValueError("band minimums must be strictly decreasing")
        bands.append((minimum, label))
    return tuple(bands)
