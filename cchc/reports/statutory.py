"""The statutory report on handling administrative procedures (báo cáo tình hình, kết quả giải
quyết thủ tục hành chính) for a month, a quarter or a year: the data, an .xlsx file and a PDF.

The table follows the columns of the one-stop statistics every agency reports upwards: per
procedure, grouped under its field (lĩnh vực) with a subtotal per field and a grand total.

Definitions. One agency's dossiers; moments in Vietnam time; the period runs from 00:00 on
`period_start` to 00:00 on the day after `period_end`, written [start, end).

- A dossier is *received for handling* at `received_at` (reception at the counter, or of an online
  or postal submission). Dossiers never received (drafts, submissions still waiting, dossiers
  refused at reception, submissions withdrawn before reception) are outside the balance.
- A received dossier *ends* at `finished_at` when its processing finished (the result is ready,
  whether the decision was to approve or not), or at the moment it was withdrawn by the applicant
  or stopped by the agency (the moment of that history row). Withdrawn and stopped dossiers are
  never "finished".
- *Carried over* (kỳ trước chuyển qua): received before start and not ended before start.
- *New* (mới tiếp nhận): received in [start, end); by channel: online, at the counter, by post.
- *Finished* (đã giải quyết): finished in [start, end), judged by `cchc.dossiers.timeliness`, the
  one rule every report uses: against the deadline (`deadline_at`: the appointment moved by
  supplementation pauses, never by an apology's new appointment), *early* (trước hạn) on a day
  before the deadline's day, *on time* (đúng hạn) on that day by the deadline, *late* (quá hạn)
  after it or with more than one supplementation request during processing.
- *Withdrawn* (rút) and *stopped* (dừng xử lý): received dossiers that ended so in [start, end).
- *Still open* (đang giải quyết): received before end and not ended before end. It is *late* when
  its deadline passed before `as_of` = min(end, now) while its clock ran (`timeliness.clock_ran_out`:
  `deadline_at < as_of` and, for a dossier waiting for supplementation now, also
  `deadline_at < paused_since`). Otherwise it is *within time* (trong hạn). Deadlines and pauses
  are taken as they stand today: a report on a past period sees deadlines moved by a later pause.
- *Apologised* (đã xin lỗi, hẹn lại): of the dossiers finished in the period or still open at its
  end, those with an apology (form 04). Counted apart, for information: an apology never turns a
  late dossier into an on-time one.
- *Refused at reception* (từ chối tiếp nhận): refused in [start, end). Never received, so outside the
  balance; shown in its own column for information.

The balance, per procedure, per field and in total (`Counts.balanced`):

    carried over + new  =  finished + still open + withdrawn + stopped

`dossier_columns` states the same definitions one dossier at a time, in Python; the report
computes them in the database with four queries whatever the number of dossiers (counts per
procedure with `Count(filter=…)`, the endings recorded in the history, the procedures' names, and the
agency's passages through other agencies' inter-agency dossiers for the second table),
and the tests hold the two equal.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThan
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cchc.accounts.models import Agency
from cchc.core import clock
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError
from cchc.core.text import fold
from cchc.core.xlsx import xlsx_bytes
from cchc.dossiers import timeliness
from cchc.dossiers.documents import date_line
from cchc.dossiers.models import Channel, Dossier, DossierEvent, DossierSegment
from cchc.dossiers.workflow import Status
from cchc.procedures.models import Field, Procedure, ProcedureVersion

# ---------------------------------------------------------------- periods

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
PERIOD_KINDS = (
    (MONTH, gettext_lazy("Tháng")),
    (QUARTER, gettext_lazy("Quý")),
    (YEAR, gettext_lazy("Năm")),
)
_ROMAN = tuple(zip((100, 90, 50, 40, 10, 9, 5, 4, 1), ("C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"), strict=True))
_MONTH_RE = re.compile(r"^(?:(?P<y1>\d{4})-(?P<m1>\d{1,2})|(?P<m2>\d{1,2})/(?P<y2>\d{4}))$")
_QUARTER_RE = re.compile(r"^(?:(?P<y1>\d{4})-Q(?P<q1>[1-4])|Q(?P<q2>[1-4])/(?P<y2>\d{4}))$", re.IGNORECASE)
_YEAR_RE = re.compile(r"^\d{4}$")


def roman(number: int) -> str:
    """`4` → `IV`: quarters and the fields of the table are numbered so (below 400)."""
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A reporting period: whole days from `start` to `end`, both included."""

    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        """`tháng 11/2026`, `quý IV/2026`, `năm 2026`, or the range of days."""
        if self.kind == MONTH:
            return _("tháng %(month)s/%(year)s") % {"month": self.start.month, "year": self.start.year}
        if self.kind == QUARTER:
            return _("quý %(quarter)s/%(year)s") % {
                "quarter": roman((self.start.month - 1) // 3 + 1),
                "year": self.start.year,
            }
        if self.kind == YEAR:
            return _("năm %(year)s") % {"year": self.start.year}
        return _("từ ngày %(start)s đến ngày %(end)s") % {
            "start": f"{self.start:%d/%m/%Y}",
            "end": f"{self.end:%d/%m/%Y}",
        }

    @property
    def slug(self) -> str:
        """For file names: `2026-11`, `2026-Q4`, `2026`, `20261101-20261115`."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def month_period(year: int, month: int) -> Period:
    return Period(MONTH, date(year, month, 1), _month_end(year, month))


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(QUARTER, date(year, first, 1), _month_end(year, first + 2))


def year_period(year: int) -> Period:
    return Period(YEAR, date(year, 1, 1), date(year, 12, 31))


def period_of(start: date, end: date) -> Period:
    """The period these days make: a calendar month, quarter or year when they are one."""
    if start.day == 1 and end == _month_end(start.year, start.month):
        return month_period(start.year, start.month)
    if start.day == 1 and start.month % 3 == 1 and end == _month_end(start.year, start.month + 2):
        return quarter_period(start.year, (start.month - 1) // 3 + 1)
    if (start.month, start.day) == (1, 1) and end == date(start.year, 12, 31):
        return year_period(start.year)
    return Period(RANGE, start, end)


def parse_period(kind: str, text: str) -> Period:
    """A month as `2026-11` or `11/2026`, a quarter as `2026-Q4` or `Q4/2026`, a year as `2026`.

    Raises `ApplicationError` with a Vietnamese message for anything else."""
    text = (text or "").strip()
    try:
        if kind == MONTH and (match := _MONTH_RE.match(text)):
            month = int(match["m1"] or match["m2"])
            if 1 <= month <= 12:
                return month_period(int(match["y1"] or match["y2"]), month)
        elif kind == QUARTER and (match := _QUARTER_RE.match(text)):
            return quarter_period(int(match["y1"] or match["y2"]), int(match["q1"] or match["q2"]))
        elif kind == YEAR and _YEAR_RE.match(text):
            return year_period(int(text))
    except ValueError:  # year 0 and the like
        pass
    examples = {
        MONTH: _("Kỳ báo cáo theo tháng ghi dạng 2026-11 hoặc 11/2026."),
        QUARTER: _("Kỳ báo cáo theo quý ghi dạng 2026-Q4 hoặc Q4/2026."),
        YEAR: _("Kỳ báo cáo theo năm ghi dạng 2026."),
    }
    if kind not in examples:
        raise ApplicationError(_("Loại kỳ báo cáo không hợp lệ."), code="invalid_period_kind")
    raise ApplicationError(examples[kind], code="invalid_period")


def current_period(kind: str, today: date) -> Period:
    """The month, quarter or year containing `today`."""
    if kind == QUARTER:
        return quarter_period(today.year, (today.month - 1) // 3 + 1)
    if kind == YEAR:
        return year_period(today.year)
    return month_period(today.year, today.month)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[00:00 on `start`, 00:00 on the day after `end`) in Vietnam time."""
    return (
        datetime.combine(start, time.min, tzinfo=VN_TZ),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=VN_TZ),
    )


