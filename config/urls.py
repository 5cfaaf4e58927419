from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cchc.accounts import views as account_views
from cchc.procedures import views as procedure_views

from .api import api, api_not_found

admin.site.site_header = "Quản trị hệ thống CCHC"
admin.site.site_title = "Quản trị CCHC"
admin.site.index_title = "Danh mục, tổ chức và lịch làm việc"

urlpatterns = [
    path("", procedure_views.home, name="home"),
    path("", include("cchc.procedures.urls")),
    path("", include("cchc.dossiers.urls")),
    path("", include("cchc.payments.urls")),
    path("", include("cchc.messaging.urls")),
    path("", include("cchc.appointments.urls")),
    path("", include("cchc.results.urls")),
    path("", include("cchc.surveys.urls")),
    path("", include("cchc.complaints.urls")),
    path("", include("cchc.reports.urls")),
    path("", include("cchc.reform.urls")),
    path("", include("cchc.plans.urls")),
    path("", include("cchc.simplification.urls")),
    path("", include("cchc.initiatives.urls")),
    path("", include("cchc.news.urls")),
    path("", include("cchc.privacy.urls")),
    path("", include("cchc.dvcqg.urls")),
    path("", include("cchc.postal.urls")),
    path("", include("cchc.digitisation.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("quan-tri/login/", account_views.to_login_page, {"default_next": "/quan-tri/"}),
    path("quan-tri/", admin.site.urls),
    path("tai-khoan/", include("allauth.urls")),
    path("cms/login/", account_views.to_login_page, {"default_next": "/cms/"}),
    path("cms/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(wagtaildocs_urls)),
]
# No route serves MEDIA_ROOT, in any settings module: every stored file goes through a view that
# checks who may have it (cchc.core.files); news images through cchc.news.views.image_file.

# Wagtail serves the news pages last: a catch-all under the site's root page (/tin-tuc/...).
urlpatterns += [path("", include(wagtail_urls))]
