"""An editor writes news in the CMS under the site's Content-Security-Policy (no inline script).

Wagtail starts its choosers and date pickers with inline scripts, which the policy refuses: the
image chooser's button did nothing and the publication schedule had no picker. CCHC renders them
as data that `news/csp-init.js` starts. The editor opens a draft article, chooses its image from
the library through the chooser's dialog, and the schedule's date-time picker is started; the
browser reports no refused script.
"""

import pytest
from playwright.sync_api import expect
from wagtail.rich_text import RichText

from cchc.accounts.models import User
from cchc.news.models import NewsArticlePage
from cchc.news.services import (
    EDITORS,
    news_index_ensure,
    news_member_add,
    news_permissions_ensure,
    news_workflow_ensure,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def draft(site):
    index = news_index_ensure(title="Tin tức cải cách hành chính", intro="<p>Tin mới.</p>")
    news_workflow_ensure(index=index)
    news_permissions_ensure(index=index)
    news_member_add(user=User.objects.get(username="cchc"), group_name=EDITORS)
    article = NewsArticlePage(
        title="Bài chưa có ảnh",
        slug="bai-chua-co-anh",
        intro="Tóm tắt.",
        body=[("paragraph", RichText("<p>Nội dung.</p>"))],
        live=False,
    )
    index.add_child(instance=article)
    article.save_revision()
    return article


def test_an_editor_chooses_an_articles_image_and_gets_the_schedule_picker(site, draft, context_factory, login):
    page = context_factory(**DESKTOP).new_page()
    refused = []

    def console(message):
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", console)
    login(page, "cchc")
    page.goto(f"{site}/cms/pages/{draft.pk}/edit/")

    page.locator("#id_main_image-chooser .unchosen [data-chooser-action-choose]").click()
    dialog = page.locator(".modal-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("form[data-chooser-modal-search], input[name=q]").first).to_be_attached()

    started = page.locator('[data-cchc-init="initDateTimeChooser"][data-cchc-started]')
    assert started.count() >= 2  # go live at, expire at
    assert refused == []
