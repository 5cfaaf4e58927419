"""Loading a criteria template: YAML or .xlsx, checked as a whole, all or nothing, and exported back."""

from decimal import Decimal
from io import BytesIO

import pytest
import yaml
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cchc.audit.models import AuditEvent
from cchc.core.errors import ApplicationError, PermissionDenied
from cchc.dossiers.tests.helpers import user
from cchc.reform import criteria_file
from cchc.reform.exports import par_year_workbook
from cchc.reform.models import Criterion, ParYear
from cchc.reform.services import criterion_update, par_year_load

from .conftest import YEAR


def _yaml(rows, **meta) -> bytes:
    return yaml.safe_dump({"name": "Bộ thử", **meta, "criteria": rows}, allow_unicode=True).encode()


GOOD = [
    {"code": "1", "name": "Lĩnh vực một", "max": 10},
    {"code": "1.1", "name": "Tiêu chí tự chấm", "max": 4, "method": "self", "unit": "VP"},
    {"code": "1.2", "name": "Tiêu chí tính tự động", "max": 6, "method": "indicator", "indicator": "progress.on_time"},
]


def _load(demo, data: bytes, filename="bo.yaml", year=YEAR):
    return par_year_load(agency=demo, year=year, data=data, filename=filename, actor=user("cchc"))


def _refusal(demo, rows) -> list[str]:
    with pytest.raises(ApplicationError) as caught:
        _load(demo, _yaml(rows))
    assert not ParYear.objects.exists() and not Criterion.objects.exists()
    assert "chưa có gì thay đổi" in caught.value.message
    return [str(p) for p in caught.value.details]


def test_the_sample_template_loads_the_eight_domains_on_100_points(par_year):
    domains = Criterion.objects.filter(par_year=par_year, parent__isnull=True).order_by("order")
    assert domains.count() == 8
    assert sum(d.max_points for d in domains) == Decimal(100)
    assert par_year.is_sample and "MẪU" in par_year.template_note
    assert par_year.target == Decimal(80)
    event = AuditEvent.objects.get(action="reform.par_year_load")
    assert event.actor_username == "cchc" and event.data["criteria"] == Criterion.objects.count()


def test_a_parent_whose_maximum_is_not_the_sum_of_its_children_saves_nothing(demo):
    rows = [dict(GOOD[0], max=9), *GOOD[1:]]
    problems = _refusal(demo, rows)
    assert any("Tiêu chí thứ 1 (mã 1)" in p and "khác tổng điểm tối đa" in p and "(10)" in p for p in problems)


def test_an_unknown_unit_saves_nothing(demo):
    problems = _refusal(demo, [*GOOD[:1], dict(GOOD[1], unit="KHONGCO"), GOOD[2]])
    assert any("Tiêu chí thứ 2 (mã 1.1)" in p and "KHONGCO" in p for p in problems)


def test_a_duplicate_code_saves_nothing(demo):
    problems = _refusal(demo, [*GOOD, dict(GOOD[1], name="Trùng mã")])
    assert any("Tiêu chí thứ 4 (mã 1.1): mã trùng với Tiêu chí thứ 2" in p for p in problems)


def test_unknown_indicator_bad_method_missing_parent_and_bad_points_are_each_named(demo):
    rows = [
        *GOOD[:2],
        dict(GOOD[2], indicator="khong.co"),
        {"code": "2.1", "name": "Mồ côi", "max": 1},
        {"code": "3", "name": "Sai phương pháp", "max": 1, "method": "đoán"},
        {"code": "4", "name": "Điểm lạ", "max": "mười"},
        {"code": 4.1, "name": "Mã bị đọc thành số", "max": 1},
    ]
    problems = " | ".join(_refusal(demo, rows))
    assert "không có chỉ số “khong.co”" in problems
    assert "không có tiêu chí cấp trên mã 2" in problems
    assert "phương pháp chấm “đoán” không hợp lệ" in problems
    assert "điểm tối đa “mười” không phải là số" in problems
    assert "bị đọc thành số" in problems


def test_a_file_that_is_neither_yaml_nor_a_workbook_is_refused(demo):
    with pytest.raises(ApplicationError) as caught:
        _load(demo, b"PK\x03\x04 not really a zip", filename="bo.xlsx")
    assert "Excel" in caught.value.details[0]
    with pytest.raises(ApplicationError):
        _load(demo, b"- just\n- a list\n")
    assert not ParYear.objects.exists()


