"""News categories in the CMS menu (a snippet that moderators manage)."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import NewsCategory


class NewsCategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "tag"
    menu_label = _("Chuyên mục tin")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(NewsCategoryViewSet)


@hooks.register("insert_global_admin_js")
def start_widgets_without_inline_scripts():
    """See news/static/news/csp-init.js: the CMS under the site's Content-Security-Policy."""
    return format_html('<script src="{}"></script>', static("news/csp-init.js"))
