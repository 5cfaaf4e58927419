from django.urls import path

from . import views

app_name = "dvcqg"

urlpatterns = [
    path("can-bo/dong-bo-dvcqg/", views.operator, name="operator"),
    path("can-bo/dong-bo-dvcqg/<int:pk>/gui-lai/", views.retry, name="retry"),
    path("can-bo/dong-bo-dvcqg/lay-ho-so/", views.pull, name="pull"),
]