# ---------------------------------------------------------------- the numbers


@dataclass(frozen=True)
class Counts:
    """One line of the table. The totals are properties, so they always add up."""

    carried_over: int = 0
    new_online: int = 0
    new_counter: int = 0
    new_post: int = 0
    finished_early: int = 0
    finished_on_time: int = 0
    finished_late: int = 0
    open_within: int = 0
    open_late: int = 0
    withdrawn: int = 0
    stopped: int = 0
    refused: int = 0  # refused at reception: never received, outside the balance
    apologised: int = 0  # finished in the period or still open, with an apology: for information

    @property
    def new(self) -> int:
        return self.new_online + self.new_counter + self.new_post

    @property
    def received(self) -> int:
        """Số hồ sơ nhận giải quyết: carried over and new."""
        return self.carried_over + self.new

    @property
    def finished(self) -> int:
        return self.finished_early + self.finished_on_time + self.finished_late

    @property
    def still_open(self) -> int:
        return self.open_within + self.open_late

    @property
    def balanced(self) -> bool:
        return self.received == self.finished + self.still_open + self.withdrawn + self.stopped

    def cells(self) -> tuple[int, ...]:
        """The numbers in the order of the table's columns (see `COLUMN_GROUPS`)."""
        return (
            self.received,
            self.carried_over,
            self.new_online,
            self.new_counter,
            self.new_post,
            self.finished,
            self.finished_early,
            self.finished_on_time,
            self.finished_late,
            self.still_open,
            self.open_within,
            self.open_late,
            self.withdrawn,
            self.stopped,
            self.refused,
            self.apologised,
        )

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


