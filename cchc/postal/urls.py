from django.urls import path

from . import views

app_name = "postal"

urlpatterns = [
    path("can-bo/ho-so/<str:code>/gui-buu-dien/", views.send, name="send"),
]
