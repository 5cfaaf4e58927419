from django.urls import path

from . import views

app_name = "digitisation"

urlpatterns = [
    path("can-bo/ho-so/<str:code>/giay-to/<int:pk>/so-hoa/", views.document, name="document"),
]