# The table's header: (label, sub-columns); a label without sub-columns spans both header rows.
COLUMN_GROUPS = (
    (gettext_lazy("STT"), ()),
    (gettext_lazy("Mã thủ tục"), ()),
    (gettext_lazy("Lĩnh vực, thủ tục hành chính"), ()),
    (
        gettext_lazy("Số hồ sơ nhận giải quyết"),
        (
            gettext_lazy("Tổng số"),
            gettext_lazy("Kỳ trước chuyển qua"),
            gettext_lazy("Mới tiếp nhận trực tuyến"),
            gettext_lazy("Mới tiếp nhận trực tiếp"),
            gettext_lazy("Mới tiếp nhận qua dịch vụ bưu chính"),
        ),
    ),
    (
        gettext_lazy("Số hồ sơ đã giải quyết"),
        (gettext_lazy("Tổng số"), gettext_lazy("Trước hạn"), gettext_lazy("Đúng hạn"), gettext_lazy("Quá hạn")),
    ),
    (
        gettext_lazy("Số hồ sơ đang giải quyết"),
        (gettext_lazy("Tổng số"), gettext_lazy("Trong hạn"), gettext_lazy("Quá hạn")),
    ),
    (gettext_lazy("Số hồ sơ rút, dừng giải quyết"), (gettext_lazy("Rút hồ sơ"), gettext_lazy("Dừng xử lý"))),
    (gettext_lazy("Từ chối tiếp nhận"), ()),
    (gettext_lazy("Đã xin lỗi, hẹn lại (không tính là đúng hạn)"), ()),
)
LABEL_COLUMNS = 3  # STT, code, name; then the numbers of `Counts.cells`
COLUMN_COUNT = sum(len(subs) or 1 for _label, subs in COLUMN_GROUPS)


@dataclass(frozen=True)
class PassageCounts:
    """One line of the second table: the agency's passages (`DossierSegment`) through dossiers another
    agency resolves (liên thông), each judged against its own due moment. The totals always add up:
    carried over + new = passed on (early, on time, late) + still here + ended by withdrawal or stop."""

    carried_over: int = 0
    new: int = 0
    left_early: int = 0
    left_on_time: int = 0
    left_late: int = 0
    open_within: int = 0
    open_late: int = 0
    ended: int = 0  # the dossier was withdrawn or stopped: the passage is not judged

    @property
    def received(self) -> int:
        return self.carried_over + self.new

    @property
    def left(self) -> int:
        return self.left_early + self.left_on_time + self.left_late

    @property
    def still_open(self) -> int:
        return self.open_within + self.open_late

    @property
    def balanced(self) -> bool:
        return self.received == self.left + self.still_open + self.ended

    def cells(self) -> tuple[int, ...]:
        return (
            self.received,
            self.carried_over,
            self.new,
            self.left,
            self.left_early,
            self.left_on_time,
            self.left_late,
            self.still_open,
            self.open_within,
            self.open_late,
            self.ended,
        )

    def __add__(self, other: PassageCounts) -> PassageCounts:
        return PassageCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


PASSAGE_TITLE = gettext_lazy("Hồ sơ liên thông do cơ quan khác chủ trì giải quyết: phần việc của cơ quan")
PASSAGE_COLUMN_GROUPS = (
    (gettext_lazy("STT"), ()),
    (gettext_lazy("Mã thủ tục"), ()),
    (gettext_lazy("Thủ tục hành chính"), ()),
    (
        gettext_lazy("Số hồ sơ nhận liên thông"),
        (gettext_lazy("Tổng số"), gettext_lazy("Kỳ trước chuyển qua"), gettext_lazy("Mới nhận")),
    ),
    (
        gettext_lazy("Số hồ sơ đã xử lý xong, chuyển tiếp"),
        (gettext_lazy("Tổng số"), gettext_lazy("Trước hạn"), gettext_lazy("Đúng hạn"), gettext_lazy("Quá hạn")),
    ),
    (
        gettext_lazy("Số hồ sơ đang xử lý"),
        (gettext_lazy("Tổng số"), gettext_lazy("Trong hạn"), gettext_lazy("Quá hạn")),
    ),
    (gettext_lazy("Rút, dừng giải quyết"), ()),
)
PASSAGE_COLUMN_COUNT = sum(len(subs) or 1 for _label, subs in PASSAGE_COLUMN_GROUPS)


@dataclass(frozen=True)
class ProcedureRow:
    code: str
    name: str
    counts: Counts | PassageCounts


@dataclass(frozen=True)
class FieldGroup:
    """A field (lĩnh vực) with its procedures; `subtotal` is the sum of their counts."""

    code: str
    name: str
    rows: tuple[ProcedureRow, ...]
    subtotal: Counts


@dataclass(frozen=True)
class Report:
    agency: Agency
    period: Period
    start: datetime
    end: datetime
    as_of: datetime  # open dossiers are judged at this moment: min(end, when the report was made)
    generated_at: datetime
    groups: tuple[FieldGroup, ...]
    total: Counts
    # Whose dossiers when not the agency's own: "Toàn tỉnh…", "Hồ sơ tiếp nhận tại…" (empty: the agency's).
    coverage: str = ""
    # The agency's passages through other agencies' inter-agency dossiers, a line per procedure (only
    # in an agency's own report; empty when it took part in none).
    passages: tuple[ProcedureRow, ...] = ()
    passages_total: PassageCounts = PassageCounts()

    @property
    def complete(self) -> bool:
        """False while the period is still running: the numbers stop at `as_of`."""
        return self.as_of >= self.end


