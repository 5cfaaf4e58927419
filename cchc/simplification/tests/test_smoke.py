"""Every page of the simplification app, as every demo role and anonymous, with garbage query
strings and garbage posts: never a server error."""

import pytest
from django.core.cache import cache

from cchc.accounts.models import User
from cchc.simplification.demo import load_demo_simplification
from cchc.simplification.models import ProcedureReview, ReviewRound

ROLES = [None, "cchc", "lanhdao", "truongphong", "chuyenvien", "motcua", "quantri", "congdan", "doanhnghiep"]
QUERIES = [
    "",
    "?year=abc",
    "?year=99999",
    "?page=x",
    "?tu_ngay=abc&den_ngay=2026-13-01",
    "?tu_ngay=31/02/2025&den_ngay=01/01/2025",
    "?tu_ngay=01/01/0001&den_ngay=31/12/9999",
    "?den_ngay=01/01/2025",
    "?tu_ngay=-1&den_ngay=99999999999999999999",
]
POSTS = [
    {},
    {"thao_tac": "nope"},
    {"thao_tac": "them", "procedure": "abc"},
    {"thao_tac": "them", "procedure": "999999999999999999999"},
    {"thao_tac": "chi_phi", "before_learning_hours": "abc", "before_copies_cost": "-5", "volume_override": "1e9"},
    {
        "thao_tac": "chi_phi",
        "before_learning_hours": "NaN",
        "before_copies_cost": "9" * 30,
        "volume_override": "9" * 30,
    },
    {"thao_tac": "chi_phi", "volume_override": "99999999999", "volume_override_reason": "lý do dài"},
    {
        "thao_tac": "chi_phi",
        "before_copies_cost": "999999999999",
        "volume_override": "100000000",
        "volume_override_reason": "lý do dài",
    },
    {"thao_tac": "them_phuong_an", "kind": "drop_component", "component": "abc"},
    {
        "thao_tac": "them_phuong_an",
        "kind": "shorten_time_limit",
        "new_time_limit_value": "99999999999999",
        "description": "abcdef",
    },
    {"thao_tac": "them_phuong_an", "kind": "nope"},
    {"thao_tac": "xoa_phuong_an", "phuong_an": "abc"},
    {"thao_tac": "xoa_phuong_an", "phuong_an": "99999999999999999999999"},
    {"thao_tac": "ket_luan", "conclusion": ""},
    {"thao_tac": "mo_lai"},
    {"thao_tac": "\x00", "phuong_an": "\x00", "conclusion": "\x00" * 20, "procedure": "\x00"},
    {
        "thao_tac": "chi_phi",
        "before_learning_hours": "\x00",
        "volume_override_reason": "\x00" * 9,
        "volume_override": "1",
    },
    {"year": "abc", "name": "", "period_start": "2026-13-01", "monthly_income": "-1"},
    {
        "year": "99999",
        "name": "x" * 300,
        "period_start": "01/01/2025",
        "period_end": "01/01/2024",
        "monthly_income": "9" * 40,
    },
    {
        "year": "2025",
        "name": "Đợt thử",
        "period_start": "01/01/2025",
        "period_end": "31/12/2025",
        "monthly_income": "0",
    },
]


@pytest.fixture
def loaded(demo):
    cache.clear()
    load_demo_simplification(demo)
    return demo


def _urls():
    round = ReviewRound.objects.first()
    review = ProcedureReview.objects.filter(round=round, status=ProcedureReview.Status.IN_PROGRESS).first()
    return [
        "/cai-cach/ra-soat/",
        "/cai-cach/ra-soat/ung-vien/",
        f"/cai-cach/ra-soat/{round.pk}/thu-tuc/{review.pk}/",
        f"/cai-cach/ra-soat/{round.pk}/xlsx/",
        f"/cai-cach/ra-soat/{round.pk}/",
        f"/cai-cach/ra-soat/{round.pk}/thu-tuc/99999999999999999999/",
        "/cai-cach/ra-soat/99999999999999999999/",
        f"/api/v1/simplification/rounds/{round.pk}",
        "/api/v1/simplification/rounds/99999999999999999999",
        "/api/v1/simplification/rounds",
    ]


@pytest.mark.parametrize("username", ROLES)
def test_no_page_of_simplification_fails_with_odd_input(client, loaded, username):
    client.raise_request_exception = False
    if username:
        client.force_login(User.objects.get(username=username))
    failures = []
    for url in _urls():
        for query in QUERIES:
            response = client.get(url + query)
            if response.status_code >= 500:
                failures.append(("GET", url + query, response.status_code))
        if "/api/" in url or "xlsx" in url:
            continue
        for data in POSTS:
            response = client.post(url, data)
            if response.status_code >= 500:
                failures.append(("POST", url, data, response.status_code))
    assert failures == []
