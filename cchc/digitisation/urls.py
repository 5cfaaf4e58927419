from django.urls import path

from . import views

app_name = "digitisation"

urlpatterns = [
    path("can-bo/ho-so/<str:code>/giay-to/<int:pk>/so-hoa/", views.document, name="document"),
    path("can-bo/ho-so/<str:code>/ket-qua-giay/so-hoa/", views.paper_result, name="paper_result"),
    path("can-bo/so-hoa/nhap-ket-qua-cu/", views.import_batches, name="imports"),
    path("can-bo/so-hoa/nhap-ket-qua-cu/<int:pk>/", views.batch, name="batch"),
    path("can-bo/so-hoa/nhap-ket-qua-cu/<int:pk>/nhan-dang-lai/", views.batch_retry, name="batch_retry"),
]