@dataclass(frozen=True)
class Line:
    """A row of the rendered table: a field's subtotal, a procedure, or the grand total."""

    kind: str  # "field" | "procedure" | "total"
    number: str
    code: str
    name: str
    cells: tuple[int, ...]


def table_lines(report: Report) -> list[Line]:
    """The rows of the table as the three formats print them: per field a bold subtotal row
    numbered I, II, … followed by its procedures numbered 1, 2, …; the grand total last."""
    lines = []
    for index, group in enumerate(report.groups, start=1):
        lines.append(Line("field", roman(index), "", group.name, group.subtotal.cells()))
        for number, row in enumerate(group.rows, start=1):
            lines.append(Line("procedure", str(number), row.code, row.name, row.counts.cells()))
    lines.append(Line("total", "", "", _("Tổng cộng"), report.total.cells()))
    return lines


def passage_table_lines(report: Report) -> list[Line]:
    """The rows of the second table (the agency's inter-agency passages): a line per procedure and the
    total; none when the agency took part in no other agency's dossier."""
    if not report.passages:
        return []
    lines = [
        Line("procedure", str(number), row.code, row.name, row.counts.cells())
        for number, row in enumerate(report.passages, start=1)
    ]
    lines.append(Line("total", "", "", _("Tổng cộng"), report.passages_total.cells()))
    return lines


# ---------------------------------------------------------------- the definition, one dossier at a time


def dossier_columns(
    *,
    status: str,
    channel: str,
    received_at: datetime | None,
    finished_at: datetime | None,
    deadline_at: datetime | None,
    paused_since: datetime | None,
    closed_at: datetime | None,
    start: datetime,
    end: datetime,
    as_of: datetime,
    processing_supplements: int = 0,
    apologised: bool = False,
) -> set[str]:
    """The `Counts` fields one dossier adds to its procedure's line (see the module docstring).

    `closed_at` is when the dossier reached its final status for statuses without a timestamp
    of their own (withdrawn, stopped, refused: the moment of that history row)."""
    columns: set[str] = set()
    if status == Status.REFUSED:
        if closed_at is not None and start <= closed_at < end:
            columns.add("refused")
        return columns
    if received_at is None or received_at >= end:
        return columns
    ended_at = closed_at if status in (Status.WITHDRAWN, Status.STOPPED) else finished_at
    if ended_at is not None and ended_at < start:
        return columns
    if received_at < start:
        columns.add("carried_over")
    else:
        columns.add({Channel.ONLINE: "new_online", Channel.COUNTER: "new_counter", Channel.POST: "new_post"}[channel])
    if ended_at is not None and ended_at < end:
        if status == Status.WITHDRAWN:
            columns.add("withdrawn")
        elif status == Status.STOPPED:
            columns.add("stopped")
        else:
            judged = timeliness.judge_finished(
                finished_at=finished_at, deadline_at=deadline_at, processing_supplements=processing_supplements
            )
            columns.add(f"finished_{judged}")
            if apologised:
                columns.add("apologised")
    else:
        late = timeliness.is_open_late(
            deadline_at=deadline_at, paused_since=paused_since, at=as_of, processing_supplements=processing_supplements
        )
        columns.add("open_late" if late else "open_within")
        if apologised and status not in (Status.WITHDRAWN, Status.STOPPED):
            columns.add("apologised")
    return columns


# ---------------------------------------------------------------- the report


ENDED_UNFINISHED = (Status.WITHDRAWN, Status.STOPPED)
CLOSED_UNFINISHED = (*ENDED_UNFINISHED, Status.REFUSED)


def _handling_counts(where: Q, start: datetime, end: datetime, as_of: datetime) -> dict[int, dict]:
    """Per procedure, from the dossiers alone: every column but those that need the moment a
    dossier was withdrawn, stopped or refused, which lives in its history (`_ending_counts`).
    Withdrawn and stopped dossiers are left out of "carried over" and "still open" here."""
    finished_in = Q(finished_at__gte=start, finished_at__lt=end)
    new = Q(received_at__gte=start)
    unfinished = Q(status__in=ENDED_UNFINISHED)
    open_at_end = (Q(finished_at__isnull=True) | Q(finished_at__gte=end)) & ~unfinished
    rows = (
        Dossier.objects.filter(where, received_at__lt=end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=start))
        .values("procedure_id")
        .annotate(
            carried_over=Count("pk", filter=Q(received_at__lt=start) & ~unfinished),
            new_online=Count("pk", filter=new & Q(channel=Channel.ONLINE)),
            new_counter=Count("pk", filter=new & Q(channel=Channel.COUNTER)),
            new_post=Count("pk", filter=new & Q(channel=Channel.POST)),
            finished_early=Count("pk", filter=finished_in & timeliness.finished_early()),
            finished_in_time=Count("pk", filter=finished_in & timeliness.finished_on_time()),
            finished_late=Count("pk", filter=finished_in & timeliness.finished_late()),
            open_within=Count("pk", filter=open_at_end & timeliness.open_within(as_of)),
            open_late=Count("pk", filter=open_at_end & timeliness.clock_ran_out(as_of)),
            apologised=Count("pk", filter=(finished_in | open_at_end) & timeliness.APOLOGISED),
        )
        .order_by()
    )
    counts = {}
    for row in rows:
        # On time (đúng hạn) is "in time" less "early": the two columns never overlap.
        row["finished_on_time"] = row.pop("finished_in_time") - row["finished_early"]
        counts[row.pop("procedure_id")] = row
    return counts


