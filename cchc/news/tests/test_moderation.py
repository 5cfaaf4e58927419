"""Draft → review → publish through the CMS views, as the editors and moderators use it."""

import json
import re

from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cchc.accounts.models import User
from cchc.news.models import NewsArticlePage


def article_form(category, **overrides) -> dict:
    data = {
        "title": "Trả kết quả qua bưu chính công ích",
        "slug": "tra-ket-qua-qua-buu-chinh",
        "date": "2026-03-02",
        "intro": "Người dân chọn nhận kết quả tại nhà.",
        "main_image_alt": "",
        "body": streamfield([("paragraph", rich_text("<p>Nội dung chi tiết.</p>"))]),
        "go_live_at": "",
        "expire_at": "",
        "seo_title": "",
        "search_description": "",
        "comment_notifications": "on",
    }
    data.update(overrides)
    # A multiple choice is one key with several values, which nested_form_data would split.
    return {**nested_form_data(data), "categories": [str(category.pk)]}


def test_editor_and_moderator_reach_the_cms_but_citizens_do_not(client, editor, moderator):
    for user in (editor, moderator):
        client.force_login(user)
        assert client.get("/cms/").status_code == 200
    client.force_login(User.objects.get(username="congdan"))
    response = client.get("/cms/")
    assert response.status_code == 302
    assert "/cms/login/" in response["Location"]


def test_editor_submits_an_article_and_the_moderator_approval_publishes_it(client, index, editor, moderator, category):
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=("news", "newsarticlepage", index.pk))
    response = client.post(add_url, {**article_form(category), "action-submit": "Submit"})
    assert response.status_code == 302, response.content.decode()[:2000]

    page = NewsArticlePage.objects.get(slug="tra-ket-qua-qua-buu-chinh")
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert client.get("/tin-tuc/tra-ket-qua-qua-buu-chinh/").status_code == 404

    client.force_login(moderator)
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.current_task_state.pk))
    response = client.post(approve_url, {"comment": ""})
    assert response.status_code in (200, 302)

    page.refresh_from_db()
    assert page.live
    assert list(page.categories.values_list("slug", flat=True)) == [category.slug]
    client.logout()
    response = client.get("/tin-tuc/tra-ket-qua-qua-buu-chinh/")
    assert response.status_code == 200
    assert "Trả kết quả qua bưu chính công ích" in response.content.decode()


def test_editor_cannot_publish_without_moderation(client, index, editor, category):
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=("news", "newsarticlepage", index.pk))

    client.post(add_url, {**article_form(category), "action-publish": "Publish"})

    page = NewsArticlePage.objects.filter(slug="tra-ket-qua-qua-buu-chinh").first()
    assert page is None or not page.live
    assert client.get("/tin-tuc/tra-ket-qua-qua-buu-chinh/").status_code == 404


def test_editor_may_not_approve_their_own_submission(client, index, editor, category):
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=("news", "newsarticlepage", index.pk))
    client.post(add_url, {**article_form(category), "action-submit": "Submit"})
    page = NewsArticlePage.objects.get(slug="tra-ket-qua-qua-buu-chinh")
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)

    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.current_task_state.pk)),
        {"comment": ""},
    )

    page.refresh_from_db()
    assert not page.live


def test_cms_editor_forms_render_for_articles_and_categories(client, index, editor, moderator, make_article):
    article = make_article("da-dang", title="Bài đã đăng")
    client.force_login(editor)

    assert client.get(reverse("wagtailadmin_pages:add", args=("news", "newsarticlepage", index.pk))).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,))).status_code == 200

    client.force_login(moderator)
    assert client.get(reverse("wagtailsnippets_news_newscategory:add")).status_code == 200


def test_the_cms_speaks_vietnamese_and_shows_no_broken_avatar(client, editor):
    """Issue 14: /cms/ was mostly English, with Gravatar images the CSP blocks."""
    client.force_login(editor)
    page = client.get("/cms/").content.decode()
    assert "gravatar.com" not in page
    # The sidebar's labels travel as JSON (escaped) for Wagtail's script to draw.
    for label in ("Hình ảnh", "Tài liệu", "Báo cáo", "Trợ giúp"):
        assert json.dumps(label)[1:-1] in page, label


