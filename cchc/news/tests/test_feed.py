from datetime import timedelta
from xml.etree import ElementTree

from django.urls import reverse


def test_rss_feed_is_valid_xml_with_live_articles_only_and_absolute_links(client, make_article, category):
    make_article("da-dang", title="Bài đã đăng", categories=[category])
    make_article("nhap", title="Bài nháp", state="draft")
    make_article("hen-gio", title="Bài hẹn giờ", go_live_in=timedelta(days=1))

    response = client.get(reverse("news:rss"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Tin tức cải cách hành chính"
    assert channel.findtext("link") == "http://testserver/tin-tuc/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Bài đã đăng"]
    assert items[0].findtext("link") == "http://testserver/tin-tuc/da-dang/"
    assert items[0].findtext("category") == "Chuyển đổi số"


def test_rss_feed_holds_the_twenty_newest(client, make_article):
    for n in range(22):
        make_article(f"bai-{n}", title=f"Bài {n:02d}", days_ago=n)

    channel = ElementTree.fromstring(client.get("/tin-tuc/rss/").content).find("channel")

    found = [item.findtext("title") for item in channel.findall("item")]
    assert len(found) == 20
    assert found[0] == "Bài 00" and "Bài 21" not in found