def _ending_counts(where: Q, start: datetime, end: datetime, as_of: datetime) -> dict[int, Counter]:
    """Per procedure, the dossiers closed without a result at or after start, each at the moment
    of the history row that gave it its final status: refusals at reception and withdrawals or
    stops in the period, and withdrawn or stopped dossiers still open at the start (carried over)
    or at the end (still open).

    One aggregate over the agency's refused, withdrawn and stopped dossiers saved since start,
    grouped by procedure, status and whether the closing fell before the end (so the closing
    moment, a lookup by dossier in the history, is read once or twice per dossier). `updated_at`
    is set by every save, the one that closed the dossier included, so it is never before the
    closing moment: that keeps the work to recent closings, not the whole history."""
    closing = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-at")
        .values("at")[:1]
    )
    rows = (
        Dossier.objects.filter(where, status__in=CLOSED_UNFINISHED, updated_at__gte=start)
        .alias(closed_at=Subquery(closing))
        .filter(closed_at__gte=start)
        .annotate(before_end=ExpressionWrapper(Q(closed_at__lt=end), output_field=BooleanField()))
        .values("procedure_id", "status", "before_end")
        .annotate(
            dossiers=Count("pk"),
            received=Count("pk", filter=Q(received_at__isnull=False)),
            carried_over=Count("pk", filter=Q(received_at__lt=start)),
            open_within=Count("pk", filter=Q(received_at__lt=end) & timeliness.open_within(as_of)),
            open_late=Count("pk", filter=Q(received_at__lt=end) & timeliness.clock_ran_out(as_of)),
        )
        .order_by()
    )
    counts: dict[int, Counter] = {}
    for row in rows:  # a few rows per procedure, whatever the number of dossiers
        line = counts.setdefault(row["procedure_id"], Counter())
        status, before_end = row["status"], row["before_end"]
        if status == Status.REFUSED:
            if before_end:
                line["refused"] += row["dossiers"]
            continue
        line["carried_over"] += row["carried_over"]
        if before_end:
            line["withdrawn" if status == Status.WITHDRAWN else "stopped"] += row["received"]
        else:
            line["open_within"] += row["open_within"]
            line["open_late"] += row["open_late"]
    return counts


def _passage_counts(agency: Agency, start: datetime, end: datetime, as_of: datetime) -> dict[int, dict]:
    """Per procedure, the agency's passages through dossiers another agency resolves that were there
    at some moment of [start, end): one grouped query. A passage is judged when it left (by its due
    moment, `timeliness.segment_*`); one still there at the end is late when its due moment passed
    before `as_of` while the clock ran; a passage of a withdrawn or stopped dossier that left in the
    period is not judged (as the index does not judge it)."""
    left_in = Q(left_at__gte=start, left_at__lt=end)
    ended = Q(dossier__status__in=ENDED_UNFINISHED)
    open_at_end = Q(left_at__isnull=True) | Q(left_at__gte=end)
    within = Q(due_at__gte=as_of) | (Q(dossier__paused_since__isnull=False) & Q(due_at__gte=F("dossier__paused_since")))
    early = Q(LessThan(TruncDate("left_at", tzinfo=VN_TZ), TruncDate("due_at", tzinfo=VN_TZ)))
    rows = (
        DossierSegment.objects.filter(agency=agency, entered_at__lt=end)
        .exclude(dossier__agency=agency)
        .filter(Q(left_at__isnull=True) | Q(left_at__gte=start))
        .values("dossier__procedure_id")
        .annotate(
            carried_over=Count("pk", filter=Q(entered_at__lt=start)),
            new=Count("pk", filter=Q(entered_at__gte=start)),
            left_early=Count("pk", filter=left_in & ~ended & timeliness.segment_left_on_time() & early),
            left_in_time=Count("pk", filter=left_in & ~ended & timeliness.segment_left_on_time()),
            left_late=Count("pk", filter=left_in & ~ended & timeliness.segment_left_late()),
            open_within=Count("pk", filter=open_at_end & within),
            open_late=Count("pk", filter=open_at_end & timeliness.segment_open_late(as_of)),
            ended=Count("pk", filter=left_in & ended),
        )
        .order_by()
    )
    counts = {}
    for row in rows:
        row["left_on_time"] = row.pop("left_in_time") - row["left_early"]
        counts[row.pop("dossier__procedure_id")] = row
    return counts