def test_what_editors_see_in_the_cms_beyond_the_menus_is_vietnamese(client, editor, make_article, index, picture):
    """Issue 14, seen on `make run`'s /cms/ (not only its menus): the dashboard's summary and workflow
    panel, the page listing's statuses and counts, an article's edit page, the images' sort order, the
    empty documents list, the workflow reports and the account page were still English, and so were
    the edit page's "Collapse all" and the sidebar's "new items" (Wagtail's JavaScript catalogue)."""
    make_article("da-dang", title="Bài đã đăng")
    illustrated = make_article("co-anh", state="draft", title="Bài có ảnh", image=picture)
    draft = make_article("cho-duyet", state="draft", title="Bài chờ duyệt")
    draft.get_workflow().start(draft, editor)
    client.force_login(editor)
    seen = {
        "/cms/": ["trang <span", "Hướng dẫn biên tập", "Tìm trong tất cả các trang", "quy trình duyệt", "Chờ"],
        f"/cms/pages/{index.pk}/": ["đang đăng", "chờ duyệt", "Trang 1/1", "trước"],
        reverse("wagtailadmin_pages:edit", args=(draft.pk,)): [
            "Tiêu đề trang như người đọc sẽ thấy",
            "Bài (trang) này đang chờ duyệt. Chỉ người duyệt ở bước này được sửa trang.",
            "Sửa Bài tin",
        ],
        "/cms/images/": ["Sắp xếp theo", "Mới nhất", "Dung lượng: (nhỏ đến lớn)"],
        # An article's chosen image: its menu (change, edit, clear).
        reverse("wagtailadmin_pages:edit", args=(illustrated.pk,)): ["Sửa hình ảnh này", "Bỏ chọn"],
        "/cms/documents/": ["Chưa có tài liệu nào"],
        "/cms/reports/workflow/": ["Theo bước duyệt", "Người gửi", "Bắt đầu lúc", "Đang duyệt", "lượt duyệt"],
        "/cms/reports/workflow_tasks/": ["Theo quy trình", "Đang duyệt", "bước duyệt"],
        "/cms/account/": ["Ảnh đại diện", "Phím tắt"],
    }
    english = [
        "Site summary",
        "editor guide",
        "Search all pages",
        ">live<",
        "in moderation",
        "minutes ago",
        "as you&#x27;d like it",
        "Sort by",
        "haven&#x27;t uploaded",
        "By task",
        "Editing Bài tin",
        "In progress",
        "Workflow state",
        "Task state",
        "Profile picture",
    ]
    for url, labels in seen.items():
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        for label in labels:
            assert label in text, (url, label)
        for phrase in english:
            assert phrase not in text, (url, phrase)
    scripts = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    assert "Thu g\\u1ecdn t\\u1ea5t c\\u1ea3" in scripts or "Thu gọn tất cả" in scripts


def test_an_articles_dates_are_typed_and_shown_dd_mm_yyyy_in_the_cms(client, index, editor, category):
    """Issue 14 (dates dd/mm/yyyy everywhere): the CMS's date box showed an article's date as 2036-12-07."""
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=("news", "newsarticlepage", index.pk))
    form = article_form(category, date="07/12/2036", go_live_at="07/12/2036 08:30")
    response = client.post(add_url, {**form, "action-submit": "Submit"})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsArticlePage.objects.get(slug="tra-ket-qua-qua-buu-chinh").get_latest_revision_as_object()
    assert (page.date.isoformat(), f"{page.go_live_at:%H:%M}") == ("2036-12-07", "08:30")
    shown = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert 'value="07/12/2036"' in shown and 'value="07/12/2036 08:30"' in shown
    assert "2036-12-07" not in shown


def test_the_cms_page_tree_names_its_root_and_home_page_in_vietnamese(client, index, editor):
    """Issue 14: atop /cms/pages/ editors saw Wagtail's "Root" and "Welcome to your new Wagtail site!"."""
    from wagtail.models import Page

    assert (Page.get_first_root_node().title, index.get_parent().title) == ("Gốc", "Trang chủ")
    client.force_login(editor)
    tree = client.get(reverse("wagtailadmin_explore_root")).content.decode()
    assert "Welcome to your new Wagtail site" not in tree and "Trang chủ" in tree


def test_an_editor_whose_browser_asks_for_english_still_gets_the_vietnamese_cms(client, editor):
    """Issue 14: with English first in the browser's languages, /cms/ (menus, buttons) was all English,
    and so were Django's own messages on the site: English was one of the site's LANGUAGES."""
    client.force_login(editor)
    page = client.get("/cms/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi"' in page
    for label in ("Hình ảnh", "Tài liệu", "Báo cáo"):
        assert json.dumps(label)[1:-1] in page, label
    assert "Search all pages" not in page
    account = client.get("/cms/account/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Deutsch" not in account  # no choice of Wagtail's other, half-translated languages


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|type)=)[^>]*>", re.IGNORECASE)


def test_the_cms_pages_carry_no_inline_script_the_policy_would_block(client, index, editor, make_article):
    # The site's Content-Security-Policy refuses inline scripts. Wagtail's date and date-time widgets
    # (the page list's filter, an article's publication schedule) and its choosers (an article's
    # image) started with one, blocked in the editor's browser: they are rendered as data instead
    # (the project's widget templates, news/widgets.py), which news/csp-init.js starts.
    article = make_article("lich-dang", title="Bài hẹn giờ đăng")
    client.force_login(editor)
    for url in (
        reverse("wagtailadmin_explore", args=(index.pk,)),
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        reverse("wagtailadmin_pages:add", args=("news", "newsarticlepage", index.pk)),
    ):
        html = client.get(url).content.decode()
        found = INLINE_SCRIPT.search(html)
        assert found is None, (url, html[found.start() : found.start() + 200] if found else "")
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,))).content.decode()
    assert 'data-cchc-init="initDateTimeChooser" data-cchc-target="id_go_live_at"' in edit
    assert 'data-cchc-init="ImageChooser" data-cchc-target="id_main_image"' in edit
