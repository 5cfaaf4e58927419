"""Every page and endpoint of the initiatives, as every demo role and anonymous, with garbage
query strings and garbage posts: never a server error."""

import pytest

from cchc.accounts.models import User
from cchc.initiatives.demo import load_demo_initiatives
from cchc.initiatives.models import Initiative

ROLES = [None, "cchc", "lanhdao", "truongphong", "chuyenvien", "motcua", "quantri", "congdan", "doanhnghiep"]
QUERIES = [
    "",
    "?unit=NOPE",
    "?status=nope",
    "?page=x",
    "?page=-1",
    "?page=99999999999999999999",
    "?unit=QLPT",
    "?unit=VP&status=applied&page=2",
    "?unit=%00",
]
POSTS = [
    {},
    {"status": "nope"},
    {"status": "stopped"},
    {"status": "applied", "reason": "x" * 5000},
    {"title": "x", "unit": "abc", "started_on": "2026-13-01", "description": "", "indicator_codes": ["nope"]},
    {"title": "Sáng kiến thử", "unit": "99999999999999999999", "started_on": "31/02/2025", "status": "x"},
    {
        "title": "Sáng kiến thử nghiệm",
        "unit": "1",
        "started_on": "0001-01-01",
        "status": "applied",
        "description": "Mô tả đủ dài cho sáng kiến.",
        "recognised": "on",
        "recognition_level": "nope",
    },
    {
        "title": "Sáng kiến thử nghiệm tương lai",
        "unit": "1",
        "started_on": "9999-12-31",
        "status": "proposed",
        "description": "Mô tả đủ dài cho sáng kiến.",
    },
]


@pytest.fixture
def loaded(demo):
    load_demo_initiatives(demo)
    return demo


@pytest.mark.parametrize("username", ROLES)
def test_no_page_of_initiatives_fails_with_odd_input(client, loaded, username):
    client.raise_request_exception = False
    if username:
        client.force_login(User.objects.get(username=username))
    initiative = Initiative.objects.filter(agency=loaded).order_by("pk").first()
    urls = [
        "/cai-cach/sang-kien/",
        "/cai-cach/sang-kien/them/",
        f"/cai-cach/sang-kien/{initiative.pk}/",
        f"/cai-cach/sang-kien/{initiative.pk}/sua/",
        f"/cai-cach/sang-kien/{initiative.pk}/trang-thai/",
        "/cai-cach/sang-kien/99999999999999999999/",
        "/cai-cach/sang-kien/99999999999999999999/sua/",
        "/api/v1/initiatives",
        f"/api/v1/initiatives/{initiative.pk}",
        "/api/v1/initiatives/99999999999999999999",
        "/api/v1/initiatives/abc",
    ]
    failures = []
    for url in urls:
        for query in QUERIES:
            response = client.get(url + query)
            if response.status_code >= 500:
                failures.append(("GET", url + query, response.status_code))
        if "/api/" in url:
            continue
        for data in POSTS:
            response = client.post(url, data)
            if response.status_code >= 500:
                failures.append(("POST", url, data, response.status_code))
    assert failures == []
