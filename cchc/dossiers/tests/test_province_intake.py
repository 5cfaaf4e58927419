"""One procedure offered by many agencies, and dossiers received anywhere in the province:
the resolving agency (`agency`), the one-stop point that received it (`received_by`), the code
of the point that received it, the return point, and who sees what."""

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers.models import Dossier
from cchc.dossiers.policies import available_actions
from cchc.dossiers.selectors import dossier_visible_to
from cchc.dossiers.services import position_of

from .helpers import PDF, act, user
from .province import CENTRE, CODE, COMMUNE_A, COMMUNE_B, PASSWORD, build_province

API = "/api/v1"
APPLICANT = {"kind": "citizen", "name": "Nguyễn Văn An", "id_number": "001203004567", "phone": "0912345678"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def province(demo):
    return build_province()


def token(client, username: str) -> dict:
    response = client.post(
        f"{API}/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def files(procedure) -> dict:
    return {
        str(c.pk): SimpleUploadedFile(f"c{c.pk}.pdf", PDF)
        for c in procedure.current_version.components.all()
        if c.required
    }


def test_the_catalogue_filters_by_agency_and_the_detail_lists_every_agency_offering_it(client, province):
    listed = client.get(f"{API}/procedures", {"agency": COMMUNE_B}).json()
    assert CODE in [item["code"] for item in listed["items"]]
    # The department no longer offers it once the communes do.
    department = province.procedure.agency.code
    assert CODE not in [
        item["code"] for item in client.get(f"{API}/procedures", {"agency": department}).json()["items"]
    ]

    detail = client.get(f"{API}/procedures/{CODE}").json()
    assert detail["agencies"] == [
        {"code": COMMUNE_A, "name": "Xã An Phú"},
        {"code": COMMUNE_B, "name": "Xã Đại Phước"},
    ]
    at_b = client.get(f"{API}/procedures/{CODE}", {"agency": COMMUNE_B}).json()
    assert at_b["agency"] == {"code": COMMUNE_B, "name": "Xã Đại Phước"}
    assert at_b["local_note"] == "Trả kết quả buổi sáng."
    assert {step["unit"]["name"] for step in at_b["steps"] if step["unit"]} >= {"Phòng Văn hóa - Xã hội"}
    missing = client.get(f"{API}/procedures/{CODE}", {"agency": CENTRE})
    assert missing.status_code == 404


def test_a_single_agency_procedure_lists_its_own_agency(client, demo):
    detail = client.get(f"{API}/procedures/{CODE}").json()
    assert detail["agencies"] == [{"code": demo.code, "name": demo.name}]


def test_online_submission_must_name_the_agency_when_several_offer_the_procedure(client, province):
    headers = token(client, "congdan")
    data = {"procedure": CODE, "applicant": json.dumps(APPLICANT), **files(province.procedure)}
    before = Dossier.objects.count()
    refused = client.post(f"{API}/dossiers", data, headers=headers)
    assert refused.status_code == 400
    assert refused.json()["code"] == "agency_required"
    assert Dossier.objects.count() == before

    data = {"procedure": CODE, "applicant": json.dumps(APPLICANT), "agency": COMMUNE_B, **files(province.procedure)}
    created = client.post(f"{API}/dossiers", data, headers=headers)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["agency"] == {"code": COMMUNE_B, "name": "Xã Đại Phước"}
    assert body["received_by"] == {"code": COMMUNE_B, "name": "Xã Đại Phước"}
    assert body["code"].startswith(f"{COMMUNE_B}-")
    listed = client.get(f"{API}/dossiers", headers=headers).json()["items"]
    mine = next(item for item in listed if item["code"] == body["code"])
    assert mine["agency"]["code"] == COMMUNE_B and mine["received_by"]["code"] == COMMUNE_B


def test_an_agency_that_does_not_offer_the_procedure_is_refused(client, province):
    headers = token(client, "congdan")
    data = {"procedure": CODE, "applicant": json.dumps(APPLICANT), "agency": CENTRE, **files(province.procedure)}
    response = client.post(f"{API}/dossiers", data, headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "agency_not_offering"


def counter_intake(client, province, *, username="xa_a_motcua", agency=COMMUNE_B, **extra):
    data = {
        "procedure": CODE,
        "agency": agency,
        "applicant": json.dumps(APPLICANT),
        "return_method": "counter",
        **{str(c.pk): "paper=1" for c in province.procedure.current_version.components.all() if c.required},
        **extra,
    }
    return client.post(f"{API}/dossiers/counter", data, headers=token(client, username))


def test_commune_a_receives_for_commune_b_and_commune_b_resolves_it(client, province):
    response = counter_intake(client, province)
    assert response.status_code == 201, response.content
    body = response.json()
    # The code is the receiving point's: its identifier and its daily sequence (docs/dossier-codes.md).
    assert body["code"].startswith(f"{COMMUNE_A}-")
    assert body["received_by"] == {"code": COMMUNE_A, "name": "Xã An Phú"}
    assert body["agency"] == {"code": COMMUNE_B, "name": "Xã Đại Phước"}
    assert body["return_point"] == {"code": COMMUNE_A, "name": "Xã An Phú"}
    dossier = Dossier.objects.get(code=body["code"])

    # Commune A's counter sees what it received but cannot act on commune B's process.
    officer_a = user("xa_a_motcua")
    assert dossier_visible_to(officer_a).filter(pk=dossier.pk).exists()
    assert available_actions(officer_a, dossier, position_of(dossier)) == []
    # Commune B's process: its counter forwards, its own division handles it.
    dossier = act(dossier, "xa_b_motcua", "forward")
    assert dossier.steps.get(finished_at__isnull=True).unit.agency == province.commune_b
    dossier = act(dossier, "xa_b_truongphong", "assign", assignee="xa_b_chuyenvien")
    dossier = act(dossier, "xa_b_chuyenvien", "forward", comment="Đủ điều kiện")
    dossier = act(dossier, "xa_b_truongphong", "forward")
    dossier = act(dossier, "xa_b_lanhdao", "approve", comment="Đồng ý")
    dossier = act(dossier, "xa_b_motcua", "result_ready")
    # The result returns where the applicant asked: commune A's counter hands it over.
    dossier = act(dossier, "xa_a_motcua", "return_result", return_method="counter")
    assert dossier.status == "returned"


def test_another_communes_specialist_and_a_department_counter_do_not_see_it(client, province):
    code = counter_intake(client, province).json()["code"]
    for username in ("xa_a_chuyenvien", "motcua", "chuyenvien", "tt_motcua"):
        assert not dossier_visible_to(user(username)).filter(code=code).exists(), username
        response = client.get(f"{API}/dossiers/{code}", headers=token(client, username))
        assert response.status_code == 404


def test_the_provincial_centre_receives_for_a_commune(client, province):
    response = counter_intake(client, province, username="tt_motcua", agency=COMMUNE_A)
    assert response.status_code == 201, response.content
    assert response.json()["code"].startswith(f"{CENTRE}-")
    assert response.json()["received_by"]["code"] == CENTRE


def test_a_department_counter_cannot_receive_for_a_commune_and_nothing_is_made(client, province):
    before = Dossier.objects.count()
    response = counter_intake(client, province, username="motcua")
    assert response.status_code == 403
    assert Dossier.objects.count() == before


def test_counter_intake_without_the_required_papers_is_refused_and_nothing_is_made(client, province):
    before = Dossier.objects.count()
    data = {"procedure": CODE, "agency": COMMUNE_B, "applicant": json.dumps(APPLICANT), "return_method": "counter"}
    response = client.post(f"{API}/dossiers/counter", data, headers=token(client, "xa_a_motcua"))
    assert response.status_code == 400
    assert response.json()["code"] == "missing_documents"
    assert Dossier.objects.count() == before


def test_a_citizen_cannot_use_the_counter_endpoint(client, province):
    response = counter_intake(client, province, username="congdan")
    assert response.status_code == 403


def test_the_provincial_leader_reads_every_agency_but_acts_on_none(client, province):
    code = counter_intake(client, province).json()["code"]
    leader = user("tinh_lanhdao")
    dossier = Dossier.objects.get(code=code)
    assert dossier_visible_to(leader).filter(pk=dossier.pk).exists()
    assert available_actions(leader, dossier, position_of(dossier)) == []
    response = client.get(f"{API}/dossiers/{code}", headers=token(client, "tinh_lanhdao"))
    assert response.status_code == 200
    assert response.json()["available_actions"] == []


def test_the_procedure_page_lets_the_citizen_find_a_commune_without_accents(client, province):
    page = client.get(f"/thu-tuc/{CODE}/", {"tim_co_quan": "dai phuoc"}).content.decode()
    assert "Xã Đại Phước" in page
    assert "Xã An Phú" not in page
    assert f"co_quan={COMMUNE_B}" in page


def test_submitting_online_without_choosing_a_commune_sends_the_citizen_back_to_choose(client, province):
    client.force_login(user("congdan"))
    response = client.get(f"/thu-tuc/{CODE}/nop-ho-so/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/thu-tuc/{CODE}/#chon-co-quan")
    chosen = client.get(f"/thu-tuc/{CODE}/nop-ho-so/", {"co_quan": COMMUNE_B})
    assert "Xã Đại Phước" in chosen.content.decode()


def test_the_centres_counter_page_asks_for_the_resolving_agency_then_receives_for_it(client, province):
    from django.urls import reverse

    from cchc.procedures.models import Procedure

    client.force_login(user("tt_motcua"))
    url = reverse("dossiers:counter_new") + f"?thu_tuc={CODE}"
    page = client.get(url).content.decode()
    assert "Xã Đại Phước" in page and "Xã An Phú" in page
    assert 'class="intake-form"' not in page  # no intake form before the agency is chosen
    components = Procedure.objects.get(code=CODE).current_version.components.all()
    data = {
        "applicant_kind": "citizen",
        "applicant_name": "Trần Văn Tám",
        "applicant_id_number": "001099054321",
        "applicant_phone": "0987654321",
        "applicant_email": "",
        "applicant_address": "Bình Sơn",
        "applicant_tax_code": "",
        "sets": "1",
        "return_method": "counter",
        "items": "",
        "reason": "",
        "decision": "receive",
        "fee_taken": "on",
        **{f"paper_{c.pk}": "on" for c in components},
    }
    before = Dossier.objects.count()
    client.post(f"{url}&co_quan={COMMUNE_B}", data)
    assert Dossier.objects.count() == before + 1
    dossier = Dossier.objects.latest("pk")
    assert dossier.agency.code == COMMUNE_B
    assert dossier.reception_point.code == CENTRE
    assert dossier.code.startswith(f"{CENTRE}-")


# ---------------------------------------------------------------- the return point chosen online


def _online_form(procedure, **overrides) -> dict:
    data = {
        "kind": "citizen",
        "name": "Nguyễn Văn An",
        "id_number": "001203004567",
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "Xã Đại Phước",
        "return_method": "counter",
        "return_point": "",
        **{f"component_{pk}": upload for pk, upload in files(procedure).items()},
    }
    data.update(overrides)
    return data


def test_online_the_citizen_chooses_another_centre_to_collect_the_result_and_its_counter_returns_it(client, province):
    from django.urls import reverse

    from cchc.dossiers.selectors import work_queue
    from cchc.dossiers.services import dossier_submit

    citizen = user("congdan")
    client.force_login(citizen)
    url = reverse("dossiers:submit_start", args=[CODE]) + f"?co_quan={COMMUNE_B}"
    page = client.get(url).content.decode()
    assert "Nơi nhận kết quả trực tiếp" in page
    assert "Bộ phận Một cửa của Xã Đại Phước (nơi giải quyết hồ sơ)" in page
    assert f'value="{CENTRE}"' in page and f'value="{COMMUNE_A}"' in page
    assert f'value="{COMMUNE_B}"' not in page  # the resolving commune is the first choice, not listed twice

    # A centre chosen with the result sent by post: refused with the reason, nothing made.
    before = Dossier.objects.count()
    refused = client.post(url, _online_form(province.procedure, return_method="post", return_point=CENTRE))
    assert refused.status_code == 200
    assert "chỉ chọn khi nhận kết quả tại Bộ phận Một cửa" in refused.content.decode()
    # A point that is not a one-stop point of the province (the department) is not a choice either.
    department = client.post(url, _online_form(province.procedure, return_point="000.00.12.H99"))
    assert department.status_code == 200 and Dossier.objects.count() == before

    response = client.post(url, _online_form(province.procedure, return_point=CENTRE))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = Dossier.objects.get(pk=Dossier.objects.latest("pk").pk)
    assert (draft.agency.code, draft.return_method, draft.return_point.code) == (COMMUNE_B, "counter", CENTRE)
    assert province.centre.name in client.get(response["Location"]).content.decode()

    dossier = dossier_submit(dossier=draft, user=citizen)
    mine = client.get(reverse("dossiers:my_detail", args=[dossier.code])).content.decode()
    assert f"Tại Bộ phận Một cửa: {province.centre.name}" in mine
    dossier = act(dossier, "xa_b_motcua", "receive")
    dossier = act(dossier, "xa_b_motcua", "forward")
    dossier = act(dossier, "xa_b_truongphong", "assign", assignee="xa_b_chuyenvien")
    dossier = act(dossier, "xa_b_chuyenvien", "forward", comment="Đủ điều kiện")
    dossier = act(dossier, "xa_b_truongphong", "forward")
    dossier = act(dossier, "xa_b_lanhdao", "approve", comment="Đồng ý")
    dossier = act(dossier, "xa_b_motcua", "result_ready")
    # The centre's counter finds it on its desk for the return and hands the result over.
    assert work_queue(user=user("tt_motcua")).filter(pk=dossier.pk).exists()
    assert not work_queue(user=user("xa_a_motcua")).filter(pk=dossier.pk).exists()
    dossier = act(dossier, "tt_motcua", "return_result", return_method="counter")
    assert dossier.status == "returned"


def test_a_draft_keeps_the_chosen_centre_when_edited_and_drops_it_for_the_post(client, province):
    from django.urls import reverse

    client.force_login(user("congdan"))
    url = reverse("dossiers:submit_start", args=[CODE]) + f"?co_quan={COMMUNE_B}"
    client.post(url, _online_form(province.procedure, return_point=COMMUNE_A))
    draft = Dossier.objects.latest("pk")
    edit = reverse("dossiers:draft_edit", args=[draft.pk])
    form = client.get(edit).context["form"]
    assert form["return_point"].value() == COMMUNE_A
    client.post(edit, _online_form(province.procedure, return_method="post"))
    draft.refresh_from_db()
    assert (draft.return_method, draft.return_point) == ("post", None)


def test_the_point_that_received_or_returns_a_dossier_finds_it_on_its_desk_only_for_the_return(client, province):
    from cchc.dossiers.selectors import work_queue

    code = counter_intake(client, province).json()["code"]
    dossier = Dossier.objects.get(code=code)
    # Step 1 waits at commune B's counter: its desk, not commune A's (which received it and returns it).
    assert work_queue(user=user("xa_b_motcua")).filter(pk=dossier.pk).exists()
    assert not work_queue(user=user("xa_a_motcua")).filter(pk=dossier.pk).exists()
    dossier = act(dossier, "xa_b_motcua", "forward")
    dossier = act(dossier, "xa_b_truongphong", "assign", assignee="xa_b_chuyenvien")
    dossier = act(dossier, "xa_b_chuyenvien", "forward", comment="Đủ điều kiện")
    dossier = act(dossier, "xa_b_truongphong", "forward")
    dossier = act(dossier, "xa_b_lanhdao", "approve", comment="Đồng ý")
    dossier = act(dossier, "xa_b_motcua", "result_ready")
    assert work_queue(user=user("xa_a_motcua")).filter(pk=dossier.pk).exists()
