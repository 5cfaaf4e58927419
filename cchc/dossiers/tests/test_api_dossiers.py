"""The dossier API, driven the way a client would: tokens, multipart submissions, actions."""

import json
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cchc.core.calendar import VN_TZ
from cchc.dossiers.models import Dossier

from .helpers import PDF, act, frozen, submit

API = "/api/v1"
NOT_FOUND = "Không tìm thấy hồ sơ."
APPLICANT = {
    "kind": "citizen",
    "name": "Nguyễn Văn An",
    "id_number": "001203004567",
    "phone": "0912345678",
    "email": "an@example.vn",
    "address": "Số 1 đường Lê Lợi, Bình Sơn",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


class Caller:
    """A client holding one user's bearer token."""

    def __init__(self, client, username: str):
        self.client = client
        response = client.post(
            f"{API}/auth/token", {"username": username, "password": "demo12345"}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        self.headers = {"Authorization": f"Bearer {response.json()['token']}"}

    def get(self, path: str, params=None):
        return self.client.get(f"{API}{path}", params or {}, headers=self.headers)

    def act(self, code: str, action: str, **body):
        return self.client.post(
            f"{API}/dossiers/{code}/actions/{action}", body, content_type="application/json", headers=self.headers
        )

    def submit(self, *, files: dict | None = None, applicant=None, key: str = "", **fields):
        data = {
            "procedure": "1.000010",
            "applicant": applicant if isinstance(applicant, str) else json.dumps(applicant or APPLICANT),
            "return_method": "online",
            **fields,
            **(files if files is not None else {}),
        }
        headers = dict(self.headers)
        if key:
            headers["Idempotency-Key"] = key
        return self.client.post(f"{API}/dossiers", data, headers=headers)


@pytest.fixture
def as_user(demo, client):
    return lambda username: Caller(client, username)


def required_files(caller: Caller, content: bytes = PDF) -> dict:
    detail = caller.get("/procedures/1.000010").json()
    return {
        str(c["id"]): SimpleUploadedFile(f"thanh-phan-{c['id']}.pdf", content)
        for c in detail["components"]
        if c["required"]
    }


def history(response) -> list[str]:
    return [event["action"] for event in response.json()["history"]]


# ---------------------------------------------------------------- the journey


def test_whole_journey_through_the_api(as_user):
    citizen = as_user("congdan")
    created = citizen.submit(files=required_files(citizen), key="journey-1")
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    assert code and created.json()["status"] == "submitted"
    assert created.json()["applicant"]["id_number"] == APPLICANT["id_number"]
    assert len(created.json()["documents"]) == 5

    # A retry with the same key gives the same dossier, answered 200, and creates nothing.
    retry = citizen.submit(files=required_files(citizen), key="journey-1")
    assert retry.status_code == 200
    assert retry.json()["code"] == code
    assert Dossier.objects.filter(applicant_user__username="congdan").count() == 1

    motcua, truongphong, chuyenvien, lanhdao = (
        as_user(name) for name in ("motcua", "truongphong", "chuyenvien", "lanhdao")
    )
    steps = [
        (motcua, "receive", {}, "received"),
        (motcua, "forward", {"comment": "Hồ sơ đầy đủ"}, "in_progress"),
        (truongphong, "assign", {"assignee": "chuyenvien"}, "in_progress"),
        (chuyenvien, "forward", {"comment": "Đủ điều kiện, đề nghị trình ký"}, "in_progress"),
        (truongphong, "forward", {}, "in_progress"),
        (lanhdao, "approve", {"comment": "Đồng ý"}, "approved"),
        (motcua, "result_ready", {}, "result_ready"),
        (motcua, "return_result", {"return_method": "counter"}, "returned"),
    ]
    for caller, action, body, status in steps:
        response = caller.act(code, action, **body)
        assert response.status_code == 200, (action, response.content)
        assert response.json()["status"] == status, action

    final = citizen.get(f"/dossiers/{code}").json()
    assert final["status"] == "returned"
    assert final["finished_at"] and final["received_at"] and final["due_at"]
    assert final["received_at"].endswith("+07:00") and final["finished_at"].endswith("+07:00")
    assert final["return_method"] == "counter"
    assert final["current_step"] is None
    assert [e["action"] for e in final["history"]] == [
        "submit",
        "receive",
        "forward",
        "assign",
        "forward",
        "forward",
        "approve",
        "result_ready",
        "return_result",
    ]
    assert final["history"][-1]["to_status"] == "returned"
    assert final["available_actions"] == []


def test_available_actions_depend_on_the_caller(as_user):
    citizen, motcua = as_user("congdan"), as_user("motcua")
    code = citizen.submit(files=required_files(citizen)).json()["code"]

    assert citizen.get(f"/dossiers/{code}").json()["available_actions"] == ["withdraw"]
    assert motcua.get(f"/dossiers/{code}").json()["available_actions"] == ["receive", "request_supplement", "refuse"]

    motcua.act(code, "receive")
    motcua.act(code, "forward")
    truongphong, chuyenvien = as_user("truongphong"), as_user("chuyenvien")
    assert "assign" in truongphong.get(f"/dossiers/{code}").json()["available_actions"]
    truongphong.act(code, "assign", assignee="chuyenvien")
    specialist_view = chuyenvien.get(f"/dossiers/{code}").json()
    assert "forward" in specialist_view["available_actions"]
    assert "assign" not in specialist_view["available_actions"]
    assert specialist_view["current_step"]["assignee_username"] == "chuyenvien"
    assert citizen.get(f"/dossiers/{code}").json()["current_step"]["assignee_username"] is None


@pytest.mark.parametrize(
    ("username", "action", "status"),
    [
        ("congdan", "receive", 403),  # right moment, wrong person
        ("congdan", "approve", 409),  # not at this status
        ("motcua", "approve", 409),
        ("motcua", "withdraw", 403),
    ],
)
def test_an_action_not_available_is_refused_and_changes_nothing(as_user, username, action, status):
    citizen = as_user("congdan")
    code = citizen.submit(files=required_files(citizen)).json()["code"]
    caller = as_user(username)
    before = caller.get(f"/dossiers/{code}").json()

    response = caller.act(code, action, comment="Thử")

    assert response.status_code == status
    assert response.json()["detail"] and response.json()["code"]
    after = caller.get(f"/dossiers/{code}").json()
    assert after["status"] == before["status"] == "submitted"
    assert after["history"] == before["history"]


def test_stale_expected_status_is_a_conflict(as_user):
    citizen, motcua = as_user("congdan"), as_user("motcua")
    code = citizen.submit(files=required_files(citizen)).json()["code"]
    motcua.act(code, "receive")
    response = motcua.act(code, "forward", expected_status="submitted")
    assert response.status_code == 409
    assert response.json()["code"] == "stale"
    assert motcua.get(f"/dossiers/{code}").json()["status"] == "received"


def test_unknown_action_and_bad_action_data_answer_400(as_user):
    citizen, motcua = as_user("congdan"), as_user("motcua")
    code = citizen.submit(files=required_files(citizen)).json()["code"]
    assert motcua.act(code, "submit").status_code == 400
    assert motcua.act(code, "nhay-coc").status_code == 400
    assert motcua.act(code, "request_supplement", comment="Thiếu", items="không phải danh sách").status_code == 400
    bad_json = motcua.client.post(
        f"{API}/dossiers/{code}/actions/receive", "{oops", content_type="application/json", headers=motcua.headers
    )
    assert bad_json.status_code == 400
    assert bad_json.json()["detail"] == "Nội dung yêu cầu phải là một đối tượng JSON."
    assert motcua.get(f"/dossiers/{code}").json()["status"] == "submitted"


def test_supplement_round_trip_with_json_and_multipart(as_user):
    citizen, motcua = as_user("congdan"), as_user("motcua")
    code = citizen.submit(files=required_files(citizen)).json()["code"]
    asked = motcua.act(code, "request_supplement", comment="Ảnh mờ", items=["Ảnh 3x4 rõ nét"])
    assert asked.status_code == 200
    assert asked.json()["status"] == "waiting_supplement"
    assert asked.json()["supplement_requests"][0]["items"] == ["Ảnh 3x4 rõ nét"]
    assert citizen.get(f"/dossiers/{code}").json()["available_actions"] == ["supplement", "withdraw"]

    photo_id = next(c["id"] for c in citizen.get("/procedures/1.000010").json()["components"] if "Ảnh" in c["name"])
    answered = citizen.client.post(
        f"{API}/dossiers/{code}/actions/supplement",
        {"comment": "Gửi lại ảnh", str(photo_id): SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)},
        headers=citizen.headers,
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "submitted"
    assert answered.json()["supplement_requests"][0]["answered_at"]
    photo = next(d for d in answered.json()["documents"] if d["component_id"] == photo_id)
    assert photo["content_type"] == "image/png"

    # JSON without files works too.
    motcua.act(code, "receive")
    motcua.act(code, "request_supplement", comment="Cần bản rõ hơn", items=["Giấy khám sức khỏe"])
    assert citizen.act(code, "supplement", comment="Đã nộp bản giấy tại quầy").json()["status"] == "received"


# ---------------------------------------------------------------- submission input


def test_same_idempotency_key_of_another_citizen_is_another_dossier(as_user):
    first, second = as_user("congdan"), as_user("congdan2")
    a = first.submit(files=required_files(first), key="k-1").json()["code"]
    b = second.submit(files=required_files(second), key="k-1", applicant={**APPLICANT, "name": "Trần Thị Bình"})
    assert b.status_code == 201
    assert b.json()["code"] != a


@pytest.mark.parametrize(
    "applicant",
    [
        "{không phải json",
        "[1, 2]",
        json.dumps({**APPLICANT, "ngay_sinh": "01/01/1990"}),
        json.dumps({**APPLICANT, "id_number": 1203004567}),
        json.dumps({**APPLICANT, "id_number": "123"}),
        json.dumps({**APPLICANT, "kind": "robot"}),
    ],
)
def test_bad_applicant_is_refused_in_vietnamese(as_user, applicant):
    citizen = as_user("congdan")
    response = citizen.submit(files=required_files(citizen), applicant=applicant)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] in {"invalid_applicant_json", "invalid_applicant"}
    assert any(ch in body["detail"] for ch in "ảãạắằặếềệốồộớờợứừựđ")
    assert not Dossier.objects.exists()


def test_a_file_that_is_not_pdf_or_image_is_refused_and_nothing_is_created(as_user):
    citizen = as_user("congdan")
    files = required_files(citizen)
    first = next(iter(files))
    files[first] = SimpleUploadedFile("don.pdf", b"MZ\x90\x00 pretending to be a PDF")
    response = citizen.submit(files=files)
    assert response.status_code == 400
    assert response.json()["code"] == "file_type"
    assert "không phải PDF" in response.json()["detail"]
    assert not Dossier.objects.exists()


def test_missing_required_documents_unknown_fields_and_procedures_are_refused(as_user):
    citizen = as_user("congdan")
    files = required_files(citizen)
    files.pop(next(iter(files)))
    missing = citizen.submit(files=files)
    assert missing.status_code == 400
    assert missing.json()["code"] == "missing_documents"

    named_badly = citizen.submit(files={**required_files(citizen), "don": SimpleUploadedFile("x.pdf", PDF)})
    assert named_badly.status_code == 400
    assert named_badly.json()["code"] == "invalid_file_field"

    other = citizen.submit(files={**required_files(citizen), "999999": SimpleUploadedFile("x.pdf", PDF)})
    assert other.status_code == 400
    assert other.json()["code"] == "unknown_component"

    unknown = citizen.submit(files=required_files(citizen), procedure="9.999999")
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "procedure_not_found"

    no_fields = citizen.client.post(f"{API}/dossiers", {}, headers=citizen.headers)
    assert no_fields.status_code == 400
    assert not Dossier.objects.exists()


def test_officers_cannot_submit_online(as_user):
    motcua = as_user("motcua")
    response = motcua.submit(files=required_files(motcua))
    assert response.status_code == 403
    assert not Dossier.objects.exists()


# ---------------------------------------------------------------- who sees what


def test_another_citizens_dossier_answers_404_like_an_unknown_code(as_user):
    owner, stranger = as_user("congdan"), as_user("congdan2")
    code = owner.submit(files=required_files(owner)).json()["code"]

    for response in (
        stranger.get(f"/dossiers/{code}"),
        stranger.get("/dossiers/000.00.12.H99-260101-9999"),
        stranger.act(code, "withdraw"),
        stranger.get(f"/dossiers/{code}/documents/receipt"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": NOT_FOUND, "code": "dossier_not_found", "errors": []}
    assert stranger.get("/dossiers").json()["count"] == 0
    assert owner.get(f"/dossiers/{code}").json()["status"] == "submitted"


def test_specialist_sees_only_dossiers_that_passed_through_their_unit(as_user):
    through_unit = submit(username="congdan")
    through_unit = act(act(through_unit, "motcua", "receive"), "motcua", "forward")
    at_counter = act(submit(username="congdan2"), "motcua", "receive")
    waiting = submit(username="congdan")

    codes = {item["code"] for item in as_user("chuyenvien").get("/dossiers").json()["items"]}
    assert codes == {through_unit.code}
    assert as_user("chuyenvien").get(f"/dossiers/{at_counter.code}").status_code == 404

    counter_codes = {item["code"] for item in as_user("motcua").get("/dossiers").json()["items"]}
    assert counter_codes == {through_unit.code, at_counter.code, waiting.code}


def test_list_filters_by_status_and_reception_day(as_user):
    received = act(submit(), "motcua", "receive")
    submitted = submit()
    motcua = as_user("motcua")
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)

    def codes(**params):
        response = motcua.get("/dossiers", params)
        assert response.status_code == 200, response.content
        return {item["code"] for item in response.json()["items"]}

    assert codes() == {received.code, submitted.code}
    assert codes(status="submitted") == {submitted.code}
    assert codes(status="received") == {received.code}
    assert codes(received_from=today.strftime("%d/%m/%Y")) == {received.code}
    assert codes(received_from=today.isoformat(), received_to=today.isoformat()) == {received.code}
    assert codes(received_to=yesterday.isoformat()) == set()
    assert codes(received_to=yesterday.strftime("%d/%m/%Y")) == set()


def test_list_reads_a_moment_with_another_offset_by_its_vietnam_day(as_user):
    # Received at 06:30 on 3 March in Vietnam, which is still 2 March in UTC.
    with frozen(datetime(2026, 3, 3, 6, 30, tzinfo=VN_TZ)):
        received = act(submit(), "motcua", "receive")
    motcua = as_user("motcua")

    def codes(**params):
        response = motcua.get("/dossiers", params)
        assert response.status_code == 200, response.content
        return {item["code"] for item in response.json()["items"]} & {received.code}

    # The same moment in UTC names the Vietnamese 3 March, the day the dossier was received.
    assert codes(received_from="2026-03-02T23:30:00Z", received_to="2026-03-02T23:30:00Z") == {received.code}
    assert codes(received_to="2026-03-02T16:59:00Z") == set()


@pytest.mark.parametrize(
    "params",
    [
        {"received_from": "hôm qua"},
        {"received_from": "31/02/2026"},
        {"received_to": "2026-13-01"},
        {"received_from": "2026-03-10", "received_to": "2026-03-01"},
        {"status": "dang_lam"},
        {"page": "0"},
        {"page": "hai"},
    ],
)
def test_list_refuses_garbage_filters_with_400(as_user, params):
    response = as_user("motcua").get("/dossiers", params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_list_pages_and_query_count_does_not_grow_with_the_list(as_user):
    motcua = as_user("motcua")
    submit()
    motcua.get("/dossiers")  # the token's first use writes its last-use time
    with CaptureQueriesContext(connection) as few:
        assert motcua.get("/dossiers").json()["count"] == 1
    for _ in range(3):
        submit()
    with CaptureQueriesContext(connection) as more:
        data = motcua.get("/dossiers").json()
    assert data["count"] == 4 and data["page"] == 1 and len(data["items"]) == 4
    assert len(more.captured_queries) == len(few.captured_queries)
    assert motcua.get("/dossiers", {"page": 2}).json()["items"] == []


# ---------------------------------------------------------------- public status


def test_public_status_shows_a_masked_name_and_no_personal_data(demo, client, as_user):
    dossier = act(submit(), "motcua", "receive")
    response = client.get(f"{API}/dossiers/{dossier.code}/status")  # no token
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"code", "status", "status_label", "received_at", "due_at", "current_step", "timeline"}
    assert data["code"] == dossier.code
    assert data["status"] == "received"
    assert data["status_label"] == "Đã tiếp nhận"
    assert data["applicant"] == "N***** V** A*"
    assert data["received_at"].endswith("+07:00")
    assert [t["action"] for t in data["timeline"]] == ["submit", "receive"]
    text = response.content.decode()
    for secret in (APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"], "Nguyễn Văn An", "motcua"):
        assert secret not in text


def test_public_status_of_an_unknown_code_is_404(demo, client):
    response = client.get(f"{API}/dossiers/000.00.12.H99-260101-9999/status")
    assert response.status_code == 404
    assert response.json()["detail"] == NOT_FOUND


def test_public_status_is_rate_limited_per_address(demo, client, settings):
    settings.CCHC_LOOKUP_RATE_PER_MINUTE = 2
    code = submit().code
    assert client.get(f"{API}/dossiers/{code}/status").status_code == 200
    assert client.get(f"{API}/dossiers/unknown/status").status_code == 404  # misses count too
    refused = client.get(f"{API}/dossiers/{code}/status")
    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "Bạn đã tra cứu quá nhiều lần; vui lòng thử lại sau một phút.",
        "code": "rate_limited",
        "errors": [],
    }
    other_address = client.get(f"{API}/dossiers/{code}/status", REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200


# ---------------------------------------------------------------- documents, auth, schema


def test_receipt_pdf_of_a_received_dossier(as_user):
    dossier = act(submit(), "motcua", "receive")
    response = as_user("congdan").get(f"/dossiers/{dossier.code}/documents/receipt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'inline; filename="receipt-{dossier.code}.pdf"'


def test_a_form_that_does_not_apply_yet_is_404(as_user):
    dossier = submit()  # not received: no receipt yet, no apology ever
    response = as_user("congdan").get(f"/dossiers/{dossier.code}/documents/apology")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_unknown_form_is_404(as_user):
    dossier = submit()
    response = as_user("congdan").get(f"/dossiers/{dossier.code}/documents/giay-khen")
    assert response.status_code == 404
    assert response.json()["code"] == "form_not_found"


def test_protected_endpoints_answer_401_in_vietnamese(demo, client):
    code = submit().code
    for response in (
        client.get(f"{API}/dossiers"),
        client.get(f"{API}/dossiers/{code}"),
        client.post(f"{API}/dossiers", {}),
        client.post(f"{API}/dossiers/{code}/actions/receive", {}, content_type="application/json"),
        client.get(f"{API}/dossiers/{code}/documents/receipt"),
    ):
        assert response.status_code == 401
        assert response.json() == {"detail": "Cần đăng nhập.", "code": "unauthenticated", "errors": []}


def test_openapi_lists_the_new_paths(demo, client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/dossiers",
        "/api/v1/dossiers/{code}",
        "/api/v1/dossiers/{code}/actions/{action}",
        "/api/v1/dossiers/{code}/documents/{form}",
        "/api/v1/dossiers/{code}/status",
    ):
        assert path in paths, path
    assert {"get", "post"} <= set(paths["/api/v1/dossiers"])
    assert not paths["/api/v1/dossiers/{code}/status"]["get"].get("security")


def test_apology_takes_an_iso_moment_and_moves_the_appointment(as_user):
    dossier = act(submit(), "motcua", "receive")
    lanhdao = as_user("lanhdao")
    old_due = lanhdao.get(f"/dossiers/{dossier.code}").json()["due_at"]
    new_due = (dossier.due_at + timedelta(days=3)).astimezone(timezone.get_current_timezone()).isoformat()

    response = lanhdao.act(dossier.code, "apologize", comment="Chờ xác minh dữ liệu", new_due_at=new_due)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["apology"]["old_due_at"] == old_due
    assert body["due_at"] == body["apology"]["new_due_at"] != old_due
    assert body["due_at"].endswith("+07:00")
    refused = lanhdao.act(dossier.code, "apologize", comment="Lần hai", new_due_at=new_due)
    assert refused.status_code == 409


def test_files_are_refused_on_actions_other_than_supplement(as_user):
    dossier = submit()
    motcua = as_user("motcua")
    response = motcua.client.post(
        f"{API}/dossiers/{dossier.code}/actions/receive",
        {"comment": "Nhận", "1": SimpleUploadedFile("x.pdf", PDF)},
        headers=motcua.headers,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "files_not_expected"
    assert motcua.get(f"/dossiers/{dossier.code}").json()["status"] == "submitted"
