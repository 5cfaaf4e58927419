"""A local stand-in for VNeID's OpenID Connect server, for the demo and the tests (never in production).

It speaks the authorization-code flow as public integrations of the national single sign-on use it
(docs/integrations.md §2) and as OpenID Connect Core 1.0 defines it:
- discovery (`/.well-known/openid-configuration`) and the signing keys (`/jwks`, RS256);
- `/authorize`: checks client_id, redirect_uri, response_type=code and the openid scope, then shows
  a page where the tester picks one of the test identities (`data/vneid_identities.yaml`) or cancels;
  it redirects back with a one-time code and the caller's `state`;
- `/token`: exchanges a code once, for the same client (secret by post or basic) and redirect_uri,
  for an access token and a signed id_token (`aud` = client, `nonce` echoed, `acr` = the level);
- `/userinfo`: the identity's claims for a valid bearer token.

Codes and tokens are signed with Django's signing (they expire on their own); a used code is
remembered in the cache, so a replay is refused. The RSA key is made on first use and kept in the
cache, so every process of one installation signs with the same key.
"""

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import jwt
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core import signing
from django.core.cache import cache as django_cache

from cchc.accounts.vneid import SIMULATOR_CLIENT_ID as CLIENT_ID
from cchc.accounts.vneid import SIMULATOR_CLIENT_SECRET as CLIENT_SECRET

CODE_SECONDS = 120
TOKEN_SECONDS = 600
KEY_CACHE = "vneid-simulator:rsa-key"
IDENTITIES_FILE = Path(__file__).parent / "data" / "vneid_identities.yaml"


@dataclass(frozen=True)
class TestIdentity:
    key: str
    sub: str
    claims: dict
    locked: bool = False

    @property
    def label(self) -> str:
        c = self.claims
        return f"{c.get('HoVaTen', '')} – {c.get('SoDinhDanh', '')} – mức {c.get('IAL', '?')}"


@cache
def identities() -> dict[str, TestIdentity]:
    rows = yaml.safe_load(IDENTITIES_FILE.read_text(encoding="utf-8"))
    return {
        row["key"]: TestIdentity(key=row["key"], sub=row["sub"], claims=row["claims"], locked=row.get("locked", False))
        for row in rows
    }


def discovery(base: str) -> dict:
    """The provider's metadata; `base` is the issuer, this simulator's `/vneid` as the caller reached it."""
    return {
        "issuer": base,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "jwks_uri": f"{base}/jwks",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "acr_values_supported": ["LoA1", "LoA2"],
    }


# ---------------------------------------------------------------- keys


def _private_key() -> rsa.RSAPrivateKey:
    pem = django_cache.get(KEY_CACHE)
    if pem is None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        fresh = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        django_cache.add(KEY_CACHE, fresh, None)
        pem = django_cache.get(KEY_CACHE) or fresh
    return serialization.load_pem_private_key(pem.encode(), password=None)


def _kid(public_key) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()[:12]).decode().rstrip("=")


def jwks() -> dict:
    public_key = _private_key().public_key()
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(public_key, as_dict=True)
    return {"keys": [{**jwk, "kid": _kid(public_key), "use": "sig", "alg": "RS256"}]}


# ---------------------------------------------------------------- authorize


@dataclass(frozen=True)
class AuthorizeRequest:
    client_id: str = ""
    redirect_uri: str = ""
    state: str = ""
    nonce: str = ""
    acr_values: str = ""
    error: str = ""  # Vietnamese, shown on the simulator's page (no redirect to an unchecked address)


def read_authorize(params) -> AuthorizeRequest:
    request = AuthorizeRequest(
        client_id=params.get("client_id", ""),
        redirect_uri=params.get("redirect_uri", ""),
        state=params.get("state", ""),
        nonce=params.get("nonce", ""),
        acr_values=params.get("acr_values", ""),
    )
    if request.client_id != CLIENT_ID:
        return AuthorizeRequest(error="Ứng dụng (client_id) không được đăng ký với VNeID giả lập.")
    if not request.redirect_uri.startswith(("http://", "https://")):
        return AuthorizeRequest(error="Thiếu hoặc sai địa chỉ quay về (redirect_uri).")
    if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split():
        return AuthorizeRequest(error="Yêu cầu phải có response_type=code và scope openid.")
    return request


