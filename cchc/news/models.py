"""Reform news as Wagtail pages: one news index (served at /tin-tuc/), its articles, and plain
reform pages; categories are snippets editors manage in the CMS.

Publishing goes through Wagtail: editors draft and submit, moderators approve (the workflow
"Lãnh đạo duyệt tin bài", Wagtail's "Moderators approval" renamed), and an approved revision
with a future go-live moment is published by the `publish_scheduled` task.
"""

import re

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index

from cchc.core import clock

NEWS_PAGE_SIZE = 10
SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]{1,100}")
CATEGORY_PARAM = "chuyen-muc"
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class NewsCategory(models.Model):
    """A subject under which articles are filed ("Cải cách thủ tục hành chính", …)."""

    name = models.CharField(_("tên chuyên mục"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True, allow_unicode=False)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("chuyên mục tin")
        verbose_name_plural = _("chuyên mục tin")

    def __str__(self) -> str:
        return self.name


class NewsBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Đoạn văn"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(label=_("Hình ảnh"))
    quote = blocks.BlockQuoteBlock(label=_("Trích dẫn"))


class NewsIndexPage(Page):
    """The list of news articles, newest first, filterable by category."""

    intro = RichTextField(_("lời giới thiệu"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.NewsArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = _("trang danh sách tin")
        verbose_name_plural = _("trang danh sách tin")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        slug = request.GET.get(CATEGORY_PARAM, "").strip()
        # Only a slug is looked up: anything else (a NUL, which PostgreSQL refuses) is no category.
        category = NewsCategory.objects.filter(slug=slug).first() if SLUG_PATTERN.fullmatch(slug) else None
        articles = self.articles(category=category)
        context["category"] = category
        context["category_param"] = CATEGORY_PARAM
        context["categories"] = NewsCategory.objects.all()
        context["articles"] = Paginator(articles, NEWS_PAGE_SIZE).get_page(request.GET.get("page"))
        return context

    def articles(self, *, category: "NewsCategory | None" = None):
        """The index's articles visitors may read, newest first, of `category` when given."""
        qs = NewsArticlePage.readable().child_of(self)
        return qs.filter(categories=category) if category is not None else qs


def _today():
    return clock.localdate()


class NewsArticlePage(Page):
    """One news article."""

    @classmethod
    def readable(cls):
        """Published articles visitors may read (no draft, no scheduled one, no private one), newest first."""
        return (
            cls.objects.live()
            .public()
            .select_related("main_image")
            .prefetch_related("categories")
            .order_by("-date", "-first_published_at", "-pk")
        )

    date = models.DateField(_("ngày đăng"), default=_today)
    intro = models.TextField(_("tóm tắt"), max_length=500, help_text=_("Một hai câu, hiện trong danh sách tin."))
    body = StreamField(NewsBodyBlock(), verbose_name=_("nội dung"), blank=True)
    main_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    main_image_alt = models.CharField(
        _("mô tả ảnh"), max_length=255, blank=True, help_text=_("Cho người dùng trình đọc màn hình.")
    )
    categories = ParentalManyToManyField(NewsCategory, verbose_name=_("chuyên mục"), blank=True, related_name="+")

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("categories", widget=forms.CheckboxSelectMultiple)],
            heading=_("Thông tin bài"),
        ),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("main_image"), FieldPanel("main_image_alt")], heading=_("Ảnh đại diện")),
        FieldPanel("body"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("bài tin")
        verbose_name_plural = _("bài tin")

    @property
    def image_alt(self) -> str:
        return self.main_image_alt or self.title


class ReformPage(Page):
    """A static page about the reform (plans, results, contacts)."""

    intro = models.TextField(_("tóm tắt"), blank=True, max_length=500)
    body = RichTextField(_("nội dung"), blank=True, features=RICH_TEXT_FEATURES)

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["news.ReformPage"]

    class Meta:
        verbose_name = _("trang giới thiệu cải cách hành chính")
        verbose_name_plural = _("trang giới thiệu cải cách hành chính")
