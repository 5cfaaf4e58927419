"""News fixtures: the news index (made as the demo loader makes it), editors, and a helper that
puts an article in a given editorial state through Wagtail's own API."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from cchc.accounts.models import User
from cchc.news.demo import demo_image_bytes
from cchc.news.models import NewsArticlePage, NewsCategory
from cchc.news.services import (
    EDITORS,
    MODERATORS,
    news_index_ensure,
    news_member_add,
    news_permissions_ensure,
    news_workflow_ensure,
)


@pytest.fixture
def index(demo):
    page = news_index_ensure(title="Tin tức cải cách hành chính", intro="<p>Tin mới.</p>")
    news_workflow_ensure(index=page)
    news_permissions_ensure(index=page)
    return page


@pytest.fixture
def editor(demo):
    user = User.objects.get(username="cchc")
    news_member_add(user=user, group_name=EDITORS)
    return user


@pytest.fixture
def moderator(demo):
    user = User.objects.get(username="lanhdao")
    news_member_add(user=user, group_name=MODERATORS)
    return user


@pytest.fixture
def category(db):
    return NewsCategory.objects.create(name="Chuyển đổi số", slug="chuyen-doi-so")


@pytest.fixture
def picture(db):
    Image = get_image_model()
    image = Image(title="Ảnh thử nghiệm")
    image.file = ImageFile(BytesIO(demo_image_bytes(("#000000", "#ffffff"), seed=1, size=(640, 360))), name="thu.png")
    image.save()
    return image


@pytest.fixture
def make_article(index):
    def make(slug, *, state="live", title=None, categories=(), image=None, days_ago=0, go_live_in=None):
        page = NewsArticlePage(
            title=title or f"Bài {slug}",
            slug=slug,
            date=timezone.localdate() - timedelta(days=days_ago),
            intro=f"Tóm tắt của bài {slug}.",
            body=[("paragraph", RichText(f"<p>Nội dung bài {slug}.</p>"))],
            main_image=image,
            live=False,
        )
        page.categories = list(categories)
        if go_live_in is not None:
            page.go_live_at = timezone.now() + go_live_in
        index.add_child(instance=page)
        revision = page.save_revision()
        if state == "live":
            revision.publish()
        page.refresh_from_db()
        return page

    return make