def _back(request: AuthorizeRequest, **params) -> str:
    if request.state:
        params["state"] = request.state
    separator = "&" if "?" in request.redirect_uri else "?"
    return request.redirect_uri + separator + urlencode(params)


def complete_authorize(request: AuthorizeRequest, identity_key: str | None) -> str:
    """The tester picked an identity (or cancelled): the address the browser goes back to."""
    identity = identities().get(identity_key or "")
    if identity is None:
        return _back(request, error="access_denied", error_description="Người dùng hủy đăng nhập.")
    if identity.locked:
        return _back(request, error="access_denied", error_description="Tài khoản định danh điện tử đã bị khóa.")
    code = signing.dumps(
        {
            "sub": identity.key,
            "client_id": request.client_id,
            "redirect_uri": request.redirect_uri,
            "nonce": request.nonce,
            "acr": request.acr_values,
            "jti": secrets.token_hex(8),
        },
        salt="vneid-simulator.code",
    )
    return _back(request, code=code)


# ---------------------------------------------------------------- token and userinfo


def _client_credentials(form, authorization: str) -> tuple[str, str]:
    if authorization.startswith("Basic "):
        try:
            client_id, _sep, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return "", ""
        return client_id, secret
    return form.get("client_id", ""), form.get("client_secret", "")


def _error(status: int, code: str, description: str) -> tuple[int, dict]:
    return status, {"error": code, "error_description": description}


def token(form, authorization: str = "", *, issuer: str) -> tuple[int, dict]:
    """Exchange an authorization code: (HTTP status, JSON body) as RFC 6749 §5 answers."""
    client_id, secret = _client_credentials(form, authorization)
    if client_id != CLIENT_ID or not secrets.compare_digest(secret, CLIENT_SECRET):
        return _error(401, "invalid_client", "Sai client_id hoặc client_secret.")
    if form.get("grant_type") != "authorization_code":
        return _error(400, "unsupported_grant_type", "Chỉ hỗ trợ authorization_code.")
    try:
        code = signing.loads(form.get("code", ""), salt="vneid-simulator.code", max_age=CODE_SECONDS)
    except signing.BadSignature:
        return _error(400, "invalid_grant", "Mã ủy quyền không hợp lệ hoặc đã hết hạn.")
    if code["client_id"] != client_id or code["redirect_uri"] != form.get("redirect_uri", ""):
        return _error(400, "invalid_grant", "Mã ủy quyền không cấp cho ứng dụng hoặc địa chỉ này.")
    if not django_cache.add(f"vneid-simulator:used:{code['jti']}", 1, CODE_SECONDS * 2):
        return _error(400, "invalid_grant", "Mã ủy quyền đã được dùng.")
    identity = identities()[code["sub"]]
    level = str(identity.claims.get("IAL", ""))
    now = int(time.time())
    id_claims = {
        "iss": issuer,
        "sub": identity.sub,
        "aud": client_id,
        "iat": now,
        "exp": now + TOKEN_SECONDS,
        "acr": f"LoA{level}" if level else "",
        **({"nonce": code["nonce"]} if code["nonce"] else {}),
        **identity.claims,
    }
    private_key = _private_key()
    id_token = jwt.encode(id_claims, private_key, algorithm="RS256", headers={"kid": _kid(private_key.public_key())})
    access_token = signing.dumps({"sub": identity.key, "client_id": client_id}, salt="vneid-simulator.token")
    return 200, {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": TOKEN_SECONDS,
        "scope": "openid",
        "id_token": id_token,
    }


def userinfo(authorization: str) -> tuple[int, dict]:
    if not authorization.startswith("Bearer "):
        return _error(401, "invalid_token", "Thiếu mã truy cập.")
    try:
        grant = signing.loads(authorization[7:], salt="vneid-simulator.token", max_age=TOKEN_SECONDS)
    except signing.BadSignature:
        return _error(401, "invalid_token", "Mã truy cập không hợp lệ hoặc đã hết hạn.")
    identity = identities()[grant["sub"]]
    return 200, {"sub": identity.sub, **identity.claims}
