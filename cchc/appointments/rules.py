"""Pure rules for slots (no database): the slots of a working day from the office hours."""

from datetime import date, datetime, timedelta

from cchc.core.calendar import VN_TZ


def day_slots(office_hours, day: date, minutes: int) -> list[tuple[datetime, datetime]]:
    """The slots of `minutes` in each office-hours interval of `day` (aware, Vietnam time); a slot
    never straddles a break or the closing time."""
    slots = []
    for start, end in office_hours:
        moment = datetime.combine(day, start, tzinfo=VN_TZ)
        closing = datetime.combine(day, end, tzinfo=VN_TZ)
        while moment + timedelta(minutes=minutes) <= closing:
            slots.append((moment, moment + timedelta(minutes=minutes)))
            moment += timedelta(minutes=minutes)
    return slots


def slot_start_valid(office_hours, moment: datetime, minutes: int) -> bool:
    """Whether `moment` is the start of one of its day's slots."""
    local = moment.astimezone(VN_TZ)
    return any(start == local for start, _end in day_slots(office_hours, local.date(), minutes))


def queue_label(number: int) -> str:
    return f"{number:03d}"
