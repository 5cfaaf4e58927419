from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("thu-tuc/", views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="detail"),
    path("thu-tuc/<str:code>/mau-don/<int:pk>/", views.component_template, name="component_template"),
    path("thu-tuc/<str:code>/mau-don/<int:pk>/<slug:fmt>/", views.form_template_download, name="form_template"),
    path("can-bo/danh-muc/xuat-excel/", views.catalogue_export, name="export"),
    path("can-bo/danh-muc/nhap-excel/", views.catalogue_import_view, name="import"),
]
