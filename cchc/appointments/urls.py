from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("lich-hen/", views.mine, name="mine"),
    path("lich-hen/dat/", views.book, name="book"),
    path("lich-hen/<str:code>/huy/", views.cancel, name="cancel"),
    path("can-bo/lay-so/", views.kiosk, name="kiosk"),
    path("can-bo/quay/", views.counter, name="counter"),
]
