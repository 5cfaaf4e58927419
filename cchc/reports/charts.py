"""Charts drawn on the server as SVG: horizontal bars, and a line or columns over months.

Pure: numbers in, markup out; no database, no JavaScript, nothing fetched from elsewhere. Each
chart is an `<svg role="img">` with an `aria-label`, a `<title>` and a `<desc>` that reads the
figures out, and comes with the same figures as a table (`Chart.columns`/`Chart.rows`) that the
pages show in a `<details>` beside it, so nothing depends on seeing the picture.

Layout without a viewBox: horizontal positions are percentages of the chart's width and
vertical ones pixels, so a chart fills a phone's width without shrinking its text. Value labels
that would crowd a narrow screen carry the class `chart-crowded`, which the stylesheet hides
there (the table still has them). Colours meet WCAG contrast on white: the ink and the blue of
the site (text 4.5:1 or more; bars 3:1 or more), red for late, green for on time.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html import escape as html_escape
from math import isfinite

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

INK = "#1d1d1f"
MUTED = "#5b6470"  # 5.9:1 on white
BLUE = "#0b4f8a"  # 8.6:1 on white; white text on it 8.6:1
RED = "#b3261e"  # 6.5:1
GREEN = "#1e7b34"  # 5.3:1
TRACK = "#e6ebf1"
GRID = "#c9d1da"
# Characters XML does not allow (control characters, unpaired surrogates, U+FFFE/U+FFFF).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
TONES = {"": BLUE, "good": GREEN, "bad": RED, "muted": MUTED}

BAR_ROW = 48  # pixels per bar: a label line, the bar, a gap
BAR_HEIGHT = 18
LABEL_CHARS = 52  # longer labels are cut in the picture (the table and the tooltip keep them whole)
PLOT_HEIGHT = 180
PLOT_TOP = 22
PLOT_LEFT = 0.1  # the share of the width kept for the values of the vertical axis


def number(value: float | int | None, decimals: int = 1) -> str:
    """Vietnamese notation, halves rounded up as the index rounds them: `1.234`, `85,3`, `100`;
    an en dash for no value."""
    if value is None or (isinstance(value, float) and not isfinite(value)):
        return "–"
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _dot, fraction = f"{abs(rounded):f}".partition(".")
    fraction = fraction.rstrip("0")
    return sign + f"{int(whole):,}".replace(",", ".") + ("," + fraction if fraction else "")


def percent(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else f"{number(value, decimals)}%"


@dataclass(frozen=True)
class Bar:
    """One bar: `value` against `maximum` (or against the chart's largest value when None)."""

    label: str
    value: float | None
    maximum: float | None = None
    text: str = ""  # the value as shown; by default the number
    tone: str = ""  # "", "good", "bad" or "muted"
    href: str = ""  # where the table's row leads (the list behind the figure)
    cells: tuple = ()  # more columns for the table: texts or `Cell`s


@dataclass(frozen=True)
class Point:
    """One month of a series: `label` such as "02/2026"; None is a gap (nothing measured)."""

    label: str
    value: float | None
    text: str = ""
    href: str = ""
    cells: tuple = ()
    tick: str = ""  # a shorter label under the axis ("02/26"); by default `label`


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, and the list it opens if any."""

    text: str
    href: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    href: str = ""


def _cells(values: Iterable) -> tuple[Cell, ...]:
    return tuple(v if isinstance(v, Cell) else Cell(str(v)) for v in values)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    svg: SafeString
    columns: tuple[str, ...]  # the table's headings, the first one over the labels
    rows: tuple[Row, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not self.rows

    def __str__(self) -> str:
        return self.svg


def escape(text: str, quote: bool = True) -> str:
    """Text as XML character data or attribute value: escaped, without what XML cannot hold."""
    return html_escape(NOT_XML.sub("", str(text)), quote=quote)


def _attrs(**attrs) -> str:
    out = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        out.append(f'{name}="{escape(str(value), quote=True)}"')
    return " ".join(out)


def _cut(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(share: float) -> str:
    return f"{max(0.0, min(share, 1.0)) * 100:.3f}".rstrip("0").rstrip(".") + "%"


def _svg(chart_id: str, title: str, desc: str, height: int, body: Iterable[str], css_class: str) -> SafeString:
    head = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        width="100%",
        height=height,
        role="img",
        aria_label=title,
        aria_describedby=f"{chart_id}-desc",
        class_=f"chart-svg {css_class}",
        id=chart_id,
        focusable="false",
    )
    parts = [
        f"<svg {head}>",
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text and attribute above is escaped


def _describe(items: Sequence[tuple[str, str]], empty: str) -> str:
    if not items:
        return empty
    return "; ".join(f"{label}: {text}" for label, text in items) + "."


# ---------------------------------------------------------------- horizontal bars


def bar_chart(
    *,
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    columns: Sequence[str],
    empty: str | None = None,
) -> Chart:
    """One bar per row, its label above it and its value at its end.

    A bar with its own `maximum` is drawn as a share of it (a group's points against the group's
    maximum); otherwise against the largest value of the chart (counts)."""
    empty = empty or _("Không có số liệu.")
    largest = max((b.value for b in bars if b.value is not None and b.maximum is None), default=0) or 1
    body: list[str] = []
    for i, bar in enumerate(bars):
        top = i * BAR_ROW
        scale = bar.maximum if bar.maximum else largest
        share = (bar.value or 0) / scale if scale else 0
        text = bar.text or number(bar.value)
        colour = TONES.get(bar.tone, BLUE)
        body.append("<g>")
        body.append(f"<title>{escape(bar.label)}: {escape(text)}</title>")
        body.append(f"<text {_attrs(x=0, y=top + 14, fill=INK, class_='chart-label')}>{escape(_cut(bar.label))}</text>")
        body.append(f"<rect {_attrs(x=0, y=top + 20, width='100%', height=BAR_HEIGHT, fill=TRACK, rx=3)}/>")
        if bar.value is not None and share > 0:
            fill = _attrs(x=0, y=top + 20, width=_pct(share), height=BAR_HEIGHT, fill=colour, rx=3, class_="chart-bar")
            body.append(f"<rect {fill}/>")
        inside = share > 0.7
        value_attrs = _attrs(
            x=_pct(share),
            dx=-6 if inside else 6,
            y=top + 20 + BAR_HEIGHT - 4,
            fill="#ffffff" if inside else INK,
            text_anchor="end" if inside else "start",
            class_="chart-value",
        )
        body.append(f"<text {value_attrs}>{escape(text)}</text>")
        body.append("</g>")
    rows = tuple(Row(b.label, _cells((b.text or number(b.value), *b.cells)), b.href) for b in bars)
    desc = _describe([(b.label, b.text or number(b.value)) for b in bars], empty)
    height = max(len(bars) * BAR_ROW, BAR_ROW)
    if not bars:
        body.append(f"<text {_attrs(x=0, y=20, fill=MUTED, class_='chart-empty')}>{escape(empty)}</text>")
    return Chart(
        id=chart_id,
        title=title,
        desc=desc,
        svg=_svg(chart_id, title, desc, height, body, "chart-bars"),
        columns=tuple(columns),
        rows=rows,
    )


# ---------------------------------------------------------------- months


def _axis(y_max: float, suffix: str, steps: int = 4) -> list[str]:
    """Horizontal grid lines, their values at the left."""
    out = []
    for k in range(steps + 1):
        value = y_max * k / steps
        y = PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * k / steps
        out.append(f"<line {_attrs(x1=_pct(PLOT_LEFT), x2='100%', y1=y, y2=y, stroke=GRID, stroke_width=1)}/>")
        out.append(
            f"<text {_attrs(x=0, y=y + 4, fill=MUTED, class_='chart-tick')}>{escape(number(value) + suffix)}</text>"
        )
    return out


def _x(i: float, n: int) -> float:
    """The share of the width at position `i` (0.5 = the middle of the first month)."""
    return PLOT_LEFT + (1 - PLOT_LEFT) * i / n


def _month_labels(points: Sequence[Point]) -> list[str]:
    n = len(points)
    out = []
    for i, point in enumerate(points):
        x = _pct(_x(i + 0.5, n))
        # Every other month is hidden on a narrow screen, counting back from the last one.
        crowded = "chart-month chart-crowded" if (n - 1 - i) % 2 else "chart-month"
        y = PLOT_TOP + PLOT_HEIGHT + 18
        tick = _attrs(x=x, y=y, fill=MUTED, text_anchor="middle", class_=crowded)
        out.append(f"<text {tick}>{escape(point.tick or point.label)}</text>")
    return out


def _y(value: float, y_max: float) -> float:
    share = max(0.0, min(value / y_max, 1.0)) if y_max else 0.0
    return round(PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * share, 2)


def line_chart(
    *,
    chart_id: str,
    title: str,
    points: Sequence[Point],
    columns: Sequence[str],
    y_max: float = 100,
    suffix: str = "%",
    empty: str | None = None,
) -> Chart:
    """A value per month joined by a line; a month without a value breaks the line."""
    empty = empty or _("Không có số liệu.")
    n = len(points) or 1
    body = _axis(y_max, suffix)
    previous: tuple[str, float] | None = None
    dots: list[str] = []
    for i, point in enumerate(points):
        if point.value is None:
            previous = None
            continue
        x, y = _pct(_x(i + 0.5, n)), _y(point.value, y_max)
        if previous is not None:
            segment = _attrs(x1=previous[0], y1=previous[1], x2=x, y2=y, stroke=BLUE, stroke_width=3)
            body.append(f'<line {segment} class="chart-line"/>')
        previous = (x, y)
        text = point.text or number(point.value) + suffix
        dots.append(
            f"<g><title>{escape(point.label)}: {escape(text)}</title>"
            f"<circle {_attrs(cx=x, cy=y, r=5, fill=BLUE, stroke='#ffffff', stroke_width=2, class_='chart-dot')}/>"
            f"<text {_attrs(x=x, y=y - 10, fill=INK, text_anchor='middle', class_='chart-value chart-crowded')}>"
            f"{escape(text)}</text></g>"
        )
    body += dots + _month_labels(points)
    return _months_chart(chart_id, title, points, columns, suffix, body, empty, "chart-line-chart")


def column_chart(
    *,
    chart_id: str,
    title: str,
    points: Sequence[Point],
    columns: Sequence[str],
    y_max: float,
    suffix: str = "",
    empty: str | None = None,
) -> Chart:
    """A column per month against `y_max`; a month without a value has no column."""
    empty = empty or _("Không có số liệu.")
    n = len(points) or 1
    body = _axis(y_max, suffix)
    for i, point in enumerate(points):
        if point.value is None:
            continue
        y = _y(point.value, y_max)
        text = point.text or number(point.value) + suffix
        column = _attrs(
            x=_pct(_x(i + 0.2, n)),
            y=y,
            width=_pct(_x(0.6, n) - PLOT_LEFT),
            height=round(PLOT_TOP + PLOT_HEIGHT - y, 2),
            fill=BLUE,
        )
        label = _attrs(x=_pct(_x(i + 0.5, n)), y=y - 5, fill=INK, text_anchor="middle")
        body.append(
            f"<g><title>{escape(point.label)}: {escape(text)}</title>"
            f'<rect {column} class="chart-bar"/>'
            f'<text {label} class="chart-value chart-crowded">{escape(text)}</text></g>'
        )
    body += _month_labels(points)
    return _months_chart(chart_id, title, points, columns, suffix, body, empty, "chart-columns")


def _months_chart(chart_id, title, points, columns, suffix, body, empty, css_class) -> Chart:
    measured = [(p.label, p.text or number(p.value) + suffix) for p in points if p.value is not None]
    desc = _describe(measured, empty)
    if not measured:
        note = _attrs(x=_pct(_x(0.5, 1)), y=PLOT_TOP + PLOT_HEIGHT / 2, fill=MUTED, text_anchor="middle")
        body.append(f'<text {note} class="chart-empty">{escape(empty)}</text>')
    rows = tuple(
        Row(p.label, _cells(((p.text or number(p.value) + suffix) if p.value is not None else "–", *p.cells)), p.href)
        for p in points
    )
    return Chart(
        id=chart_id,
        title=title,
        desc=desc,
        svg=_svg(chart_id, title, desc, PLOT_TOP + PLOT_HEIGHT + 26, body, css_class),
        columns=tuple(columns),
        rows=rows if measured else (),
    )
