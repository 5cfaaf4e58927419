"""Amounts in Vietnamese words, as receipts write them: 115000 → "Một trăm mười lăm nghìn đồng".

Pure functions, no Django. The reading follows the usual accounting style:
- groups of three digits named nghìn, triệu, tỷ (then nghìn tỷ, triệu tỷ, tỷ tỷ);
- a group after the first is read in full: 1005 → "một nghìn không trăm linh năm";
- "linh" for a missing ten before a unit (105 → "một trăm linh năm");
- "mười" for ten, "mươi" for the other tens; "mốt" for 1 and "tư" for 4 after "mươi";
  "lăm" for 5 after any ten (15 → "mười lăm", 25 → "hai mươi lăm");
- groups that are all zeros are not read (1000000 → "một triệu").
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
BILLION = 10**9
GROUP_NAMES = ("", "nghìn", "triệu")


def _three(value: int, *, full: bool) -> list[str]:
    """Words for 0 < value < 1000; `full` reads the hundreds and the ten even when zero."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 4 and tens >= 2:
            words.append("tư")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return words


def _below_billion(value: int, *, full: bool) -> list[str]:
    """Words for 0 < value < 10^9; `full`: a higher part was read before this one."""
    groups = []
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        words += _three(group, full=full or bool(words))
        if GROUP_NAMES[index]:
            words.append(GROUP_NAMES[index])
    return words


def number_in_words(value: int) -> str:
    """`value` (a non-negative integer) in lower-case Vietnamese words."""
    if value < 0:
        raise ValueError("a non-negative amount is expected")
    if value == 0:
        return DIGITS[0]
    return " ".join(_words(value, full=False))


def _words(value: int, *, full: bool) -> list[str]:
    high, low = divmod(value, BILLION)
    words: list[str] = []
    if high:
        words += _words(high, full=full) + ["tỷ"]
    if low:
        words += _below_billion(low, full=full or bool(words))
    return words


def vnd_in_words(amount: int) -> str:
    """`115000` → "Một trăm mười lăm nghìn đồng" (capitalised, with the currency)."""
    text = number_in_words(int(amount))
    return f"{text[0].upper()}{text[1:]} đồng"
