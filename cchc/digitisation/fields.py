"""Key fields proposed from a scanned paper's text, for the officer to confirm (pure: no database, no OCR).

OCR text is noisy: labels lose diacritics or spacing, digits come with stray spaces. Every rule reads the
text folded (no diacritics, lower case) for the labels and keeps the value as printed. A field is only
proposed; nothing is taken without the officer's confirmation.
"""

import re
from dataclasses import dataclass
from datetime import date

from cchc.core.text import fold

ID_NUMBER = re.compile(r"(?<!\d)(\d{3}\s?\d{3}\s?\d{6})(?!\d)")
DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
# Vietnamese plates: 29A-123.45, 30E-12345, 51F1-234.56 (province code, series, number).
PLATE = re.compile(r"(?<![0-9A-Z])(\d{2}[A-Z]{1,2}\d?)\s*[-–]\s*(\d{3}\.?\d{2}|\d{4,5})(?![0-9])")
LICENCE = re.compile(r"(?<!\d)(\d{12})(?!\d)")

LABELS = {
    "name": ("ho va ten", "ho ten", "full name"),
    "birth_date": ("ngay sinh", "ngay, thang, nam sinh", "date of birth"),
    # "gplx" alone as well: OCR sometimes reads "Số GPLX" as "S6 GPLX".
    "licence_number": ("giay phep lai xe so", "so gplx", "gplx so", "so giay phep", "gplx"),
}
FIELD_LABELS = {
    "id_number": "Số định danh cá nhân",
    "name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "plate_number": "Biển số xe",
    "licence_number": "Số giấy phép lái xe",
}


@dataclass(frozen=True)
class Proposal:
    field: str
    value: str


def _line_after(lines: list[str], folded: list[str], labels: tuple[str, ...]) -> str:
    """The text after a label on its line (or on the next line when the label ends its line)."""
    for index, line in enumerate(folded):
        for label in labels:
            at = line.find(label)
            if at < 0:
                continue
            rest = lines[index][at + len(label) :]
            # Bilingual cards: "Họ và tên / Full name: …" — the English label goes too.
            rest = re.sub(r"^\s*/\s*[A-Za-z .,']*:?", "", rest).lstrip(" :.-/")
            if not rest.strip() and index + 1 < len(lines):
                rest = lines[index + 1]
            return " ".join(rest.split())
    return ""


def _date(text: str) -> str:
    match = DATE.search(text)
    if not match:
        return ""
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day).strftime("%d/%m/%Y")
    except ValueError:
        return ""


def propose(text: str) -> list[Proposal]:
    """The key fields found in the text, at most one value each."""
    lines = [line for line in text.splitlines() if line.strip()]
    folded = [fold(line) for line in lines]
    found: dict[str, str] = {}
    licence_line = _line_after(lines, folded, LABELS["licence_number"])
    licence = LICENCE.search(licence_line.replace(" ", ""))
    if licence:
        found["licence_number"] = licence.group(1)
    for match in ID_NUMBER.finditer(text):
        number = match.group(1).replace(" ", "")
        if number != found.get("licence_number"):
            found["id_number"] = number
            break
    name = _line_after(lines, folded, LABELS["name"])
    if name:
        found["name"] = re.split(r"\s{2,}|\d", name)[0].strip().upper()
    birth = _date(_line_after(lines, folded, LABELS["birth_date"]))
    if birth:
        found["birth_date"] = birth
    plate = PLATE.search(text.upper())
    if plate:
        found["plate_number"] = f"{plate.group(1)}-{plate.group(2)}"
    return [Proposal(field, found[field]) for field in FIELD_LABELS if found.get(field)]
