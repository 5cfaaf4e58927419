"""Who sees which dossier: the selectors carry the rule, and nothing leaks."""

import pytest

from cchc.accounts.services import user_upsert
from cchc.dossiers.selectors import dossier_get, dossier_list, dossier_visible_to

from .helpers import act, submit, user


@pytest.fixture
def other_agency_officer(demo):
    from cchc.accounts.models import Agency

    agency = Agency.objects.get(code="000.00.10.H99")
    return user_upsert(
        username="motcua_xd", password="x", role="one_stop_officer", agency=agency, unit=agency.units.get(code="MOTCUA")
    )


def test_citizen_sees_only_their_own(demo):
    mine = submit("congdan")
    theirs = submit("congdan2")
    assert list(dossier_visible_to(user("congdan"))) == [mine]
    assert dossier_get(user=user("congdan"), code=theirs.code) is None


def test_officer_sees_only_their_agency(demo, other_agency_officer):
    dossier = submit()
    assert dossier_get(user=user("motcua"), code=dossier.code) is not None
    assert dossier_get(user=other_agency_officer, code=dossier.code) is None
    assert not dossier_list(user=other_agency_officer).exists()


def test_specialist_sees_only_what_reached_their_unit(demo):
    dossier = act(submit(), "motcua", "receive")
    assert dossier_get(user=user("chuyenvien"), code=dossier.code) is None
    act(dossier, "motcua", "forward")
    assert dossier_get(user=user("chuyenvien"), code=dossier.code) is not None


def test_anonymous_sees_nothing(demo):
    from django.contrib.auth.models import AnonymousUser

    submit()
    assert not dossier_visible_to(AnonymousUser()).exists()


def test_specialist_work_queue_holds_only_steps_they_can_take(demo):
    from cchc.dossiers.selectors import work_queue

    dossier = act(act(submit(), "motcua", "receive"), "motcua", "forward")
    assert list(work_queue(user=user("chuyenvien"))) == [dossier]
    act(dossier, "chuyenvien", "forward", comment="Đề nghị trình ký")
    assert list(work_queue(user=user("chuyenvien"))) == []
    assert list(work_queue(user=user("truongphong"))) == [dossier]


def test_internal_comments_stay_out_of_the_applicants_timeline(demo, client):
    from django.urls import reverse

    dossier = act(act(submit(), "motcua", "receive"), "motcua", "forward")
    act(dossier, "chuyenvien", "forward", comment="Ghi chú nội bộ: đã đối chiếu")
    client.force_login(user("congdan"))
    html = client.get(reverse("dossiers:my_detail", args=[dossier.code])).content.decode()
    assert "Ghi chú nội bộ" not in html
