"""A service's refusal shown on the form that asked for it: the one place where `ApplicationError`
meets Django forms (the API maps it in `config/api.py`)."""

from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError

# Dates are typed and shown as dd/mm/yyyy everywhere; ISO is still understood (links, old bookmarks).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def vn_date_widget() -> forms.DateInput:
    """A text box that shows a date as dd/mm/yyyy (a `type="date"` box follows the browser's locale,
    and a plain text box shows a date value as 2036-12-07)."""
    return forms.DateInput(
        format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
    )


def vn_date_field(label, *, required: bool = True, help_text="", error_messages=None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=vn_date_widget(),
        error_messages={"invalid": _("Ngày phải theo dạng dd/mm/yyyy."), **(error_messages or {})},
    )


def add_application_error(form, exc: ApplicationError, fields: Mapping[str, str] | None = None) -> None:
    """Put each `(field, message)` of `exc.details` on that field of `form` (service field names are
    mapped through `fields` when they differ from the form's); anything else on the whole form."""
    placed = False
    for item in exc.details:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            continue
        name = fields.get(item[0]) if fields is not None else item[0]
        if name in form.fields:
            form.add_error(name, item[1] or exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def error_status(exc: ApplicationError) -> int:
    """The status a page answers with when it shows the refused form again (always a 4xx)."""
    return exc.status if 400 <= exc.status < 500 else 400
