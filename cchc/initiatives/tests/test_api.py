from cchc.initiatives.tests.conftest import user

URL = "/api/v1/initiatives"


def get(client, username, path=URL, **params):
    client.force_login(user(username))
    return client.get(path, params)


def titles(response) -> set[str]:
    return {item["title"] for item in response.json()}


def test_list_is_scoped_to_the_agency_and_filtered(client, spread):
    everything = get(client, "cchc")
    proposed = get(client, "cchc", status="proposed")
    qlvt = get(client, "lanhdao", unit="QLVT")

    assert everything.status_code == 200
    assert titles(everything) == {"Sáng kiến của Phòng Quản lý vận tải", "Sáng kiến của Phòng Kết cấu hạ tầng"}
    assert titles(proposed) == {"Sáng kiến của Phòng Kết cấu hạ tầng"}
    assert titles(qlvt) == {"Sáng kiến của Phòng Quản lý vận tải"}
    item = qlvt.json()[0]
    assert item["unit"] == {"code": "QLVT", "name": "Phòng Quản lý vận tải, phương tiện và người lái"}
    assert item["status"] == "applied" and item["status_label"] == "Đang áp dụng"
    assert item["indicator_codes"] == ["progress.on_time"]


def test_unit_head_gets_their_unit_and_403_for_another(client, spread):
    assert titles(get(client, "truongphong")) == {"Sáng kiến của Phòng Quản lý vận tải"}
    refused = get(client, "truongphong", unit="KCHT")
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    assert get(client, "truongphong", f"{URL}/{spread['kcht'].pk}").status_code == 404


def test_bad_filters_are_400_with_a_vietnamese_message(client, spread):
    bad_status = get(client, "cchc", status="xong")
    bad_unit = get(client, "cchc", unit="KHONGCO")

    assert bad_status.status_code == 400 and bad_status.json()["detail"] == "Trạng thái không hợp lệ: xong."
    assert bad_unit.status_code == 400 and bad_unit.json()["code"] == "unknown_unit"


def test_applicants_get_403_and_strangers_401(client, spread):
    assert get(client, "congdan").status_code == 403
    assert get(client, "congdan", f"{URL}/{spread['qlvt'].pk}").status_code == 403
    client.logout()
    assert client.get(URL).status_code == 401


def test_detail_has_the_effect_and_other_agencies_are_404(client, spread):
    found = get(client, "cchc", f"{URL}/{spread['qlvt'].pk}")
    foreign = get(client, "cchc", f"{URL}/{spread['foreign'].pk}")

    assert found.status_code == 200
    effect = found.json()["effect"]
    assert effect["months"] == 3 and effect["before_from"] == "2024-12-01" and effect["after_to"] == "2025-05-31"
    assert effect["indicators"][0]["code"] == "progress.on_time"
    assert effect["indicators"][0]["change"] is None  # no dossier in that unit's windows: not measured
    assert foreign.status_code == 404


def test_a_unit_code_with_a_nul_character_is_a_400_not_a_crash(client, spread):
    api = get(client, "cchc", unit="VP\x00")
    page = client.get("/cai-cach/sang-kien/", {"unit": "\x00"})

    # The API refuses a NUL character anywhere before any endpoint reads it (cchc.core.middleware).
    assert api.status_code == 400 and api.json()["code"] == "nul_character"
    assert page.status_code == 400 and "Mã đơn vị không hợp lệ." in page.content.decode()
