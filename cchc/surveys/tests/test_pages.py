"""The survey pages: rating online (signed in or by the emailed link), the counter kiosk,
the prompt on "my dossier", and the unit head's follow-ups."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.dossiers.rules import mask_name
from cchc.dossiers.tests.helpers import submit, user
from cchc.surveys.models import FollowUp, Rating
from cchc.surveys.services import rating_submit

from .helpers import ALL_FIVES, invitation_token, returned


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _answers(scores: dict = ALL_FIVES, comment: str = "") -> dict:
    return {f"score_{factor}": str(value) for factor, value in scores.items()} | {"comment": comment}


def _rate_url(dossier, token: str = "") -> str:
    url = reverse("surveys:rate", kwargs={"code": dossier.code})
    return f"{url}?t={token}" if token else url


def test_the_applicant_rates_on_the_page_with_five_radio_groups(demo, client):
    dossier = returned()
    client.force_login(user("congdan"))
    page = client.get(_rate_url(dossier)).content.decode()
    assert page.count("<fieldset") == 5 and page.count("<legend>") == 5
    assert "Công chức trực tiếp giải quyết công việc" in page
    assert "1 – Rất không hài lòng" in page and "5 – Rất hài lòng" in page
    response = client.post(_rate_url(dossier), _answers(comment="Tốt"), follow=True)
    assert response.status_code == 200
    assert "Bạn đã đánh giá hồ sơ này" in response.content.decode()
    rating = Rating.objects.get(dossier=dossier)
    assert rating.scores() == ALL_FIVES and rating.comment == "Tốt" and rating.rater.username == "congdan"


def test_an_unanswered_factor_is_shown_and_nothing_is_saved(demo, client):
    dossier = returned()
    client.force_login(user("congdan"))
    answers = _answers()
    del answers["score_feedback"]
    response = client.post(_rate_url(dossier), answers)
    assert response.status_code == 400
    assert "Chọn một mức đánh giá." in response.content.decode()
    assert not Rating.objects.exists()


def test_a_second_rating_on_the_page_changes_nothing(demo, client):
    dossier = returned()
    rating_submit(dossier=dossier, scores=ALL_FIVES, channel="online", rater=user("congdan"))
    client.force_login(user("congdan"))
    response = client.post(_rate_url(dossier), _answers({**ALL_FIVES, "result": 1}))
    assert "Bạn đã đánh giá hồ sơ này" in response.content.decode()
    assert Rating.objects.get(dossier=dossier).scores() == ALL_FIVES


def test_another_citizen_or_an_officer_gets_404_and_a_visitor_is_sent_to_login(demo, client):
    dossier = returned()
    assert client.get(_rate_url(dossier)).status_code == 302
    for username in ("congdan2", "motcua"):
        client.force_login(user(username))
        assert client.get(_rate_url(dossier)).status_code == 404
        assert client.post(_rate_url(dossier), _answers()).status_code == 404
    assert not Rating.objects.exists()


def test_the_emailed_link_works_without_signing_in(demo, client):
    dossier = returned()
    token = invitation_token(dossier)
    assert client.get(_rate_url(dossier, "sai-ma")).status_code == 404
    assert client.get(_rate_url(dossier, token)).status_code == 200
    response = client.post(_rate_url(dossier, token), _answers())
    assert response.status_code == 302
    assert Rating.objects.get(dossier=dossier).rater is None


def test_a_dossier_not_yet_returned_cannot_be_rated(demo, client):
    dossier = submit()
    client.force_login(user("congdan"))
    response = client.post(_rate_url(dossier), _answers())
    assert "Chưa đánh giá được" in response.content.decode()
    assert not Rating.objects.exists()


def test_my_dossier_page_prompt_invites_then_thanks(demo):
    dossier = returned()
    template = Template("{% load satisfaction %}{% satisfaction_prompt dossier %}")
    before = template.render(Context({"dossier": dossier}))
    assert "Đánh giá mức độ hài lòng" in before and _rate_url(dossier) in before
    rating_submit(dossier=dossier, scores=ALL_FIVES, channel="online", rater=user("congdan"))
    assert "Bạn đã đánh giá" in template.render(Context({"dossier": dossier}))
    assert template.render(Context({"dossier": submit()})).strip() == ""


# ---------------------------------------------------------------- the kiosk


KIOSK = "/danh-gia-tai-quay/"


def test_kiosk_rating_with_the_code_and_the_last_four_digits(demo, client):
    dossier = returned()
    assert reverse("surveys:kiosk") == KIOSK
    assert client.get(KIOSK).status_code == 200
    step_two = client.post(KIOSK, {"code": dossier.code.lower(), "last_digits": "5678"})
    page = step_two.content.decode()
    assert step_two.status_code == 200 and page.count("<legend>") == 5
    assert mask_name("Nguyễn Văn An") in page and "Nguyễn Văn An" not in page
    done = client.post(KIOSK, {"code": dossier.code, "last_digits": "5678", "buoc": "danh-gia", **_answers()})
    assert done.status_code == 302
    assert "Cảm ơn" in client.get(done["Location"]).content.decode()
    rating = Rating.objects.get(dossier=dossier)
    assert rating.channel == "kiosk" and rating.rater is None


def test_kiosk_refuses_wrong_digits_without_saying_whether_the_dossier_exists(demo, client):
    dossier = returned()
    wrong = client.post(KIOSK, {"code": dossier.code, "last_digits": "1111"})
    unknown = client.post(KIOSK, {"code": "000.00.12.H99-300101-9999", "last_digits": "5678"})
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "Không tìm thấy hồ sơ khớp" in response.content.decode()
        assert "<legend>" not in response.content.decode()
    tampered = client.post(KIOSK, {"code": dossier.code, "last_digits": "1111", "buoc": "danh-gia", **_answers()})
    assert tampered.status_code == 400
    assert not Rating.objects.exists()


def test_kiosk_tells_when_the_dossier_was_already_rated(demo, client):
    dossier = returned()
    rating_submit(dossier=dossier, scores=ALL_FIVES, channel="kiosk", last_digits="5678")
    response = client.post(KIOSK, {"code": dossier.code, "last_digits": "5678"})
    assert "đã được đánh giá" in response.content.decode()


# ---------------------------------------------------------------- follow-ups


def test_the_unit_head_sees_and_closes_the_follow_up_of_a_low_score(demo, client):
    dossier = returned()
    rating = rating_submit(
        dossier=dossier,
        scores={**ALL_FIVES, "officer": 1},
        comment="Thái độ chưa tốt",
        channel="online",
        rater=user("congdan"),
    )
    follow_up = FollowUp.objects.get(rating=rating)
    client.force_login(user("truongphong"))
    page = client.get(reverse("surveys:follow_ups")).content.decode()
    assert dossier.code in page and "Thái độ chưa tốt" in page and "1 – Rất không hài lòng" in page
    url = reverse("surveys:follow_up_close", kwargs={"pk": follow_up.pk})
    assert client.post(url, {f"fu{follow_up.pk}-note": ""}).status_code == 400
    response = client.post(url, {f"fu{follow_up.pk}-note": "Đã làm việc với cán bộ, xin lỗi người dân"}, follow=True)
    assert "Đã đóng việc theo dõi" in response.content.decode()
    assert FollowUp.objects.get(pk=follow_up.pk).status == "closed"


def test_follow_ups_are_for_unit_heads_and_leaders_only(demo, client):
    client.force_login(user("chuyenvien"))
    assert client.get(reverse("surveys:follow_ups")).status_code == 403
    client.force_login(user("congdan"))
    assert client.get(reverse("surveys:follow_ups")).status_code == 403
    client.force_login(user("lanhdao"))
    assert client.get(reverse("surveys:follow_ups")).status_code == 200


def test_the_follow_up_list_reads_in_a_fixed_number_of_queries(demo, client):
    low = {**ALL_FIVES, "result": 2}
    rating_submit(dossier=returned(), scores=low, channel="online", rater=user("congdan"))
    client.force_login(user("truongphong"))
    # Warm the caches every page reads (who runs the installation), so both counts are of the rows.
    client.get(reverse("surveys:follow_ups"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("surveys:follow_ups"))
    for _ in range(2):
        rating_submit(dossier=returned(), scores=low, channel="online", rater=user("congdan"))
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("surveys:follow_ups")).content.decode()
    assert page.count("Ghi kết quả và đóng") == 3
    assert len(three) == len(one)


def test_without_a_complaint_the_feedback_question_offers_not_applicable_and_counts_nowhere(demo, client):
    """Issue 14: the complaint question had no answer for an applicant who never complained."""
    from cchc.surveys.selectors import satisfaction_by

    dossier = returned()
    client.force_login(user("congdan"))
    page = client.get(_rate_url(dossier)).content.decode()
    assert "Không áp dụng (tôi không gửi góp ý, phản ánh, kiến nghị)" in page
    assert re.search(r'<input[^>]*value="khong-ap-dung"[^>]*checked', page)  # the sensible default
    answers = _answers() | {"score_feedback": "khong-ap-dung"}
    assert client.post(_rate_url(dossier), answers).status_code == 302
    rating = Rating.objects.get(dossier=dossier)
    assert rating.score_feedback is None and rating.score_officer == 5
    (row,) = satisfaction_by(group="unit")
    assert row.factors["feedback"] is None and row.factors["officer"] == 100.0
    assert "Không áp dụng" in client.get(_rate_url(dossier)).content.decode()
