"""The one clock CCHC reads: `clock.now()`, `clock.localdate()`, `clock.localtime()`.

Outside a replay it is Django's `timezone.now()`. `replay(moment)` sets the clock of the current
context (a `ContextVar`: this thread or task, never the whole process) to a moment that the
replaying code moves on as its story advances; the demo generator makes dossiers in the past
this way, through the services, which read this clock and nothing else. The rows' own stamps
read it too: `ClockDateTimeField` is Django's `DateTimeField` whose `auto_now`, `auto_now_add`
and `default=clock.now` take the moment from here.

The tests' `frozen()` helpers patch `django.utils.timezone.now`; outside a replay the clock
calls it at each reading, so they reach every service as before.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.db import models
from django.utils import timezone

_replayed: ContextVar[datetime | None] = ContextVar("cchc_clock", default=None)


def now() -> datetime:
    moment = _replayed.get()
    return timezone.now() if moment is None else moment


def localtime(value: datetime | None = None) -> datetime:
    """`value` (by default now) in the current time zone."""
    return timezone.localtime(now() if value is None else value)


def localdate(value: datetime | None = None) -> date:
    return localtime(value).date()


class Replay:
    """The moment of a replay, moved on by the code replaying the past."""

    @property
    def moment(self) -> datetime:
        return now()

    @moment.setter
    def moment(self, moment: datetime) -> None:
        if timezone.is_naive(moment):
            raise ValueError("a replayed moment needs its time zone")
        _replayed.set(moment)


@contextmanager
def replay(moment: datetime) -> Iterator[Replay]:
    """Inside the block, the clock shows `moment` (and whatever the block moves it to)."""
    if timezone.is_naive(moment):
        raise ValueError("a replayed moment needs its time zone")
    token = _replayed.set(moment)
    try:
        yield Replay()
    finally:
        _replayed.reset(token)


class ClockDateTimeField(models.DateTimeField):
    """A `DateTimeField` stamped from `clock.now()` (for `auto_now`, `auto_now_add`, `default=clock.now`).

    Same column, and to migrations a plain `DateTimeField` with `timezone.now` as its default: a
    migration's historical model stamps with Django's clock, which is this one outside a replay.
    A database function over it and a plain `DateTimeField` together (`Coalesce("submitted_at",
    "created_at")`) must name its `output_field`: Django refuses to guess between the two classes."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is now:
            kwargs["default"] = timezone.now
        return name, "django.db.models.DateTimeField", args, kwargs
