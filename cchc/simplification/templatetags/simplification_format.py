"""Vietnamese number formats that do not depend on the browser's language: 18.500; 77,44%; 1,5."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _group(integer: str) -> str:
    return f"{int(integer):,}".replace(",", ".")


@register.filter
def vn_number(value, places: int = 2):
    """`18500` -> `18.500`; `1.5` -> `1,5`; `33.333` -> `33,33` (at most `places` decimals, no trailing zeros)."""
    number = _decimal(value)
    if number is None:
        return "–"
    step = Decimal(1).scaleb(-int(places))
    text = f"{abs(number.quantize(step, rounding=ROUND_HALF_UP)):f}"
    whole, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    sign = "−" if number < 0 and (int(whole) or fraction) else ""
    return sign + _group(whole) + ("," + fraction if fraction else "")


@register.filter
def vn_percent(value):
    """`77.44` -> `77,44%`; `60` -> `60,00%`; None -> `–` (two decimals, as a saving is rounded)."""
    number = _decimal(value)
    if number is None:
        return "–"
    text = f"{abs(number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)):f}"
    whole, _dot, fraction = text.partition(".")
    sign = "−" if number < 0 else ""
    return f"{sign}{_group(whole)},{fraction}%"
