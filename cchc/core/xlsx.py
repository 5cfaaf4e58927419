"""Every `.xlsx` the system produces leaves through `xlsx_bytes`.

A spreadsheet program runs a cell whose text starts with `=` (and, once a user edits it, `+`,
`-`, `@`, a tab or a carriage return) as a formula: an applicant named `=HYPERLINK(...)` would
become a live link in an officer's tracking book. CCHC never writes formulas, so before saving,
every cell holding such text is typed as text (`data_type "s"`) and marked with Excel's quote
prefix, which keeps it text when someone edits the cell. Numbers stay numbers.
"""

from io import BytesIO

from openpyxl import Workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(workbook: Workbook) -> Workbook:
    """Type every formula-like text cell of `workbook` as text (in place); returns it."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return workbook


def xlsx_bytes(workbook: Workbook) -> bytes:
    """The workbook as `.xlsx` bytes, with no cell a spreadsheet program would run."""
    buffer = BytesIO()
    neutralise(workbook).save(buffer)
    return buffer.getvalue()
