"""Working-time calendar for a Vietnamese government office.

Pure Python (stdlib + ``holidays``); no Django imports, so it can be used from
models, services, management commands and benchmarks alike.

Domain rules implemented here
-----------------------------
* Working days are Monday-Friday, minus statutory public holidays, plus the
  make-up working Saturdays declared by the government (``weekend_workdays`` of
  the ``holidays`` package), adjusted by office-specific extra days off and
  extra working days.
* Office hours default to 07:00-11:30 and 13:30-17:00, i.e. 8 working hours;
  one working day is 8 working hours (``MINUTES_PER_WORKING_DAY``).
* A dossier received outside office hours counts as received at the next
  opening (``counting_start``).
* Due moment = receipt + time limit in working time (``add_working_hours``).
  A due moment never falls outside office hours; when the time runs out exactly
  at a closing time the due moment is that closing time (Monday 07:00 + 8 h is
  Monday 17:00, not Tuesday 07:00).

Resolution
----------
All working-time arithmetic (``add_working_*``, ``working_*_between``) works on
whole minutes: input moments are truncated to the minute (seconds and
microseconds are dropped) before anything else, and results are whole minutes.
Paper receipts and appointment slips in one-stop shops are written to the
minute, and truncating (rather than rounding) keeps the identities below exact
for every input moment, including ones carrying seconds::

    add(add(t, a), b) == add(t, a + b)
    working_minutes_between(t, add(t, m)) == m

``counting_start`` is the only method that keeps seconds, because it answers
"is this moment inside office hours?" and must never move a moment backwards.

Speed
-----
Years are loaded lazily into a contiguous *span* of years. For the span we
precompute, per calendar day, "is it a working day" and "how many working days
precede it", and per working day its midnight as an aware datetime. Working
time is then a single integer axis (``working-day index * minutes-per-day +
minutes elapsed that day``), so adding any duration is a handful of integer
operations and list look-ups, independent of the duration's length.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from functools import cache
from operator import index as _as_index
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "MINUTES_PER_WORKING_DAY",
    "VN_TZ",
    "WorkingCalendar",
]

DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(7, 0), time(11, 30)),
    (time(13, 30), time(17, 0)),
)
MINUTES_PER_WORKING_DAY = 480
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_MINUTES_PER_DAY = 24 * 60
# Years loaded around the first year a calendar is asked about: a dossier
# received this year is usually due this year or early next year.
_INITIAL_YEARS_BEFORE = 1
_INITIAL_YEARS_AFTER = 2


# --------------------------------------------------------------------------
# Statutory data from the ``holidays`` package (cached per process: every
# WorkingCalendar instance of the same country shares it).
# --------------------------------------------------------------------------


@cache
def _provider_info(country: str) -> tuple[str | None, int, int]:
    """Return ``(language, first_year, last_year)`` for a country.

    The language is Vietnamese when the package offers it, else the entity's
    own default language. It is always passed explicitly because, when it is
    omitted, ``holidays`` picks the language from the process locale
    (LANGUAGE/LC_ALL/LC_MESSAGES/LANG), which would make names depend on the
    server's environment.
    """
    try:
        probe = holidays.country_holidays(country, years=())
    except NotImplementedError as exc:
        raise ValueError(f"holidays package has no calendar for country {country!r}") from exc
    languages = getattr(probe, "supported_languages", ()) or ()
    language = "vi" if "vi" in languages else getattr(probe, "default_language", None)
    first = getattr(probe, "start_year", 1)
    last = getattr(probe, "end_year", 9999)
    return language, max(int(first), 1), min(int(last), 9999)


@cache
def _statutory_year(country: str, year: int) -> tuple[dict[date, str], frozenset[date]]:
    """Return ``(holiday names, make-up working days)`` from one year's data.

    The returned objects are shared through the cache and must not be mutated.
    ``weekend_workdays`` is not restricted to the requested year: the package
    registers cross-year make-up days (e.g. 2014-12-27 for 2015-01-02) whatever
    years are loaded, and same-year ones only when that year is populated. We
    therefore return the whole set; callers merge the sets of every loaded year.
    """
    language = _provider_info(country)[0]
    data = holidays.country_holidays(country, years=year, language=language)
    return dict(data.items()), frozenset(getattr(data, "weekend_workdays", ()) or ())


@cache
def _minute_tables(intervals: tuple[tuple[int, int], ...]) -> tuple[list, ...]:
    """Precompute look-up tables for office hours given as minute intervals.

    Cached because calendars are often built per request with the same hours;
    the returned lists are shared and must not be mutated. Returns
    ``(elapsed, open_half, open_closed, at_opening, at_closing)``:

    * per minute-of-day m: working minutes already elapsed at m; whether m is
      inside an interval end-exclusive (``counting_start``) and end-inclusive
      (positions of ``add_working_minutes``);
    * per working minute w of a day: the time offset from midnight. Two
      variants because the boundary between two intervals is ambiguous (11:30
      and 13:30 are both "270 minutes done"): when time runs out we land on the
      closing time (``at_closing[w - 1]`` for 1 <= w <= per_day); when we merely
      move to the next opening we land on the opening time (``at_opening[w]``
      for 0 <= w < per_day).
    """
    per_day = sum(e - s for s, e in intervals)
    elapsed = []
    open_half = []
    open_closed = []
    for m in range(_MINUTES_PER_DAY):
        elapsed.append(sum(min(max(m - s, 0), e - s) for s, e in intervals))
        open_half.append(any(s <= m < e for s, e in intervals))
        open_closed.append(any(s <= m <= e for s, e in intervals))
    at_opening = [timedelta(0)] * per_day
    at_closing = [timedelta(0)] * per_day
    done = 0
    for s, e in intervals:
        for j in range(e - s):
            at_opening[done + j] = timedelta(minutes=s + j)
            at_closing[done + j] = timedelta(minutes=s + j + 1)
        done += e - s
    return elapsed, open_half, open_closed, at_opening, at_closing


class _Span:
    """Precomputed calendar data for the contiguous years first..last.

    Immutable once built: extending the loaded range builds a new span and
    swaps one attribute, so concurrent readers always see a consistent span.
    """

    __slots__ = (
        "base",
        "before",
        "first_year",
        "last_year",
        "midnights",
        "names",
        "ndays",
        "wd_ords",
        "working",
    )

    first_year: int
    last_year: int
    base: int  # ordinal of first_year-01-01
    ndays: int
    working: bytes  # working[i] == 1 iff day base+i is a working day
    before: list[int]  # before[i] == number of working days in [base, base+i)
    wd_ords: list[int]  # ordinals of the working days, ascending
    midnights: list[datetime]  # aware 00:00 of each working day, in the calendar's tz
    names: dict[date, str]


class WorkingCalendar:
    """Working days and working hours of one office.

    Construction is cheap; statutory data is loaded lazily, year range by year
    range, the first time a date is needed. Instances are safe to share between
    threads. Supported dates are the years the ``holidays`` package covers for
    ``country`` (1901-2100 for VN); asking about a date outside raises
    ``ValueError`` rather than silently ignoring holidays.

    Precedence for a date: ``extra_days_off`` -> not working;
    ``extra_working_days`` -> working; declared make-up working day -> working;
    statutory public holiday -> not working; otherwise Monday-Friday.

    ``tz`` should have no daylight-saving transitions during office hours
    (Asia/Ho_Chi_Minh has been a fixed +07:00 since 1975): wall-clock
    arithmetic is used for results.
    """

    def __init__(
        self,
        *,
        office_hours: Iterable[tuple[time, time]] = DEFAULT_OFFICE_HOURS,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        tz: tzinfo = VN_TZ,
        country: str = "VN",
    ) -> None:
        """Validate the configuration; raise ``ValueError``/``TypeError`` if bad.

        ``office_hours``: non-empty sequence of ``(start, end)`` naive
        ``datetime.time`` pairs on whole minutes, each ``start < end``, sorted
        and non-overlapping (an end may equal the next start).
        """
        if not isinstance(tz, tzinfo):
            raise TypeError("tz must be a tzinfo instance")
        self.office_hours: tuple[tuple[time, time], ...] = _validate_office_hours(office_hours)
        self.extra_days_off: frozenset[date] = _validate_dates(extra_days_off, "extra_days_off")
        self.extra_working_days: frozenset[date] = _validate_dates(extra_working_days, "extra_working_days")
        self.tz = tz
        self.country = country
        _, self._first_supported_year, self._last_supported_year = _provider_info(country)

        intervals = tuple((s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in self.office_hours)
        self.minutes_per_day: int = sum(e - s for s, e in intervals)
        (
            self._elapsed,
            self._open_half,
            self._open_closed,
            self._at_opening,
            self._at_closing,
        ) = _minute_tables(intervals)

        self._lock = threading.Lock()
        # An empty span makes every hot-path range check fail, which routes the
        # first call to the slow path that loads data: no None checks needed.
        self._span: _Span = self._empty_span()

    def __repr__(self) -> str:
        hours = ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self.office_hours)
        return f"<WorkingCalendar {self.country} {hours} tz={self.tz}>"

    # ------------------------------------------------------------------
    # Set-up helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _empty_span() -> _Span:
        span = _Span()
        span.first_year = span.last_year = 0
        span.base = 0
        span.ndays = 0
        span.working = b""
        span.before = []
        span.wd_ords = []
        span.midnights = []
        span.names = {}
        return span

    # ------------------------------------------------------------------
    # Lazy loading
    # ------------------------------------------------------------------

    def _check_year(self, year: int) -> None:
        if not self._first_supported_year <= year <= self._last_supported_year:
            raise ValueError(
                f"year {year} is outside the years the holidays package covers for "
                f"{self.country} ({self._first_supported_year}-{self._last_supported_year})"
            )

    def _cover(self, first_year: int, last_year: int) -> _Span:
        """Return a span covering first_year..last_year, loading if needed."""
        self._check_year(first_year)
        self._check_year(last_year)
        span = self._span
        if span.ndays and span.first_year <= first_year and last_year <= span.last_year:
            return span
        with self._lock:
            span = self._span
            if span.ndays:
                if span.first_year <= first_year and last_year <= span.last_year:
                    return span  # another thread loaded it meanwhile
                # Grow geometrically so alternating requests cannot trigger a
                # rebuild per call.
                width = span.last_year - span.first_year + 1
                if first_year < span.first_year:
                    first_year = min(first_year, span.first_year - width)
                if last_year > span.last_year:
                    last_year = max(last_year, span.last_year + width)
                first_year = min(first_year, span.first_year)
                last_year = max(last_year, span.last_year)
            else:
                first_year -= _INITIAL_YEARS_BEFORE
                last_year += _INITIAL_YEARS_AFTER
            first_year = max(first_year, self._first_supported_year)
            last_year = min(last_year, self._last_supported_year)
            span = self._build_span(first_year, last_year)
            self._span = span
            return span

    def _cover_ordinals(self, first: int, last: int) -> _Span:
        return self._cover(date.fromordinal(first).year, date.fromordinal(last).year)

    def _cover_working_index(self, span: _Span, k: int) -> tuple[_Span, int]:
        """Return ``(span', k')`` where span' holds working day k of ``span`` (k >= 0).

        k' is k re-expressed in span' (they differ only if another thread grew
        the span backwards meanwhile, which shifts every working-day index by
        the number of working days prepended). Raises ValueError if working day
        k lies beyond the last supported year.
        """
        while True:
            have = len(span.wd_ords)
            if k < have:
                return span, k
            if span.last_year >= self._last_supported_year:
                self._check_year(span.last_year + 1)  # raises
            # ~245 working days a year; overshoot a little rather than loop.
            target = span.last_year + (k - have) // 240 + 1
            new = self._cover(span.first_year, min(target, self._last_supported_year))
            k = self._reindex(span, new, k)
            span = new

    @staticmethod
    def _reindex(old: _Span, new: _Span, k: int) -> int:
        """Translate working-day index k of ``old`` into ``new`` (new contains old)."""
        return k + new.before[old.base - new.base] if new.base != old.base else k

    def _build_span(self, first_year: int, last_year: int) -> _Span:
        names: dict[date, str] = {}
        makeup: set[date] = set()
        # Neighbouring years too: an observed or substituted day off can be
        # registered under the adjacent year's data.
        lo = max(first_year - 1, self._first_supported_year)
        hi = min(last_year + 1, self._last_supported_year)
        for year in range(lo, hi + 1):
            year_names, year_makeup = _statutory_year(self.country, year)
            names.update(year_names)
            makeup.update(year_makeup)

        extra_off = self.extra_days_off
        extra_work = self.extra_working_days
        tz = self.tz
        base = date(first_year, 1, 1).toordinal()
        end = date(last_year, 12, 31).toordinal() + 1
        working = bytearray(end - base)
        before: list[int] = []
        wd_ords: list[int] = []
        midnights: list[datetime] = []
        count = 0
        for ordinal in range(base, end):
            before.append(count)
            d = date.fromordinal(ordinal)
            if d in extra_off:
                is_working = False
            elif d in extra_work or d in makeup:
                is_working = True
            elif d in names:
                is_working = False
            else:
                is_working = d.weekday() < 5
            if is_working:
                working[ordinal - base] = 1
                wd_ords.append(ordinal)
                midnights.append(datetime(d.year, d.month, d.day, tzinfo=tz))
                count += 1

        span = _Span()
        span.first_year = first_year
        span.last_year = last_year
        span.base = base
        span.ndays = end - base
        span.working = bytes(working)
        span.before = before
        span.wd_ords = wd_ords
        span.midnights = midnights
        span.names = {d: n for d, n in names.items() if first_year <= d.year <= last_year}
        return span

    # ------------------------------------------------------------------
    # Input normalisation
    # ------------------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        """Return ``moment`` in ``self.tz``; reject non-datetimes and naive ones."""
        if not isinstance(moment, datetime):
            raise TypeError(f"expected a timezone-aware datetime, got {type(moment).__name__}")
        if moment.tzinfo is self.tz:
            return moment
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment!r}: working-time needs an aware datetime")
        return moment.astimezone(self.tz)

    @staticmethod
    def _day_ordinal(d: date) -> int:
        # datetime is a date subclass; accepting it would silently use the date
        # of whatever timezone it carries, which is a classic off-by-one-day bug.
        if not isinstance(d, date) or isinstance(d, datetime):
            raise TypeError(f"expected a datetime.date, got {type(d).__name__}")
        return d.toordinal()

    def _span_for_day(self, ordinal: int) -> tuple[_Span, int]:
        span = self._span
        i = ordinal - span.base
        if 0 <= i < span.ndays:
            return span, i
        span = self._cover_ordinals(ordinal, ordinal)
        return span, ordinal - span.base

    # ------------------------------------------------------------------
    # Days
    # ------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Return True if the office works on date ``d`` (see class precedence)."""
        span, i = self._span_for_day(self._day_ordinal(d))
        return span.working[i] == 1

    def holiday_name(self, d: date) -> str | None:
        """Return the statutory public holiday name of ``d`` (Vietnamese), else None.

        Only statutory data is reported: office-specific ``extra_days_off`` have
        no name, and a holiday overridden by ``extra_working_days`` keeps its
        name. Make-up working Saturdays are not holidays (None).
        """
        span, _ = self._span_for_day(self._day_ordinal(d))
        return span.names.get(d)

    def next_working_day(self, d: date, n: int = 1) -> date:
        """Return the n-th working day strictly after ``d`` (strictly before if n < 0).

        ``d`` itself need not be a working day. ``n == 0`` raises ValueError.
        """
        n = _as_index(n)
        if n == 0:
            raise ValueError("n must be non-zero")
        ordinal = self._day_ordinal(d)
        while True:
            span, i = self._span_for_day(ordinal)
            if n > 0:
                # Working days up to and including d, then n more.
                k = span.before[i] + span.working[i] + n - 1
                if k < len(span.wd_ords):
                    return date.fromordinal(span.wd_ords[k])
                self._cover_working_index(span, k)
            else:
                k = span.before[i] + n
                if k >= 0:
                    return date.fromordinal(span.wd_ords[k])
                # Not enough working days loaded before d: load earlier years.
                if span.first_year <= self._first_supported_year:
                    self._check_year(span.first_year - 1)  # raises
                years_back = -k // 240 + 1
                self._cover(
                    max(span.first_year - years_back, self._first_supported_year),
                    span.last_year,
                )

    def working_days_between(self, d1: date, d2: date) -> int:
        """Return the number of working days in (d1, d2]; negative if d2 < d1.

        Consistent with ``next_working_day``: for n > 0,
        ``working_days_between(d, next_working_day(d, n)) == n``.
        """
        o1 = self._day_ordinal(d1)
        o2 = self._day_ordinal(d2)
        span = self._cover_ordinals(min(o1, o2), max(o1, o2))
        i1 = o1 - span.base
        i2 = o2 - span.base
        return (span.before[i2] + span.working[i2]) - (span.before[i1] + span.working[i1])

    # ------------------------------------------------------------------
    # Moments
    # ------------------------------------------------------------------

    def counting_start(self, moment: datetime) -> datetime:
        """Return the moment from which a receipt at ``moment`` is counted.

        ``moment`` itself (converted to ``self.tz``, seconds kept) if it lies
        inside office hours of a working day, an interval being start-inclusive
        and end-EXCLUSIVE (a dossier handed in at 17:00 sharp counts from the
        next opening); otherwise the next opening moment. Never earlier than
        ``moment``; idempotent. Raises ValueError for naive datetimes.
        """
        local = self._local(moment)
        span, i = self._span_for_day(local.toordinal())
        mod = local.hour * 60 + local.minute
        if span.working[i]:
            if self._open_half[mod]:
                return local
            done = span.before[i] * self.minutes_per_day + self._elapsed[mod]
        else:
            done = span.before[i] * self.minutes_per_day
        return self._opening_at(span, done)

    def _opening_at(self, span: _Span, done: int) -> datetime:
        """Moment at which ``done`` working minutes (span axis) have elapsed, opening side."""
        k, w = divmod(done, self.minutes_per_day)
        if k >= len(span.midnights):
            span, k = self._cover_working_index(span, k)
        return span.midnights[k] + self._at_opening[w]

    def add_working_minutes(self, moment: datetime, minutes: int) -> datetime:
        """Return the moment ``minutes`` working minutes after ``moment``.

        ``moment`` (aware; truncated to the minute) is first normalised to a
        position: kept if it lies inside office hours of a working day with the
        interval end INCLUSIVE (11:30 and 17:00 are valid positions), else moved
        to the next opening. Minutes are then consumed; if they run out exactly
        at a closing time, that closing time is returned. Adding 0 returns the
        position. Hence ``add(add(t, a), b) == add(t, a + b)`` for a, b >= 0 and
        the result always lies within an office-hours interval (start <= time
        <= end) of a working day. Result is in ``self.tz``.

        Raises ValueError for negative minutes or naive datetimes, TypeError
        for non-integral minutes.
        """
        if minutes.__class__ is not int:
            minutes = _as_index(minutes)
        if minutes < 0:
            raise ValueError(f"minutes must be >= 0, got {minutes}")
        # --- hot path: inlined normalisation and look-ups --------------------
        if not isinstance(moment, datetime) or moment.tzinfo is not self.tz:
            moment = self._local(moment)
        span = self._span
        i = moment.toordinal() - span.base
        if 0 <= i < span.ndays and minutes:
            per_day = self.minutes_per_day
            if span.working[i]:
                done = span.before[i] * per_day + self._elapsed[moment.hour * 60 + moment.minute]
            else:
                done = span.before[i] * per_day
            # Closing side: the last minute consumed belongs to day k, so a
            # remainder of exactly a full interval lands on its closing time.
            k, w = divmod(done + minutes - 1, per_day)
            if k < len(span.midnights):
                return span.midnights[k] + self._at_closing[w]
        return self._add_slow(moment, minutes)

    def _add_slow(self, local: datetime, minutes: int) -> datetime:
        """Out-of-span and zero-minute cases of ``add_working_minutes``."""
        span, i = self._span_for_day(local.toordinal())
        mod = local.hour * 60 + local.minute
        per_day = self.minutes_per_day
        working = span.working[i]
        done = span.before[i] * per_day + (self._elapsed[mod] if working else 0)
        if minutes == 0:
            if working and self._open_closed[mod]:
                return local.replace(second=0, microsecond=0)
            return self._opening_at(span, done)
        k, w = divmod(done + minutes - 1, per_day)
        span, k = self._cover_working_index(span, k)
        return span.midnights[k] + self._at_closing[w]

    def add_working_hours(self, moment: datetime, hours: float | Decimal) -> datetime:
        """Return ``add_working_minutes(moment, minutes)`` for ``hours`` working hours.

        ``hours`` (int, float, Decimal or Fraction) is converted to the nearest
        whole minute (round half to even) and must be >= 0 and finite, else
        ValueError.
        """
        # Exact-int fast path: the common case needs no rounding.
        minutes = hours * 60 if hours.__class__ is int else _hours_to_minutes(hours)
        return self.add_working_minutes(moment, minutes)

    def _done(self, span: _Span, local: datetime) -> int:
        """Working minutes on the span axis elapsed at ``local`` (truncated to the minute)."""
        i = local.toordinal() - span.base
        if span.working[i]:
            return span.before[i] * self.minutes_per_day + self._elapsed[local.hour * 60 + local.minute]
        return span.before[i] * self.minutes_per_day

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Return the working minutes inside [start, end], both truncated to the minute.

        Negative (minus the reverse) when ``end < start``. Consistent with
        ``add_working_minutes``: ``working_minutes_between(t,
        add_working_minutes(t, m)) == m``.
        """
        a = self._local(start)
        b = self._local(end)
        span = self._span
        ia = a.toordinal() - span.base
        ib = b.toordinal() - span.base
        if not (0 <= ia < span.ndays and 0 <= ib < span.ndays):
            oa, ob = a.toordinal(), b.toordinal()
            span = self._cover_ordinals(min(oa, ob), max(oa, ob))
        return self._done(span, b) - self._done(span, a)

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Return ``working_minutes_between(start, end) / 60``."""
        return self.working_minutes_between(start, end) / 60

    def within_office_hours(self, moment: datetime) -> bool:
        """True if ``moment`` lies inside office hours of a working day, closing times included
        (a due moment may be 17:00 or 11:30, never 18:00 nor a Sunday)."""
        local = self._local(moment)
        if local.second or local.microsecond:
            mod_open = self._open_half[local.hour * 60 + local.minute]
        else:
            mod_open = self._open_closed[local.hour * 60 + local.minute]
        return mod_open and self.is_working_day(local.date())

    def add_calendar_days(self, moment: datetime, days: int) -> datetime:
        """The end of a time limit of ``days`` calendar days counted from ``moment``.

        The rule of the Civil Code 2015 (Bộ luật Dân sự 91/2015/QH13), applied to time limits
        stated in days without "working" (secondary source: thuvienphapluat.vn's reading of
        Arts. 147–148; that procedures follow it rather than a rule of their own is unconfirmed):

        * the day of ``moment`` is not counted: day 1 is the next day (Art. 147(2));
        * the limit ends at the end of its last day (Art. 148(1)); for an office that is the
          closing time of its last office interval that day, since a due moment never falls
          outside office hours;
        * when the last day is a weekend day, a public holiday or a declared day off, the limit
          ends at the end of the next working day (Art. 148(5)) — with this calendar's holidays,
          make-up working Saturdays and overrides.

        ``moment`` is usually a dossier's ``counting_start`` (a receipt outside office hours
        counts from the next opening, domain.md §4). ``days`` must be >= 0; 0 ends the same day.
        """
        days = _as_index(days)
        if days < 0:
            raise ValueError("days must not be negative")
        last = self._local(moment).date() + timedelta(days=days)
        if not self.is_working_day(last):
            last = self.next_working_day(last)
        closing = self.office_hours[-1][1]
        return datetime.combine(last, closing, tzinfo=self.tz)


# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------


def _hours_to_minutes(hours: float | Decimal) -> int:
    if isinstance(hours, bool):
        raise TypeError("hours must be a number, not a bool")
    try:
        minutes = round(hours * 60)
    except (ValueError, OverflowError, ArithmeticError) as exc:  # NaN, inf, Decimal NaN
        raise ValueError(f"hours must be a finite number, got {hours!r}") from exc
    except TypeError as exc:
        raise TypeError(f"hours must be a number, got {type(hours).__name__}") from exc
    if hours < 0:
        raise ValueError(f"hours must be >= 0, got {hours!r}")
    return int(minutes)


def _validate_office_hours(
    office_hours: Iterable[tuple[time, time]],
) -> tuple[tuple[time, time], ...]:
    try:
        pairs = tuple(tuple(pair) for pair in office_hours)
    except TypeError as exc:
        raise ValueError("office_hours must be a sequence of (start, end) time pairs") from exc
    if not pairs:
        raise ValueError("office_hours must not be empty")
    previous_end: time | None = None
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(f"office hours interval {pair!r} is not a (start, end) pair")
        start, end = pair
        for t in (start, end):
            if not isinstance(t, time):
                # ValueError (not TypeError) so callers catch one exception type
                # for any bad office-hours configuration.
                raise ValueError(f"office hours bound {t!r} is not a datetime.time")
            if t.tzinfo is not None:
                raise ValueError(f"office hours bound {t} must be naive (local wall time)")
            if t.second or t.microsecond:
                raise ValueError(f"office hours bound {t} must be on a whole minute")
        if not start < end:
            raise ValueError(f"office hours interval {start}-{end} must have start < end")
        if previous_end is not None and start < previous_end:
            raise ValueError(f"office hours intervals must be sorted and non-overlapping: {start} < {previous_end}")
        previous_end = end
    return pairs  # type: ignore[return-value]


def _validate_dates(values: Iterable[date], label: str) -> frozenset[date]:
    result = frozenset(values)
    for value in result:
        if not isinstance(value, date) or isinstance(value, datetime):
            raise TypeError(f"{label} must contain datetime.date objects, got {value!r}")
    return result
