from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("ho-so/<str:code>/thanh-toan/", views.start, name="start"),
    path("ho-so/<str:code>/bien-lai/", views.receipt, name="receipt"),
    path("thanh-toan/vnpay/ket-qua/", views.vnpay_return, name="return"),
    path("thanh-toan/paygov/ket-qua/", views.paygov_return, name="paygov_return"),
    path("thanh-toan/gia-lap/", views.simulator, name="simulator"),
    path("thanh-toan/gia-lap/paygov/", views.paygov_simulator, name="paygov_simulator"),
    path("thanh-toan/gia-lap/paygov/api/", views.paygov_simulator_api, name="paygov_simulator_api"),
    path("thanh-toan/gia-lap/api/", views.simulator_api, name="simulator_api"),
    path("hoa-don/gia-lap/<str:provider>/", views.receipt_simulator, name="receipt_simulator"),
    path("hoa-don/gia-lap/<str:provider>/<path:rest>", views.receipt_simulator, name="receipt_simulator_call"),
    path("can-bo/ho-so/<str:code>/thu-phi/", views.counter_cash, name="counter_cash"),
]
