"""The VNPost adapter (docs/integrations.md, VNPost): a token from the customer's key and secret, then
orders created, tracked and cancelled with the header `access_token`. Configured by the VNPOST_*
settings; the local simulator while they are empty and the simulators are on."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from cchc.core import http, integrations

# VNPost's status of an order reply: "100" accepted; "101" an order with that number exists already.
ACCEPTED, ALREADY_EXISTS = "100", "101"
TOKEN_CACHE_SECONDS = 50 * 60
SIMULATOR_CUSTOMER = ("CCHC-GIA-LAP", "khoa-gia-lap", "bi-mat-gia-lap")  # code, key, secret (demo values)


class VnpostError(Exception):
    """VNPost could not be reached, or refused (its message kept for the officer)."""


@dataclass(frozen=True)
class Account:
    base: str
    customer_code: str
    customer_key: str
    secret_key: str


def account() -> Account | None:
    if settings.VNPOST_URL:
        return Account(
            settings.VNPOST_URL.rstrip("/"),
            settings.VNPOST_CUSTOMER_CODE,
            settings.VNPOST_CUSTOMER_KEY,
            settings.VNPOST_SECRET_KEY,
        )
    if integrations.simulators_enabled():
        return Account(integrations.simulator_url("vnpost"), *SIMULATOR_CUSTOMER)
    return None


def post_enabled() -> bool:
    return account() is not None


class VnpostClient:
    def __init__(self, where: Account | None = None):
        where = where or account()
        if where is None:
            raise VnpostError("Chưa cấu hình kết nối VNPost.")
        self.where = where

    def _post(self, path: str, body: dict, *, token: str | None = None) -> dict:
        headers = {"access_token": token} if token else {}
        try:
            answer = http.send("POST", f"{self.where.base}/{path}", json_body=body, headers=headers)
            if answer.status == 401 and token:
                return {"Status": "401"}
            if not 200 <= answer.status < 300:
                raise http.ProviderUnreachable(f"HTTP {answer.status}")
            return answer.json_object()
        except http.ProviderUnreachable as exc:
            raise VnpostError(f"Không kết nối được VNPost: {exc}") from exc

    def _token(self, *, fresh: bool = False) -> str:
        key = f"vnpost:token:{self.where.base}:{self.where.customer_key}"
        token = None if fresh else cache.get(key)
        if token:
            return token
        answer = self._post("apiGetToken", {"customerKey": self.where.customer_key, "secretKey": self.where.secret_key})
        token = answer.get("accessToken")
        if not token:
            raise VnpostError(f"VNPost từ chối cấp mã truy cập: {answer.get('Message', '')}")
        cache.set(key, token, TOKEN_CACHE_SECONDS)
        return token

    def call(self, path: str, body: dict) -> dict:
        answer = self._post(path, body, token=self._token())
        if str(answer.get("Status")) == "401":  # the token expired: once more with a fresh one
            answer = self._post(path, body, token=self._token(fresh=True))
        return answer

    def create_order(self, order: dict) -> dict:
        return self.call("apiCreateOrder", {"CustomerCode": self.where.customer_code, **order})

    def tracking(self, order_number: str) -> dict:
        return self.call("apiGetOrderTracking", {"CustomerCode": self.where.customer_code, "OrderNumber": order_number})

    def cancel(self, order_number: str) -> dict:
        return self.call("apiCancelOrder", {"CustomerCode": self.where.customer_code, "OrderNumber": order_number})
