from io import BytesIO

import pytest
from openpyxl import load_workbook

from cchc.core.errors import ApplicationError
from cchc.procedures.models import Procedure, ProcedureVersion
from cchc.procedures.selectors import catalogue_specs
from cchc.procedures.services import catalogue_import
from cchc.procedures.spreadsheet import SHEET_PROCEDURES, SHEET_STEPS, catalogue_to_workbook


def exported():
    return load_workbook(BytesIO(catalogue_to_workbook(catalogue_specs())))


def save(workbook) -> bytes:
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def row_of(sheet, code):
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == code:
            return row
    raise AssertionError(code)


def test_export_holds_every_published_procedure_with_details(demo):
    workbook = exported()
    codes = [row[0] for row in workbook[SHEET_PROCEDURES].iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(Procedure.objects.values_list("code", flat=True))
    step_rows = list(workbook[SHEET_STEPS].iter_rows(min_row=2, values_only=True))
    assert any(r[0] == "1.000010" and r[3] == "Cán bộ một cửa" for r in step_rows)


def test_reimporting_the_export_changes_nothing(demo):
    versions = ProcedureVersion.objects.count()
    report = catalogue_import(agency=demo, data=save(exported()))
    assert report.unchanged == Procedure.objects.count()
    assert report.created == report.new_versions == 0
    assert ProcedureVersion.objects.count() == versions


def test_an_edited_row_makes_a_new_version(demo):
    workbook = exported()
    row_of(workbook[SHEET_PROCEDURES], "1.000010")[1].value = "Đổi giấy phép lái xe (tên mới)"
    report = catalogue_import(agency=demo, data=save(workbook))
    assert report.new_versions == 1
    procedure = Procedure.objects.get(code="1.000010")
    assert procedure.current_version.name == "Đổi giấy phép lái xe (tên mới)"
    assert procedure.versions.count() == 2


def test_a_new_row_creates_a_procedure(demo):
    workbook = exported()
    source = row_of(workbook[SHEET_PROCEDURES], "1.000010")
    workbook[SHEET_PROCEDURES].append(["2.888888"] + [c.value for c in source[1:]])
    for sheet_name in ("Phí, lệ phí", "Thành phần hồ sơ", "Quy trình nội bộ"):
        sheet = workbook[sheet_name]
        for row in list(sheet.iter_rows(min_row=2, values_only=True)):
            if row[0] == "1.000010":
                sheet.append(["2.888888", *row[1:]])
    report = catalogue_import(agency=demo, data=save(workbook))
    assert report.created == 1
    assert Procedure.objects.get(code="2.888888").current_version.steps.count() == 5


def test_bad_rows_are_reported_with_row_numbers_and_nothing_is_saved(demo):
    workbook = exported()
    sheet = workbook[SHEET_PROCEDURES]
    good = row_of(sheet, "1.000010")
    good[1].value = "Tên đã sửa nhưng không được lưu"
    bad = row_of(sheet, "1.000039") if any(r[0].value == "1.000039" for r in sheet.iter_rows(min_row=2)) else None
    target = bad or list(sheet.iter_rows(min_row=3))[0]
    target[5].value = "năm ngày"  # time limit must be a number
    target_row = target[0].row
    step_sheet = workbook[SHEET_STEPS]
    first_step = next(step_sheet.iter_rows(min_row=2))
    first_step[3].value = "Bảo vệ"  # not a role
    versions = ProcedureVersion.objects.count()

    with pytest.raises(ApplicationError) as excinfo:
        catalogue_import(agency=demo, data=save(workbook))

    details = excinfo.value.details
    assert any(f"dòng {target_row}" in d and "Thời hạn giải quyết" in d for d in details)
    assert any("Quy trình nội bộ" in d and "dòng 2" in d and "Vai trò" in d for d in details)
    assert "chưa có thay đổi nào được lưu" in excinfo.value.message
    assert ProcedureVersion.objects.count() == versions
    assert Procedure.objects.get(code="1.000010").current_version.name != "Tên đã sửa nhưng không được lưu"


def test_budget_mismatch_is_reported_on_the_procedure_row(demo):
    workbook = exported()
    row = row_of(workbook[SHEET_PROCEDURES], "1.000010")
    row[5].value = 6  # 6 working days, steps still add up to 5
    with pytest.raises(ApplicationError) as excinfo:
        catalogue_import(agency=demo, data=save(workbook))
    assert any(f"dòng {row[0].row}" in d and "Tổng thời gian" in d for d in excinfo.value.details)


def test_not_a_workbook_is_refused(demo):
    with pytest.raises(ApplicationError) as excinfo:
        catalogue_import(agency=demo, data=b"not an excel file")
    assert any("Excel" in d for d in excinfo.value.details)


def _id_card_row(workbook):
    sheet = workbook["Thành phần hồ sơ"]
    return next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "1.000010" and "Căn cước" in r[1].value)


def test_the_population_database_flag_travels_with_the_catalogue(demo):
    workbook = exported()
    assert _id_card_row(workbook)[8].value == "Có"
    _id_card_row(workbook)[8].value = "Không"
    report = catalogue_import(agency=demo, data=save(workbook))
    assert report.new_versions == 1
    version = Procedure.objects.get(code="1.000010").current_version
    assert not version.components.filter(from_population_db=True).exists()


def test_a_workbook_made_before_the_population_column_still_imports(demo):
    workbook = exported()
    workbook["Thành phần hồ sơ"].delete_cols(9)
    report = catalogue_import(agency=demo, data=save(workbook))
    assert report.new_versions >= 1  # the flagged components read as "Không"
    assert not Procedure.objects.get(code="1.000010").current_version.components.filter(from_population_db=True)


def test_the_step_agency_of_an_inter_agency_process_travels_with_the_catalogue(demo):
    from cchc.dossiers.tests.interagency import CODE, build_inter_agency_procedure

    procedure = build_inter_agency_procedure()
    commune, department = procedure.agency, demo
    workbook = load_workbook(BytesIO(catalogue_to_workbook([spec for spec in catalogue_specs() if spec.code == CODE])))
    steps = workbook[SHEET_STEPS]
    assert steps.cell(1, 6).value == "Mã cơ quan thực hiện (liên thông)"
    rows = [row for row in steps.iter_rows(min_row=2) if row[0].value == CODE]
    assert [row[5].value or "" for row in rows] == ["", "", department.code, department.code, ""]

    # Read back as written: the same process, no new version.
    report = catalogue_import(agency=commune, data=save(workbook))
    assert (report.unchanged, report.new_versions) == (1, 0)

    # The appraisal moved to the commune itself: a new version whose step 3 runs in the resolving agency.
    rows[2][5].value = None
    report = catalogue_import(agency=commune, data=save(workbook))
    assert report.new_versions == 1
    version = Procedure.objects.get(code=CODE).current_version
    assert version.steps.get(order=3).agency is None
    assert version.steps.get(order=4).agency == department

    # An agency that does not exist is refused with its row, and nothing changes.
    rows[3][5].value = "999.99.99.H99"
    with pytest.raises(ApplicationError) as refused:
        catalogue_import(agency=commune, data=save(workbook))
    assert any("999.99.99.H99" in detail for detail in refused.value.details)
    assert Procedure.objects.get(code=CODE).current_version == version
