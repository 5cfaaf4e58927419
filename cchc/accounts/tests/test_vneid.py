"""VNeID sign-in: the claims profile, the simulator server's OpenID Connect protocol (over HTTP), and
the accounts it makes or links."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from cchc.accounts.models import User
from cchc.accounts.vneid import SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, identity_from_claims
from cchc.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
BASE = "http://simulators.test/vneid"  # the simulator server, as config/settings/test.py names it
LOGIN = "/tai-khoan/oidc/vneid/login/"
CALLBACK = "http://testserver/tai-khoan/oidc/vneid/login/callback/"
_SERVER = []


@pytest.fixture(autouse=True)
def _simulator_server(simulator):
    """Every test here may sign in through the simulator server's VNeID (emptied for the test)."""
    _SERVER[:] = [simulator]


# ---------------------------------------------------------------- the claims profile (pure)


def test_the_national_sso_claims_map_to_the_profile():
    identity = identity_from_claims(
        {
            "sub": "x",
            "SoDinhDanh": "001090001234",
            "HoVaTen": "Nguyễn  Văn An",
            "NgayThangNamSinh": "15/03/1990",
            "ThuongTru": "Số 45 Nguyễn Huệ",
            "IAL": 2,
        }
    )
    assert (identity.id_number, identity.name, identity.birth_date, identity.address, identity.level) == (
        "001090001234",
        "Nguyễn Văn An",
        date(1990, 3, 15),
        "Số 45 Nguyễn Huệ",
        "2",
    )
    assert identity.is_verified(minimum_level=2)


def test_standard_oidc_claims_are_read_when_the_vietnamese_ones_are_absent():
    identity = identity_from_claims(
        {
            "sub": "x",
            "personal_id": "001090001234",
            "name": "Trần Bình",
            "birthdate": "1992-01-31",
            "address": {"formatted": "Hà Nội"},
            "acr": "LoA2",
        }
    )
    assert identity.birth_date == date(1992, 1, 31)
    assert identity.address == "Hà Nội"
    assert identity.level_number == 2


@pytest.mark.parametrize(
    ("claims", "verified"),
    [
        ({"SoDinhDanh": "001090001234", "IAL": 1}, False),  # level 1: self-registered, not verified
        ({"SoDinhDanh": "00109000123", "IAL": 2}, False),  # not 12 digits
        ({"SoDinhDanh": "001090001234", "IAL": 2, "LoaiTaiKhoan": "2"}, False),  # a business account
        ({"SoDinhDanh": "001090001234", "loAs": ["LoA1", "LoA2"]}, True),
    ],
)
def test_only_a_person_at_the_verified_level_counts_as_verified(claims, verified):
    assert identity_from_claims({"sub": "x", **claims}).is_verified(minimum_level=2) is verified


# ---------------------------------------------------------------- the simulator's protocol


def _authorize_query(**overrides):
    query = {
        "client_id": SIMULATOR_CLIENT_ID,
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "scope": "openid",
        "state": "abc",
        "nonce": "n-1",
    }
    return {**query, **overrides}


def _code(simulator, identity="an", **overrides):
    response = simulator.browse(
        "POST",
        f"{BASE}/authorize?" + "&".join(f"{k}={v}" for k, v in _authorize_query(**overrides).items()),
        {"identity": identity, "choice": "login"},
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["state"] == ["abc"]
    return query["code"][0]


def _exchange(session, code, *, secret=SIMULATOR_CLIENT_SECRET, redirect_uri=CALLBACK):
    return session.post(
        f"{BASE}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": SIMULATOR_CLIENT_ID,
            "client_secret": secret,
        },
    )


def test_discovery_names_every_endpoint(simulated_http):
    from cchc.core import integrations

    config = integrations.http_session().get(f"{BASE}/.well-known/openid-configuration").json()
    assert config["issuer"] == BASE
    assert config["token_endpoint"] == f"{BASE}/token"
    assert config["jwks_uri"] == f"{BASE}/jwks"


