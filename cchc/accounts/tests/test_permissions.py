import pytest
from django.urls import reverse

from cchc.accounts.models import User


@pytest.mark.parametrize(
    ("username", "perm", "allowed"),
    [
        ("cchc", "procedures.change_procedureversion", True),
        ("cchc", "core.change_calendaroverride", False),
        ("quantri", "core.change_calendaroverride", True),
        ("quantri", "accounts.change_unit", True),
        ("chuyenvien", "procedures.view_procedure", True),
        ("chuyenvien", "procedures.change_procedure", False),
        ("congdan", "procedures.view_procedure", False),
        ("lanhdao", "accounts.change_user", False),
        ("lanhdao", "accounts.view_user", False),
        ("lanhdao", "accounts.view_unit", True),
    ],
)
def test_role_decides_permissions(demo, username, perm, allowed):
    assert User.objects.get(username=username).has_perm(perm) is allowed


def test_citizen_cannot_enter_the_admin(demo, client):
    client.force_login(User.objects.get(username="congdan"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_specialist_sees_catalogue_but_cannot_edit_calendar(demo, client):
    client.force_login(User.objects.get(username="chuyenvien"))
    assert client.get(reverse("admin:procedures_procedure_changelist")).status_code == 200
    assert client.get(reverse("admin:core_calendaroverride_add")).status_code == 403


def test_administrator_edits_calendar_in_vietnamese_admin(demo, client):
    client.force_login(User.objects.get(username="quantri"))
    response = client.get(reverse("admin:core_calendaroverride_add"))
    assert response.status_code == 200
    assert "Lưu" in response.content.decode()
    response = client.post(
        reverse("admin:core_calendaroverride_add"),
        {"date": "04/01/2027", "kind": "day_off", "reason": "Nghỉ bù Tết Dương lịch"},
    )
    assert response.status_code == 302
    from cchc.core.models import CalendarOverride

    override = CalendarOverride.objects.get(reason="Nghỉ bù Tết Dương lịch")
    assert (override.date.day, override.date.month, override.updated_by.username) == (4, 1, "quantri")


def test_a_leader_cannot_list_the_user_accounts_in_either_admin(demo, client):
    client.force_login(User.objects.get(username="lanhdao"))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    response = client.get("/cms/users/")
    assert response.status_code in (302, 403)
    assert "congdan" not in response.content.decode()
