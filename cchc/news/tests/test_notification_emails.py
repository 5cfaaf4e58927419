"""Moderation notification emails reach editors and moderators in Vietnamese.

Wagtail's own Vietnamese catalogue barely covers these emails, so the project overrides every
template under cchc/templates/wagtailadmin/notifications/. These tests drive the real workflow
(submit, approve, reject) and read what lands in the mailbox, then render each overridden
template once so that none is broken or left in English."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template import engines
from django.template.loader import get_template, render_to_string
from wagtail.models import WorkflowState

from cchc.accounts.models import User
from cchc.news.tests.test_moderation import article_form

OVERRIDES = Path(settings.BASE_DIR) / "cchc" / "templates" / "wagtailadmin" / "notifications"
WAGTAIL_ORIGINALS = (
    Path(__import__("wagtail").__file__).parent / "admin" / "templates" / "wagtailadmin" / "notifications"
)

# Phrases and words of Wagtail's English originals that must never reach a Vietnamese reader.
ENGLISH = re.compile(
    r"has been|submitted|approved|rejected|\bHello\b|\bYou can\b|\bThe page\b|preferences|"
    r"\bcomments?\b|\breplies\b|\bedit the\b|\bview the\b|\bwas left\b|\bhere:",
    re.IGNORECASE,
)


def english_in(text: str) -> list[str]:
    """English phrases a reader sees: ignores the stylesheet, tags and URLs (Wagtail's admin
    paths are English by design)."""
    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", text, flags=re.DOTALL)
    return ENGLISH.findall(re.sub(r"https?://\S+|/cms/\S*", "", text))


@pytest.fixture
def mailboxes(editor, moderator):
    """Editor and moderator have addresses, so Wagtail mails them; nobody else is notified."""
    User.objects.filter(is_superuser=True).update(email="")
    for user, address in ((editor, "bientap@cchc.local"), (moderator, "kiemduyet@cchc.local")):
        user.email = address
        user.save(update_fields=["email"])
    return {"editor": editor.email, "moderator": moderator.email}


@pytest.fixture
def submitted(make_article, editor, mailboxes):
    """An article the editor has just submitted through the news workflow."""
    page = make_article("gui-duyet", state="draft", title="Triển khai dịch vụ công trực tuyến toàn trình")
    mail.outbox.clear()
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return page


def current_task_state(page):
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    return state.current_task_state.specific


def messages_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def assert_vietnamese(message, title: str) -> None:
    assert title in message.subject
    assert title in message.body
    assert english_in(message.subject) == []
    assert english_in(message.body) == []
    assert "Kính gửi" in message.body
    assert "Thay đổi cài đặt nhận thông báo tại:" in message.body


def test_templates_in_the_project_directory_win_over_wagtails_own():
    template = get_template("wagtailadmin/notifications/task_state_submitted.txt")
    assert Path(template.origin.name) == OVERRIDES / "task_state_submitted.txt"


def test_every_wagtail_notification_template_is_overridden():
    originals = {path.name for path in WAGTAIL_ORIGINALS.iterdir()}
    assert originals
    assert originals <= {path.name for path in OVERRIDES.iterdir()}


def test_moderator_is_told_in_vietnamese_that_an_article_awaits_approval(submitted, mailboxes):
    messages = messages_to(mailboxes["moderator"])
    assert len(messages) == 1
    message = messages[0]
    assert_vietnamese(message, submitted.title)
    assert "đã được gửi duyệt ở bước" in message.subject
    assert "Xem trước trang tại:" in message.body
    assert f"/cms/pages/{submitted.pk}/edit/" in message.body
    assert messages_to(mailboxes["editor"]) == []


def test_editor_is_told_in_vietnamese_that_the_article_was_approved(submitted, moderator, mailboxes):
    mail.outbox.clear()

    current_task_state(submitted).approve(user=moderator)

    submitted.refresh_from_db()
    assert submitted.live
    messages = messages_to(mailboxes["editor"])
    assert len(messages) == 1
    message = messages[0]
    assert_vietnamese(message, submitted.title)
    assert "đã được phê duyệt" in message.subject
    assert "Xem trang tại:" in message.body
    assert "/tin-tuc/gui-duyet/" in message.body


def test_editor_is_told_in_vietnamese_that_the_article_was_rejected_with_the_reason(submitted, moderator, mailboxes):
    mail.outbox.clear()

    current_task_state(submitted).reject(user=moderator, comment="Cần bổ sung số liệu tháng 3.")

    submitted.refresh_from_db()
    assert not submitted.live
    messages = messages_to(mailboxes["editor"])
    assert len(messages) == 1
    message = messages[0]
    assert_vietnamese(message, submitted.title)
    assert "đã bị từ chối" in message.subject
    assert f"đã bị {moderator.full_name} từ chối" in message.body
    assert "Ý kiến kèm theo: “Cần bổ sung số liệu tháng 3.”" in message.body
    assert "Chỉnh sửa trang tại:" in message.body


def test_submission_through_the_cms_mails_the_moderator_in_vietnamese(
    client, make_article, editor, category, mailboxes
):
    page = make_article("qua-cms", state="draft", title="Số hoá hồ sơ đăng kiểm")
    mail.outbox.clear()
    client.force_login(editor)

    form = article_form(category, title=page.title, slug=page.slug)
    form["action-submit"] = "Submit"
    response = client.post(f"/cms/pages/{page.pk}/edit/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    messages = messages_to(mailboxes["moderator"])
    assert len(messages) == 1
    assert_vietnamese(messages[0], page.title)


class FakeTask:
    id = 1
    pk = 1
    name = "Lãnh đạo duyệt"


class FakeWorkflow:
    name = "Duyệt tin bài"


class FakeTaskState:
    finished_by = None


@pytest.fixture
def template_context(make_article, editor, moderator):
    page = make_article("mau", title="Bài mẫu kiểm tra mẫu thư")
    revision = page.latest_revision
    return {
        "settings": settings,
        "user": moderator,
        "page": page,
        "object": page,
        "revision": revision,
        "task": FakeTask(),
        "task_state": FakeTaskState(),
        "workflow": FakeWorkflow(),
        "model_name": "bài tin",
        "requested_by": editor,
        "comment": "Cần sửa tiêu đề.",
        "editor": editor,
        "new_comments": [type("C", (), {"text": "Ý kiến mới"})()],
        "resolved_comments": [type("C", (), {"text": "Ý kiến đã xử lý"})()],
        "deleted_comments": [type("C", (), {"text": "Ý kiến đã bỏ"})()],
        "replied_comments": [
            {"comment": type("C", (), {"text": "Ý kiến gốc"})(), "replies": [type("R", (), {"text": "Trả lời"})()]}
        ],
    }


@pytest.mark.parametrize("name", sorted(path.name for path in OVERRIDES.iterdir()))
def test_each_overridden_template_renders_in_vietnamese(name, template_context):
    rendered = render_to_string(f"wagtailadmin/notifications/{name}", template_context)

    assert rendered.strip()
    assert english_in(rendered) == []
    if name.startswith("base."):
        assert "Kính gửi" in rendered
        assert "Thay đổi cài đặt nhận thông báo tại:" in rendered
    else:
        assert "Bài mẫu kiểm tra mẫu thư" in rendered


@pytest.mark.parametrize(
    "name", sorted(p.name for p in OVERRIDES.iterdir() if p.name.startswith(("task_state", "workflow_state")))
)
def test_non_page_branch_of_each_template_renders_in_vietnamese(name, template_context, category):
    context = {**template_context, "page": None, "object": category, "model_name": "chuyên mục tin"}

    rendered = render_to_string(f"wagtailadmin/notifications/{name}", context)

    assert "Chuyển đổi số" in rendered
    assert english_in(rendered) == []
    assert "Chuyên mục tin “Chuyển đổi số”" in rendered


def test_templates_use_translation_tags_not_bare_english():
    engine = engines["django"]
    for path in OVERRIDES.iterdir():
        source = path.read_text(encoding="utf-8")
        engine.from_string(source)  # parses: no template syntax error
        assert "{% trans " not in source and "{% blocktrans " not in source, path.name


def test_the_moderation_workflow_has_a_vietnamese_name(index):
    from cchc.news.services import WORKFLOW_NAME, news_workflow_ensure

    workflow = news_workflow_ensure(index=index)
    assert workflow.name == WORKFLOW_NAME == "Lãnh đạo duyệt tin bài"
    assert [task.name for task in workflow.tasks] == [WORKFLOW_NAME]