def test_the_id_token_is_signed_with_a_published_key_and_carries_the_identity(simulator):
    from cchc.core import integrations

    session = integrations.http_session()
    answer = _exchange(session, _code(simulator))
    assert answer.status_code == 200
    tokens = answer.json()
    keys = session.get(f"{BASE}/jwks").json()["keys"]
    claims = jwt.decode(
        tokens["id_token"],
        jwt.PyJWK(keys[0]).key,
        algorithms=["RS256"],
        audience=SIMULATOR_CLIENT_ID,
        issuer=BASE,
    )
    assert claims["SoDinhDanh"] == "001090001234"
    assert claims["nonce"] == "n-1"
    userinfo = session.get(f"{BASE}/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert userinfo.json()["HoVaTen"] == "Nguyễn Văn An"


def test_a_code_is_exchanged_once_only(simulator):
    from cchc.core import integrations

    session = integrations.http_session()
    code = _code(simulator)
    assert _exchange(session, code).status_code == 200
    again = _exchange(session, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_a_wrong_secret_or_redirect_uri_gets_no_token(simulator):
    from cchc.core import integrations

    session = integrations.http_session()
    assert _exchange(session, _code(simulator), secret="wrong").status_code == 401
    assert (
        _exchange(session, _code(simulator), redirect_uri="http://evil.example/cb").json()["error"] == "invalid_grant"
    )
    assert session.get(f"{BASE}/userinfo", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_an_unknown_client_is_refused_on_the_simulators_own_page(simulator):
    query = "&".join(f"{k}={v}" for k, v in _authorize_query(client_id="other").items())
    response = simulator.browse("GET", f"{BASE}/authorize?{query}")
    assert response.status_code == 400
    assert "không được đăng ký" in response.text


def test_with_the_simulators_off_vneid_is_not_offered(client, settings):
    assert client.get("/gia-lap/vneid/.well-known/openid-configuration").status_code == 404  # not this site's
    settings.CCHC_SIMULATORS = False
    assert "VNeID" not in client.get("/tai-khoan/login/").content.decode()


# ---------------------------------------------------------------- signing in through allauth


def _sign_in(client, identity: str, *, process: str = ""):
    """Click "Đăng nhập bằng VNeID", pick the identity on the simulator server's page, come back."""
    data = {"process": process} if process else {}
    to_vneid = client.post(LOGIN, data)
    assert to_vneid.status_code == 302, to_vneid.content
    assert to_vneid["Location"].startswith(f"{BASE}/authorize?")
    back = _SERVER[0].browse("POST", to_vneid["Location"], {"identity": identity, "choice": "login"})
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_the_login_page_offers_vneid(client):
    assert "Đăng nhập bằng VNeID" in client.get("/tai-khoan/login/").content.decode()


def test_a_new_citizen_signs_in_and_is_verified_with_the_claims(client, simulated_http):
    response = _sign_in(client, "minh")
    assert response.status_code == 302
    user = User.objects.get(id_number="037095004321")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.identity_verified
    assert (user.full_name, user.birth_date, user.identity_level, user.role) == (
        "Phạm Quang Minh",
        date(1995, 9, 2),
        "2",
        "citizen",
    )
    assert user.address.startswith("Số 8 đường Trần Phú")
    assert AuditEvent.objects.filter(action="accounts.identity", object_id=str(user.pk)).exists()
    # Signing in again is the same account.
    client.logout()
    _sign_in(client, "minh")
    assert User.objects.filter(id_number="037095004321").count() == 1


def test_a_level_one_account_signs_in_without_being_verified(client, simulated_http):
    _sign_in(client, "lan")
    user = User.objects.get(socialaccount__uid="vneid-gia-lap-0003")
    assert not user.identity_verified
    assert user.id_number == ""
    assert user.identity_level == "1"


def test_a_locked_identity_makes_no_account(client, simulated_http):
    before = User.objects.count()
    response = _sign_in(client, "khoa")
    assert User.objects.count() == before
    assert "_auth_user_id" not in client.session
    assert response["Location"] == "/tai-khoan/3rdparty/login/cancelled/"
    assert "Đã hủy đăng nhập" in client.get(response["Location"]).content.decode()


def test_vneid_links_to_the_account_already_verified_for_that_number(client, simulated_http):
    existing = User.objects.create_user(
        username="da-xac-thuc", role="citizen", id_number="037095004321", identity_verified=True
    )
    _sign_in(client, "minh")
    assert client.session["_auth_user_id"] == str(existing.pk)
    assert SocialAccount.objects.get(uid="vneid-gia-lap-0002").user == existing


def test_a_declared_number_asks_for_the_password_before_linking(client, simulated_http):
    congdan = User.objects.get(username="congdan")
    assert congdan.id_number == "001090001234" and not congdan.identity_verified
    before = User.objects.count()
    response = _sign_in(client, "an")
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/login/")
    assert User.objects.count() == before
    assert "_auth_user_id" not in client.session
    # Signed in with the password, congdan links VNeID and becomes verified.
    assert client.login(username="congdan", password="demo12345")
    _sign_in(client, "an", process="connect")
    congdan.refresh_from_db()
    assert congdan.identity_verified
    assert congdan.birth_date == date(1990, 3, 15)
    assert SocialAccount.objects.get(uid="vneid-gia-lap-0001").user == congdan


def test_another_persons_verified_number_cannot_be_linked(client, simulated_http):
    User.objects.create_user(username="chu-that", role="citizen", id_number="037095004321", identity_verified=True)
    intruder = User.objects.create_user(username="ke-khac", role="citizen", password="x-123456-y")
    assert client.login(username="ke-khac", password="x-123456-y")
    _sign_in(client, "minh", process="connect")
    intruder.refresh_from_db()
    assert not intruder.identity_verified
    assert not SocialAccount.objects.filter(user=intruder).exists()


def test_signing_in_with_the_simulator_needs_no_network_setting(client, simulated_http):
    _sign_in(client, "minh")
    hosts = {urlsplit(url).netloc for _method, url, _headers, _body in simulated_http}
    assert hosts == {"simulators.test"}  # discovery, token, userinfo: all at the simulator server
    assert Client().get("/tai-khoan/login/").status_code == 200
