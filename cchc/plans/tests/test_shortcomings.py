"""Shortcomings of the last appraisal become remediation tasks linked to their criteria."""

from datetime import date
from decimal import Decimal

import pytest

from cchc.core.errors import PermissionDenied
from cchc.plans import services
from cchc.plans.models import Task
from cchc.reform.models import Criterion, ParYear

from .conftest import YEAR, unit, user


@pytest.fixture
def appraisal(demo):
    par_year = ParYear.objects.create(agency=demo, year=YEAR - 1, appraised_on=date(YEAR, 3, 15))
    domain = Criterion.objects.create(par_year=par_year, code="3", name="Cải cách thủ tục hành chính", max_points=10)

    def leaf(code, name, max_points, appraised, unit_code=None, order=0):
        return Criterion.objects.create(
            par_year=par_year,
            parent=domain,
            code=code,
            name=name,
            max_points=Decimal(max_points),
            appraised_score=None if appraised is None else Decimal(appraised),
            responsible_unit=unit(unit_code) if unit_code else None,
            order=order,
        )

    return {
        "par_year": par_year,
        "domain": domain,
        "lost_two": leaf("3.1", "Công khai thủ tục hành chính đúng hạn", "4", "2", "QLVT", 1),
        "lost_half": leaf("3.2", "Xử lý phản ánh, kiến nghị đúng hạn", "3", "2.5", None, 2),
        "full": leaf("3.3", "Số hóa hồ sơ", "3", "3", "KCHT", 3),
        "not_appraised": leaf("3.4", "Tiêu chí chưa thẩm định", "1", None, "KCHT", 4),
    }


def test_each_criterion_that_lost_points_gets_one_linked_task_once(plan, appraisal):
    created = services.remediation_tasks_from_appraisal(par_year=appraisal["par_year"], plan=plan, actor=user("cchc"))
    assert [t.criterion for t in created] == [appraisal["lost_two"], appraisal["lost_half"]]
    first, second = created
    assert first.unit == unit("QLVT") and second.unit == unit("VP")  # no owner: the reform office
    assert first.deadline == date(YEAR, 12, 31)
    assert "được thẩm định 2/4 điểm, bị trừ 2 điểm" in first.description and "bị trừ 0,5 điểm" in second.description
    assert first.title == "Khắc phục tồn tại, hạn chế: Công khai thủ tục hành chính đúng hạn"
    assert list(appraisal["lost_two"].remediation_tasks.all()) == [first]

    again = services.remediation_tasks_from_appraisal(par_year=appraisal["par_year"], plan=plan, actor=user("cchc"))
    assert again == [] and Task.objects.filter(plan=plan).count() == 2


def test_only_the_reform_officer_creates_them(plan, appraisal):
    with pytest.raises(PermissionDenied):
        services.remediation_tasks_from_appraisal(par_year=appraisal["par_year"], plan=plan, actor=user("lanhdao"))
    assert not Task.objects.filter(plan=plan).exists()


def test_the_page_lists_points_lost_and_the_button_creates_the_tasks(plan, appraisal, client):
    client.force_login(user("cchc"))
    page = client.get("/cai-cach/khac-phuc/", {"year": YEAR}).content.decode()
    assert "Công khai thủ tục hành chính đúng hạn" in page and "Xử lý phản ánh, kiến nghị đúng hạn" in page
    assert "Số hóa hồ sơ" not in page and "Tiêu chí chưa thẩm định" not in page
    assert "Tạo nhiệm vụ khắc phục" in page and "tổng 2,5 điểm" in page

    client.post("/cai-cach/khac-phuc/", {"year": YEAR})
    task = Task.objects.get(plan=plan, criterion=appraisal["lost_two"])
    services.task_report_add(task=task, actor=user("chuyenvien"), percent=40, text="Đã rà soát danh mục")
    page = client.get("/cai-cach/khac-phuc/", {"year": YEAR}).content.decode()
    assert f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/" in page and "40%" in page
    assert "Tạo nhiệm vụ khắc phục" not in page

    client.force_login(user("lanhdao"))
    leader_page = client.get("/cai-cach/khac-phuc/", {"year": YEAR}).content.decode()
    assert "Công khai thủ tục hành chính đúng hạn" in leader_page and "Tạo nhiệm vụ khắc phục" not in leader_page
    client.force_login(user("chuyenvien"))
    assert client.get("/cai-cach/khac-phuc/", {"year": YEAR}).status_code == 403


def test_another_agencys_appraisal_cannot_feed_this_plan(plan, appraisal, other_agency):
    with pytest.raises(Exception, match="Không tìm thấy"):
        services.remediation_tasks_from_appraisal(
            par_year=appraisal["par_year"], plan=other_agency["plan"], actor=other_agency["officer"]
        )
    assert not Task.objects.filter(criterion__isnull=False).exists()
