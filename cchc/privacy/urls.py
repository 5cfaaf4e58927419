from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("bao-mat-du-lieu/", views.notice, name="notice"),
    path("bao-mat-du-lieu/chap-nhan/", views.accept, name="accept"),
    path("ca-nhan/du-lieu/", views.my_data, name="my_data"),
    path("ca-nhan/du-lieu/tai-ve.<str:fmt>", views.my_data_download, name="my_data_download"),
    path("can-bo/du-lieu-ca-nhan/", views.request_list, name="request_list"),
    path("can-bo/du-lieu-ca-nhan/<int:pk>/", views.request_detail, name="request_detail"),
]
