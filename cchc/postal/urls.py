from django.urls import path

from . import views

app_name = "postal"

urlpatterns = [
    path("can-bo/ho-so/<str:code>/gui-buu-dien/", views.send, name="send"),
    path("gia-lap/vnpost/apiGetToken", views.simulator_token, name="simulator_token"),
    path("gia-lap/vnpost/apiCreateOrder", views.simulator_create, name="simulator_create"),
    path("gia-lap/vnpost/apiGetOrderTracking", views.simulator_tracking, name="simulator_tracking"),
    path("gia-lap/vnpost/apiCancelOrder", views.simulator_cancel, name="simulator_cancel"),
]
