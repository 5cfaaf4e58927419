import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from cchc.accounts.models import ApiToken, User
from cchc.audit.models import AuditEvent

API = "/api/v1"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def issue(client, username="congdan", password="demo12345"):
    return client.post(
        f"{API}/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_issued_and_opens_protected_endpoints(demo, client):
    response = issue(client)
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) >= 40

    listed = client.get(f"{API}/dossiers", headers=bearer(token))
    assert listed.status_code == 200
    assert AuditEvent.objects.filter(action="auth.api_token", actor_username="congdan").exists()


def test_only_the_hash_of_the_token_is_stored(demo, client):
    token = issue(client).json()["token"]
    stored = ApiToken.objects.get(user__username="congdan")
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert timedelta(days=29) < stored.expires_at - timezone.now() <= timedelta(days=30)


def test_token_lifetime_follows_the_setting(demo, client, settings):
    settings.CCHC_API_TOKEN_DAYS = 2
    issue(client)
    stored = ApiToken.objects.get(user__username="congdan")
    assert stored.expires_at - timezone.now() <= timedelta(days=2)


@pytest.mark.parametrize(("username", "password"), [("congdan", "sai-mat-khau"), ("khong-ton-tai", "demo12345")])
def test_wrong_credentials_answer_401_with_the_same_message(demo, client, username, password):
    response = issue(client, username, password)
    assert response.status_code == 401
    assert response.json() == {"detail": WRONG, "code": "invalid_credentials", "errors": []}
    assert not ApiToken.objects.exists()


def test_missing_fields_answer_400(demo, client):
    response = client.post(f"{API}/auth/token", {"username": "congdan"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Dữ liệu gửi lên không hợp lệ."


def test_inactive_user_gets_no_token_and_loses_the_ones_held(demo, client):
    token = issue(client).json()["token"]
    User.objects.filter(username="congdan").update(is_active=False)
    assert issue(client).status_code == 401
    assert client.get(f"{API}/dossiers", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize("header", [None, "Bearer khong-hop-le", "Basic Y29uZ2RhbjpkZW1vMTIzNDU="])
def test_protected_endpoints_refuse_without_a_valid_token(demo, client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(f"{API}/dossiers", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "Cần đăng nhập."


def test_expired_token_is_refused(demo, client):
    token = issue(client).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"{API}/dossiers", headers=bearer(token)).status_code == 401


def test_use_records_last_use(demo, client):
    token = issue(client).json()["token"]
    assert ApiToken.objects.get().last_used_at is None
    client.get(f"{API}/dossiers", headers=bearer(token))
    assert ApiToken.objects.get().last_used_at is not None


def test_browser_session_is_accepted(demo, client):
    client.force_login(User.objects.get(username="congdan"))
    assert client.get(f"{API}/dossiers").status_code == 200


def test_token_requests_are_rate_limited_per_address_and_username(demo, client, settings):
    settings.CCHC_API_TOKEN_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert issue(client, password="sai").status_code == 401
    refused = issue(client)  # even the right password, once over the limit
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert "thử lại" in refused.json()["detail"]
    # Another username from the same address is counted apart.
    assert issue(client, "congdan2").status_code == 200
