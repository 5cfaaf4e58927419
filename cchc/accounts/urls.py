from django.urls import path

from . import views_simulator

app_name = "accounts"

urlpatterns = [
    path("gia-lap/vneid/.well-known/openid-configuration", views_simulator.discovery, name="vneid_discovery"),
    path("gia-lap/vneid/jwks", views_simulator.jwks, name="vneid_jwks"),
    path("gia-lap/vneid/authorize", views_simulator.authorize, name="vneid_authorize"),
    path("gia-lap/vneid/token", views_simulator.token, name="vneid_token"),
    path("gia-lap/vneid/userinfo", views_simulator.userinfo, name="vneid_userinfo"),
]