def _procedure_names(ids: set[int]) -> dict[int, tuple[str, ProcedureVersion]]:
    """Each procedure's code and the version that names it: the one in force, else the latest."""
    procedures = Procedure.objects.filter(pk__in=ids).select_related("current_version__field")
    named = {p.pk: (p.code, p.current_version) for p in procedures if p.current_version_id}
    missing = ids - named.keys()
    if missing:  # a procedure whose version in force was withdrawn: rare, one more query
        for version in (
            ProcedureVersion.objects.filter(procedure_id__in=missing)
            .select_related("procedure", "field")
            .order_by("procedure_id", "number")
        ):
            named[version.procedure_id] = (version.procedure.code, version)
    return named


@translation.override("vi")
def statutory_report(
    *, agency: Agency, period_start: date, period_end: date, centre: Agency | None = None, province: bool = False
) -> Report:
    """The agency's statutory report for the days `period_start` to `period_end` (inclusive,
    Vietnam time): a line per procedure that had anything to count, grouped by field (by name),
    procedures by code. Four queries, whatever the number of dossiers (three for a centre or the province).

    `centre`: instead, the dossiers that one-stop point received, for every agency (headed by
    `agency`); `province`: the dossiers of every agency of the province (headed by `agency`, the
    People's Committee): each procedure's line adds up its agencies'."""
    if period_start > period_end:
        raise ApplicationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), code="invalid_range")
    now = clock.now()
    start, end = bounds(period_start, period_end)
    if start > now:
        raise ApplicationError(_("Kỳ báo cáo chưa bắt đầu."), code="future_period")
    as_of = min(end, now)
    if province:
        where, coverage = Q(), _("Toàn tỉnh: hồ sơ của tất cả các cơ quan")
    elif centre is not None:
        where, coverage = Q(reception_point=centre), _("Hồ sơ tiếp nhận tại %(name)s") % {"name": centre.name}
    else:
        where, coverage = Q(agency=agency), ""
    handling = _handling_counts(where, start, end, as_of)
    endings = _ending_counts(where, start, end, as_of)
    per_procedure: dict[int, Counts] = {}
    for procedure_id in handling.keys() | endings.keys():
        values = Counter(handling.get(procedure_id, {})) + endings.get(procedure_id, Counter())
        counts = Counts(**values)
        if any(counts.cells()):
            per_procedure[procedure_id] = counts
    names = _procedure_names(set(per_procedure))
    by_field: dict[int, tuple[Field, list[ProcedureRow]]] = {}
    for procedure_id, counts in per_procedure.items():
        code, version = names[procedure_id]
        _field, rows = by_field.setdefault(version.field_id, (version.field, []))
        rows.append(ProcedureRow(code, version.name, counts))
    groups = sorted(
        (
            FieldGroup(field.code, field.name, tuple(sorted(rows, key=lambda row: row.code)), _sum(rows))
            for field, rows in by_field.values()
        ),
        key=lambda group: (fold(group.name), group.code),
    )
    passages: list[ProcedureRow] = []
    if not province and centre is None:
        counted = _passage_counts(agency, start, end, as_of)
        by_procedure = {pid: PassageCounts(**values) for pid, values in counted.items()}
        passage_names = _procedure_names(set(by_procedure))
        passages = sorted(
            (
                ProcedureRow(passage_names[pid][0], passage_names[pid][1].name, counts)
                for pid, counts in by_procedure.items()
                if any(counts.cells())
            ),
            key=lambda row: row.code,
        )
    return Report(
        passages=tuple(passages),
        passages_total=sum((row.counts for row in passages), PassageCounts()),
        coverage=str(coverage),
        agency=agency,
        period=period_of(period_start, period_end),
        start=start,
        end=end,
        as_of=as_of,
        generated_at=now,
        groups=tuple(groups),
        total=sum((group.subtotal for group in groups), Counts()),
    )


def _sum(rows: list[ProcedureRow]) -> Counts:
    return sum((row.counts for row in rows), Counts())


# ---------------------------------------------------------------- presentation shared by the formats

TITLE = gettext_lazy("Báo cáo tình hình, kết quả giải quyết thủ tục hành chính")


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, VN_TZ)


def period_line(report: Report) -> str:
    """`Kỳ báo cáo: tháng 11/2026 (từ ngày 01/11/2026 đến ngày 30/11/2026)`."""
    period = report.period
    if period.kind == RANGE:
        return _("Kỳ báo cáo: %(period)s") % {"period": period.label}
    return _("Kỳ báo cáo: %(period)s (từ ngày %(start)s đến ngày %(end)s)") % {
        "period": period.label,
        "start": f"{period.start:%d/%m/%Y}",
        "end": f"{period.end:%d/%m/%Y}",
    }


