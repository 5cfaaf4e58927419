from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("tai-khoan/nhan-thong-bao/", views.preferences, name="preferences"),
]
