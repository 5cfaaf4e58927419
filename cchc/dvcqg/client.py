"""The DVCQG adapter: a session from the auth endpoint, then services posted to the integration and
share endpoints (`protocol`). Configured by the DVCQG_* settings; the local simulator when they are
empty and the simulators are on (`cchc.core.integrations`)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from cchc.core import http, integrations

from . import protocol

SESSION_CACHE_SECONDS = 50 * 60
# The simulator's account (docs/integrations.md): a real installation sets DVCQG_USERNAME / DVCQG_PASSWORD.
SIMULATOR_USERNAME = "cchc-gia-lap"
SIMULATOR_PASSWORD = "cchc-gia-lap-mat-khau"  # noqa: S105 - documented demo value


class DvcqgError(Exception):
    """The portal could not be reached, or refused the call (its message kept for the operator)."""


@dataclass(frozen=True)
class Endpoints:
    auth: str
    integration: str
    share: str
    username: str
    password: str
    dstcode: str


def endpoints() -> Endpoints | None:
    """Where to send, or None when synchronisation is not configured."""
    if settings.DVCQG_INTEGRATION_URL:
        return Endpoints(
            auth=settings.DVCQG_AUTH_URL,
            integration=settings.DVCQG_INTEGRATION_URL,
            share=settings.DVCQG_SHARE_URL or settings.DVCQG_INTEGRATION_URL,
            username=settings.DVCQG_USERNAME,
            password=settings.DVCQG_PASSWORD,
            dstcode=settings.DVCQG_DSTCODE,
        )
    if integrations.simulators_enabled():
        base = integrations.simulator_url("dvcqg")
        return Endpoints(
            auth=f"{base}/auth",
            integration=f"{base}/integration",
            share=f"{base}/share",
            username=SIMULATOR_USERNAME,
            password=SIMULATOR_PASSWORD,
            dstcode="CCHC",
        )
    return None


def sync_enabled() -> bool:
    return endpoints() is not None


class DvcqgClient:
    def __init__(self, where: Endpoints | None = None):
        where = where or endpoints()
        if where is None:
            raise DvcqgError("Chưa cấu hình kết nối Cổng DVCQG.")
        self.where = where

    def _post(self, url: str, body: dict) -> dict:
        try:
            return http.post_json(url, body, headers={"dstcode": self.where.dstcode})
        except http.ProviderUnreachable as exc:
            raise DvcqgError(f"Không kết nối được Cổng DVCQG: {exc}") from exc

    def _session(self, *, fresh: bool = False) -> str:
        key = f"dvcqg:session:{self.where.auth}:{self.where.username}"
        session = None if fresh else cache.get(key)
        if session:
            return session
        answer = self._post(self.where.auth, {"username": self.where.username, "password": self.where.password})
        if not protocol.succeeded(answer) or not answer.get("session"):
            raise DvcqgError(f"Cổng DVCQG từ chối đăng nhập: {answer.get('message', '')}")
        cache.set(key, answer["session"], SESSION_CACHE_SECONDS)
        return answer["session"]

    def call(self, service: str, *, agency_code: str, share: bool = False, **fields) -> dict:
        """Post one service; a refused session is renewed once. Returns the answer, successful or not."""
        url = self.where.share if share else self.where.integration
        body = {"service": service, "madonvi": agency_code, **fields}
        answer = self._post(url, {**body, "session": self._session()})
        if protocol.session_refused(answer):
            answer = self._post(url, {**body, "session": self._session(fresh=True)})
        return answer
