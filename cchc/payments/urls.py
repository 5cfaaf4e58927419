from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("ho-so/<str:code>/thanh-toan/", views.start, name="start"),
    path("ho-so/<str:code>/bien-lai/", views.receipt, name="receipt"),
    path("thanh-toan/vnpay/ket-qua/", views.vnpay_return, name="return"),
    path("thanh-toan/paygov/ket-qua/", views.paygov_return, name="paygov_return"),
    path("can-bo/ho-so/<str:code>/thu-phi/", views.counter_cash, name="counter_cash"),
]
