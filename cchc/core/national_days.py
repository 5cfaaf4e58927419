"""Days off and make-up working days the government announced that the `holidays` package does
not know, shipped with CCHC so that every installation's calendar gets them without anyone typing
them in. Only real announcements, each with its source (legal-details.md §3); never an invented day.

What the package (0.109) already knows for 2026 and needs nothing here: Tết Bính Ngọ Monday 16/02 to
Friday 20/02 (with the weekends, Saturday 14/02 to Sunday 22/02; Friday 13/02 and Monday 23/02 are
working days), Giỗ Tổ Hùng Vương on Sunday 26/04 with Monday 27/04 off in compensation, 30/04 and
01/05, Quốc khánh 01/09 and 02/09 with Monday 31/08 off against Saturday 22/08 worked, and the new
Ngày Văn hóa Việt Nam on Tuesday 24/11. What it lacks is the New Year swap below.

The province's own announcements (a longer Tết for its civil servants …) go into the
`CalendarOverride` table, which wins over these on the same date.
"""

from dataclasses import dataclass
from datetime import date

DAY_OFF, WORKING_DAY = "day_off", "working_day"


@dataclass(frozen=True)
class Announced:
    day: date
    kind: str  # DAY_OFF or WORKING_DAY
    source: str


ANNOUNCED: tuple[Announced, ...] = (
    # Tết Dương lịch 2026: Thursday 01/01 to Sunday 04/01, Friday 02/01 off against Saturday 10/01
    # worked. Công văn 12729/VPCP-KGVX, 25/12/2025 ([S] news mirror; baochinhphu.vn cited by
    # third-party code).
    Announced(date(2026, 1, 2), DAY_OFF, "Công văn 12729/VPCP-KGVX ngày 25/12/2025: nghỉ Tết Dương lịch 2026"),
    Announced(date(2026, 1, 10), WORKING_DAY, "Công văn 12729/VPCP-KGVX ngày 25/12/2025: làm bù cho ngày 02/01/2026"),
)
