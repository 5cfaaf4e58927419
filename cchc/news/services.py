"""Editorial set-up of the news: the news index page, who edits and who moderates, and the
moderation workflow. Articles themselves are written, submitted, approved and published in the
CMS (/cms/), through Wagtail's own services.

Editors (Wagtail group "Editors") may draft and submit for moderation; moderators ("Moderators")
approve, which publishes, or schedules when the article has a future go-live moment.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cchc.audit.services import audit_record
from cchc.core.errors import ApplicationError

from .models import NewsIndexPage

EDITORS = "Editors"
MODERATORS = "Moderators"
NEWS_INDEX_SLUG = "tin-tuc"
# Wagtail's migrations name the default workflow and its task in English; editors and moderators
# read the name in the CMS and in every notification email, so it is given a Vietnamese one.
WAGTAIL_WORKFLOW_NAME = "Moderators approval"
WORKFLOW_NAME = "Lãnh đạo duyệt tin bài"
PAGE_PERMISSIONS = {
    EDITORS: ("add_page", "change_page"),
    MODERATORS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}
IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")
CATEGORY_PERMISSIONS = {
    EDITORS: ("view_newscategory",),
    MODERATORS: ("view_newscategory", "add_newscategory", "change_newscategory", "delete_newscategory"),
}


# The title Wagtail's first migration gives the site's home page.
WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"


def _page_titled_in_vietnamese(page: Page | None, *, english: str, vietnamese: str) -> None:
    """Wagtail's migrations name the tree's root and the home page in English, atop the CMS's page tree."""
    if page is not None and page.title == english:
        page.title = page.draft_title = vietnamese
        page.save(update_fields=["title", "draft_title"])


def _site_root() -> Page:
    """The default site's root page. Wagtail's migrations make one; a database emptied since (a
    flushed test database) gets a root, a home page and a default site again."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first() or Site.objects.first()
    if site is not None:
        _page_titled_in_vietnamese(Page.get_first_root_node(), english="Root", vietnamese=_("Gốc"))
        _page_titled_in_vietnamese(site.root_page, english=WAGTAIL_WELCOME_TITLE, vietnamese=_("Trang chủ"))
        return site.root_page
    # Pages need their language's Locale, which Wagtail's migrations made and the flush emptied too.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title=_("Gốc"), slug="root"))
    home = root.add_child(instance=Page(title=_("Trang chủ"), slug="home"))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@transaction.atomic
def news_index_ensure(*, title: str, intro: str = "") -> NewsIndexPage:
    """The news index at /tin-tuc/ under the site's root page: made and published if missing."""
    root = _site_root()
    existing = NewsIndexPage.objects.first()
    if existing is not None:
        return existing
    index = root.add_child(instance=NewsIndexPage(title=title, slug=NEWS_INDEX_SLUG, intro=intro))
    index.save_revision().publish()
    audit_record(action="news.index_create", object_type="page", object_id=index.pk, data={"slug": index.slug})
    return index


@transaction.atomic
def news_workflow_ensure(*, index: Page) -> Workflow:
    """Make sure a moderation workflow covers the news index: the one it inherits (by default
    Wagtail's "Moderators approval" on the root page, renamed "Lãnh đạo duyệt tin bài"), else that
    workflow attached to the index."""
    workflow = index.get_workflow()
    if workflow is None:
        moderators, _created = Group.objects.get_or_create(name=MODERATORS)
        workflow = Workflow.objects.filter(name__in=(WORKFLOW_NAME, WAGTAIL_WORKFLOW_NAME), active=True).first()
        if workflow is None:
            workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
            task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME, active=True)
            task.groups.set([moderators])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
        audit_record(
            action="news.workflow_attach", object_type="page", object_id=index.pk, data={"workflow": workflow.name}
        )
    _name_in_vietnamese(workflow)
    return workflow


def _name_in_vietnamese(workflow: Workflow) -> None:
    if workflow.name == WAGTAIL_WORKFLOW_NAME:
        workflow.name = WORKFLOW_NAME
        workflow.save(update_fields=["name"])
        audit_record(
            action="news.workflow_rename", object_type="workflow", object_id=workflow.pk, data={"name": WORKFLOW_NAME}
        )
    Task.objects.filter(workflow_tasks__workflow=workflow, name=WAGTAIL_WORKFLOW_NAME).update(name=WORKFLOW_NAME)


def _permissions(app_label: str, codenames) -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


@transaction.atomic
def news_permissions_ensure(*, index: Page) -> None:
    """What each group may do, granted on the news index (Wagtail's migrations grant much of it
    on the root page already; this keeps the news working where they were removed): both groups
    enter the CMS and add and choose images; editors add and edit articles; moderators also
    publish, lock and unlock them and manage the categories."""
    for group_name in (EDITORS, MODERATORS):
        group, _created = Group.objects.get_or_create(name=group_name)
        page_codenames = PAGE_PERMISSIONS[group_name]
        for permission in _permissions("wagtailcore", page_codenames):
            GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
        collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
        for permission in _permissions("wagtailimages", IMAGE_PERMISSIONS):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
        wanted = _permissions("wagtailadmin", ("access_admin",)) + _permissions(
            "news", CATEGORY_PERMISSIONS[group_name]
        )
        group.permissions.add(*wanted)


@transaction.atomic
def news_member_add(*, user, group_name: str, actor=None) -> bool:
    """Put `user` in the editors' or moderators' group; False when already there."""
    if group_name not in (EDITORS, MODERATORS):
        raise ApplicationError(_("Nhóm biên tập không hợp lệ."), code="invalid_group")
    group, _created = Group.objects.get_or_create(name=group_name)
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    audit_record(
        action="news.member_add",
        actor=actor,
        object_type="user",
        object_id=user.username,
        data={"group": group_name},
    )
    return True
