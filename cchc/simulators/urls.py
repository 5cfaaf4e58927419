"""One URL prefix per service. The paths under a prefix are the provider's own where public code shows
them (VNPAY's `paymentv2/vpcpay.html` and `merchant_webapi/api/transaction`, VNPT's `.asmx` services,
Viettel's `InvoiceAPI/…`, ZNS's `message/template`, OpenID Connect's discovery, the DVCQG adapter's
`auth`/`integration`/`share`, VNPost's `apiCreateOrder`…), so a provider's base
URL is all CCHC configures."""

from django.urls import path

from . import views

urlpatterns = [
    path("vnpay/paymentv2/vpcpay.html", views.vnpay_page, name="vnpay_page"),
    path("vnpay/merchant_webapi/api/transaction", views.vnpay_api, name="vnpay_api"),
    path("paygov/thanh-toan/", views.paygov_page, name="paygov_page"),
    path("paygov/api/", views.paygov_api, name="paygov_api"),
    path("hoa-don/<str:provider>/<path:rest>", views.receipt_api, name="receipt_api"),
    path("sms/vnpt/", views.sms_vnpt, name="sms_vnpt"),
    path("sms/viettel/", views.sms_viettel, name="sms_viettel"),
    path("zalo/message/template", views.zalo_template, name="zalo_template"),
    path("dvcqg/<str:endpoint>", views.dvcqg_api, name="dvcqg_api"),
    path("vnpost/<str:operation>", views.vnpost_api, name="vnpost_api"),
    path("vneid/.well-known/openid-configuration", views.vneid_discovery, name="vneid_discovery"),
    path("vneid/jwks", views.vneid_jwks, name="vneid_jwks"),
    path("vneid/authorize", views.vneid_authorize, name="vneid_authorize"),
    path("vneid/token", views.vneid_token, name="vneid_token"),
    path("vneid/userinfo", views.vneid_userinfo, name="vneid_userinfo"),
    path("healthz", views.healthz, name="healthz"),
    path("_sim/config", views.control_config, name="control_config"),
    path("_sim/reset", views.control_reset, name="control_reset"),
    path("_sim/callbacks", views.control_callbacks, name="control_callbacks"),
    path("_sim/transactions", views.control_transactions, name="control_transactions"),
    path("_sim/receipts", views.control_receipts, name="control_receipts"),
    path("_sim/messages", views.control_messages, name="control_messages"),
    path("_sim/templates", views.control_templates, name="control_templates"),
    path("_sim/down", views.control_down, name="control_down"),
    path("_sim/dvcqg/dossiers", views.control_dvcqg_dossiers, name="control_dvcqg_dossiers"),
    path("_sim/dvcqg/lodge", views.control_dvcqg_lodge, name="control_dvcqg_lodge"),
    path("_sim/vnpost/orders", views.control_vnpost_orders, name="control_vnpost_orders"),
]
