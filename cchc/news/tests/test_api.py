"""The public news API: only live articles, filtered by category, with clear refusals."""

from datetime import timedelta


def test_the_api_lists_live_articles_only_newest_first(make_article, category, client):
    make_article("cu", days_ago=3)
    make_article("moi", categories=[category])
    make_article("nhap", state="draft")
    make_article("hen-gio", state="live", go_live_in=timedelta(days=2))
    body = client.get("/api/v1/news").json()
    assert body["count"] == 2
    assert [a["title"] for a in body["results"]] == ["Bài moi", "Bài cu"]
    assert body["results"][0]["url"].endswith("/tin-tuc/moi/")
    assert body["results"][0]["categories"] == [{"slug": "chuyen-doi-so", "name": "Chuyển đổi số"}]


def test_the_api_filters_by_category_and_refuses_an_unknown_one(make_article, category, client):
    make_article("cu")
    make_article("moi", categories=[category])
    assert [a["title"] for a in client.get("/api/v1/news", {"chuyen_muc": "chuyen-doi-so"}).json()["results"]] == [
        "Bài moi"
    ]
    refused = client.get("/api/v1/news", {"chuyen_muc": "khong-co"})
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Không có chuyên mục này.", "code": "unknown_category", "errors": []}
    assert client.get("/api/v1/news", {"page": "0"}).status_code == 400
    assert client.get("/api/v1/news", {"page": "abc"}).status_code == 400