def as_of_line(report: Report) -> str:
    """Said only while the period is still running."""
    if report.complete:
        return ""
    moment = _local(report.as_of)
    return _("Số liệu tính đến %(time)s ngày %(date)s.") % {"time": f"{moment:%H:%M}", "date": f"{moment:%d/%m/%Y}"}


def notes(report: Report) -> list[str]:
    return [
        _(
            "Số hồ sơ nhận giải quyết = số kỳ trước chuyển qua + số mới tiếp nhận "
            "= số đã giải quyết + số đang giải quyết + số rút hồ sơ + số dừng xử lý."
        ),
        _(
            "Hồ sơ từ chối tiếp nhận không được tiếp nhận nên không tính vào số hồ sơ nhận giải quyết; "
            "hồ sơ không phê duyệt đã có văn bản trả lời được tính là đã giải quyết."
        ),
        _(
            "Trước hạn, đúng hạn, quá hạn so với thời hạn hẹn trả (đã cộng thời gian chờ bổ sung hồ sơ "
            "và ngày hẹn lại trong phiếu xin lỗi); hồ sơ đang chờ bổ sung không bị tính quá hạn trong "
            "thời gian tạm dừng."
        ),
        *(
            [
                _(
                    "Hồ sơ liên thông do cơ quan khác chủ trì giải quyết được tính ở bảng riêng: mỗi lượt xử lý "
                    "tại cơ quan được đánh giá theo thời hạn của phần việc của cơ quan (không tính vào bảng trên, "
                    "để mỗi hồ sơ chỉ được tính một lần cho cơ quan chủ trì)."
                )
            ]
            if report.passages
            else []
        ),
    ]


def _agency_line(agency: Agency) -> str:
    if agency.parent_name:
        return f"{agency.parent_name.upper()} – {agency.name.upper()}"
    return agency.name.upper()


# ---------------------------------------------------------------- .xlsx

XLSX_WIDTHS = (6, 11, 48, *([11] * (COLUMN_COUNT - LABEL_COLUMNS)))


