"""Points as Vietnamese write them: `Decimal("7.50")` → `7,5`, `Decimal("10.00")` → `10`, None → –."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def points(value, empty="–"):
    if value is None or value == "":
        return empty
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    number = number.quantize(Decimal("0.01"))
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", ",")


@register.filter
def signed_points(value):
    """`+1,5`, `-2`, `0` for differences."""
    if value is None:
        return "–"
    text = points(value)
    return f"+{text}" if value > 0 else text