def test_only_the_reform_officer_or_administrator_loads_a_template(demo):
    for username in ("lanhdao", "truongphong", "chuyenvien"):
        with pytest.raises(PermissionDenied):
            par_year_load(agency=demo, year=YEAR, data=_yaml(GOOD), filename="bo.yaml", actor=user(username))
    assert not ParYear.objects.exists()


def test_the_exported_workbook_loads_back_into_the_same_tree(par_year, demo):
    data = par_year_workbook(par_year)
    sheet = load_workbook(BytesIO(data))["Tiêu chí"]
    assert [c.value for c in sheet[1]] == [label for _key, label in criteria_file.COLUMNS]
    copy = _load(demo, data, filename="bo.xlsx", year=2027)
    original = list(
        Criterion.objects.filter(par_year=par_year).values_list(
            "code", "name", "max_points", "method", "indicator", "responsible_unit", "parent__code"
        )
    )
    again = list(
        Criterion.objects.filter(par_year=copy).values_list(
            "code", "name", "max_points", "method", "indicator", "responsible_unit", "parent__code"
        )
    )
    assert again == original
    assert copy.is_sample and copy.template_note == par_year.template_note


def test_loading_the_same_file_again_changes_nothing(par_year, demo):
    before = AuditEvent.objects.count()
    _load(demo, criteria_file.SAMPLE_TEMPLATE.read_bytes(), filename="par_template_sample.yaml")
    assert AuditEvent.objects.count() == before


def test_reloading_keeps_scores_and_refuses_to_drop_a_scored_criterion(par_year, demo):
    leaf = Criterion.objects.get(par_year=par_year, code="1.1.1")
    criterion_update(criterion=leaf, actor=user("cchc"), self_score=Decimal("1"), notes="", responsible_unit=None)
    spec = yaml.safe_load(criteria_file.SAMPLE_TEMPLATE.read_text())
    renamed = [dict(r, name="Kế hoạch CCHC (tên mới)") if r["code"] == "1.1.1" else r for r in spec["criteria"]]
    _load(demo, _yaml(renamed, sample=True))
    leaf.refresh_from_db()
    assert leaf.name == "Kế hoạch CCHC (tên mới)" and leaf.self_score == Decimal("1.00")

    without = [r for r in spec["criteria"] if r["code"] != "1.1.1"]
    without = [dict(r, max=1.5) if r["code"] == "1.1" else r for r in without]
    without = [dict(r, max=9) if r["code"] == "1" else r for r in without]
    with pytest.raises(ApplicationError) as caught:
        _load(demo, _yaml(without))
    assert "1.1.1" in caught.value.details[0]
    assert Criterion.objects.filter(par_year=par_year, code="1.1.1").exists()


def test_the_command_loads_the_sample_and_reports_errors(demo, tmp_path):
    call_command("load_par_template", "--agency", demo.code, "--year", "2030")
    assert ParYear.objects.get(year=2030).criteria.count() > 50
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(_yaml([dict(GOOD[0], max=99), *GOOD[1:]]))
    with pytest.raises(CommandError) as caught:
        call_command("load_par_template", "--agency", demo.code, "--year", "2031", str(bad))
    assert "khác tổng điểm tối đa" in str(caught.value)
    assert not ParYear.objects.filter(year=2031).exists()


def test_an_empty_unit_cell_keeps_the_unit_assigned_on_the_page(demo):
    from cchc.accounts.models import Unit

    par_year = _load(demo, _yaml(GOOD))
    kcht = Unit.objects.get(agency=demo, code="KCHT")
    computed = Criterion.objects.get(par_year=par_year, code="1.2")
    criterion_update(criterion=computed, actor=user("cchc"), self_score=None, notes="", responsible_unit=kcht)
    _load(demo, _yaml([*GOOD[:2], dict(GOOD[2], name="Tên mới")]))
    computed.refresh_from_db()
    assert computed.name == "Tên mới" and computed.responsible_unit == kcht
    _load(demo, _yaml([*GOOD[:2], dict(GOOD[2], unit="CLCT")]))
    computed.refresh_from_db()
    assert computed.responsible_unit.code == "CLCT"