@translation.override("vi")
def statutory_report_xlsx(report: Report) -> bytes:
    """The report as a spreadsheet: title rows, a two-level header of merged cells, numbers as
    numbers (the totals computed, so any reader sees them), bold field subtotals, the header
    and the names frozen, landscape A4 fitted to the width."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Giải quyết TTHC")
    last = get_column_letter(COLUMN_COUNT)
    serif = "Times New Roman"
    titles = [
        (_agency_line(report.agency), Font(name=serif, size=11, bold=True)),
        (str(TITLE).upper(), Font(name=serif, size=14, bold=True)),
        (period_line(report), Font(name=serif, size=12, italic=True)),
    ]
    if as_of_line(report):
        titles.append((as_of_line(report), Font(name=serif, size=11, italic=True)))
    for row, (text, font) in enumerate(titles, start=1):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center")
    unit_row = len(titles) + 1
    unit = sheet.cell(row=unit_row, column=COLUMN_COUNT, value=_("Đơn vị tính: hồ sơ"))
    unit.font = Font(name=serif, size=10, italic=True)
    unit.alignment = Alignment(horizontal="right")

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_font = Font(name=serif, size=11, bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    top = unit_row + 1
    _write_column_groups(sheet, top, COLUMN_GROUPS)
    numbers_row = top + 2  # (1), (2), … as the official tables number their columns
    for column in range(1, COLUMN_COUNT + 1):
        sheet.cell(row=numbers_row, column=column, value=f"({column})")
    for row in range(top, numbers_row + 1):
        for column in range(1, COLUMN_COUNT + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font = header_font if row < numbers_row else Font(name=serif, size=10, italic=True)
            cell.alignment = centred
            cell.border = border
    sheet.row_dimensions[top].height = 32
    sheet.row_dimensions[top + 1].height = 48

    body_font = Font(name=serif, size=11)
    bold_font = Font(name=serif, size=11, bold=True)
    subtotal_fill = PatternFill("solid", fgColor="F2F2F2")
    total_fill = PatternFill("solid", fgColor="D9D9D9")
    row = numbers_row
    for line in table_lines(report):
        row += 1
        values = (line.number, line.code, line.name, *line.cells)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.border = border
            cell.font = bold_font if line.kind != "procedure" else body_font
            if column > LABEL_COLUMNS:
                cell.number_format = "#,##0"
                cell.alignment = Alignment(horizontal="right", vertical="top")
            else:
                cell.alignment = Alignment(
                    horizontal="center" if column == 1 else "left", vertical="top", wrap_text=column == 3
                )
            if line.kind == "field":
                cell.fill = subtotal_fill
            elif line.kind == "total":
                cell.fill = total_fill
    row += 1
    for text in notes(report):
        row += 1
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=COLUMN_COUNT)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(name=serif, size=10, italic=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 28

    if report.passages:
        row = _xlsx_passages(sheet, report, row + 2, border=border, serif=serif)

    for column, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=numbers_row + 1, column=LABEL_COLUMNS + 1)
    sheet.print_title_rows = f"{top}:{numbers_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    workbook.properties.title = str(TITLE)
    workbook.properties.creator = report.agency.name
    return xlsx_bytes(workbook)


def _xlsx_passages(sheet, report: Report, top: int, *, border: Border, serif: str) -> int:
    """The second table (inter-agency passages) from row `top`: its title, header and lines. Returns the
    last row written."""
    sheet.merge_cells(start_row=top, start_column=1, end_row=top, end_column=PASSAGE_COLUMN_COUNT)
    title = sheet.cell(row=top, column=1, value=str(PASSAGE_TITLE))
    title.font = Font(name=serif, size=12, bold=True)
    header = top + 1
    _write_column_groups(sheet, header, PASSAGE_COLUMN_GROUPS)
    for row in (header, header + 1):
        for column in range(1, PASSAGE_COLUMN_COUNT + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font = Font(name=serif, size=11, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
    row = header + 1
    for line in passage_table_lines(report):
        row += 1
        for column, value in enumerate((line.number, line.code, line.name, *line.cells), start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.border = border
            cell.font = Font(name=serif, size=11, bold=line.kind == "total")
            if column > LABEL_COLUMNS:
                cell.number_format = "#,##0"
    return row


# ---------------------------------------------------------------- PDF


def template_context(report: Report) -> dict:
    """What the table templates need (the page and the PDF share `_table.html`)."""
    lines = table_lines(report)
    # Each number with its column's name: on a phone the table is a stack of cards, one per line.
    cell_labels = [
        f"{label} – {sub}" if subs else str(label)
        for label, subs in COLUMN_GROUPS[LABEL_COLUMNS:]
        for sub in subs or ("",)
    ]
    passage_lines = passage_table_lines(report)
    passage_labels = [
        f"{label} – {sub}" if subs else str(label)
        for label, subs in PASSAGE_COLUMN_GROUPS[LABEL_COLUMNS:]
        for sub in subs or ("",)
    ]
    return {
        "report": report,
        "passage_title": str(PASSAGE_TITLE),
        "passage_column_groups": [(str(label), [str(sub) for sub in subs]) for label, subs in PASSAGE_COLUMN_GROUPS],
        "passage_lines": [(line, list(zip(passage_labels, line.cells, strict=True))) for line in passage_lines],
        "passage_column_numbers": [f"({n})" for n in range(1, PASSAGE_COLUMN_COUNT + 1)],
        "column_groups": [(str(label), [str(sub) for sub in subs]) for label, subs in COLUMN_GROUPS],
        "lines": lines,
        "labelled_lines": [(line, list(zip(cell_labels, line.cells, strict=True))) for line in lines],
        "column_numbers": [f"({n})" for n in range(1, COLUMN_COUNT + 1)],
        "period_line": period_line(report),
        "as_of_line": as_of_line(report),
        "notes": notes(report),
    }


# Percent of the page's width, as strings: a float would print with a decimal comma in Vietnamese.
PDF_WIDTHS = ("3.5", "6.5", "21", *(["4.6"] * (COLUMN_COUNT - LABEL_COLUMNS)))
PASSAGE_PDF_WIDTHS = ("4", "7", "30", *(["5.36"] * (PASSAGE_COLUMN_COUNT - LABEL_COLUMNS)))


@translation.override("vi")
def statutory_report_pdf(report: Report) -> bytes:
    """The report on landscape A4 with the heading of the official documents (the dossier forms'
    `base.html` and `_heading.html`), its header repeated on every page, two signature blocks."""
    # Imported here: WeasyPrint loads Pango when imported, which only PDF work needs.
    from weasyprint import HTML

    agency = report.agency
    context = {
        **template_context(report),
        "agency": agency,
        "parent_name": agency.parent_name.upper(),
        "agency_name": agency.name.upper(),
        "form_number": "",  # no national form number is confirmed for this table: the line is hidden
        "circular": "",
        "title": str(TITLE).upper(),
        "date_line": date_line(agency.place_name, _local(report.generated_at)),
        "copies": [""],
        "column_widths": PDF_WIDTHS,
        "passage_column_widths": PASSAGE_PDF_WIDTHS,
    }
    return HTML(string=render_to_string("reports/statutory/pdf.html", context)).write_pdf()


def _write_column_groups(sheet, top: int, groups) -> None:
    """A two-row table header from row `top`: a group's label over its sub-columns, or a single
    column's label over both rows."""
    column = 1
    for label, subs in groups:
        if subs:
            sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + len(subs) - 1)
            sheet.cell(row=top, column=column, value=str(label))
            for offset, sub in enumerate(subs):
                sheet.cell(row=top + 1, column=column + offset, value=str(sub))
            column += len(subs)
        else:
            sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
            sheet.cell(row=top, column=column, value=str(label))
            column += 1
