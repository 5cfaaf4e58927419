"""VNPost's (public postal service) order API, simulated (`/vnpost/…` on the simulator server; never in
production).

- `apiGetToken`: the customer's key and secret → `{accessToken, tokenType}` (an hour);
- `apiCreateOrder`: header `access_token`; an order needs OrderNumber and a Receiver with a name, an
  address and a phone; it gets an ItemCode (the waybill) and `Status` "100"; a second order with the same
  OrderNumber gets "101" and the first one's ItemCode;
- `apiGetOrderTracking`: the order's steps so far. The simulated parcel moves one step along an invented
  ladder at each look-up (created → picked up → in transit → delivered), so a demo or a test sees it
  travel; VNPost's real status codes are not public (docs/integrations.md);
- `apiCancelOrder`: only before the parcel is picked up.
While the tester has VNPost down (`POST /_sim/down`) every call answers 503. State lives in the
simulator store's `Record` rows (service "vnpost"); `GET /_sim/vnpost/orders` lists them.
"""

import secrets

from django.core import signing
from django.utils import timezone

from cchc.postal.client import ACCEPTED, ALREADY_EXISTS, SIMULATOR_CUSTOMER

from .models import Record

SERVICE = "vnpost"
TOKEN_SECONDS = 3600
# The invented ladder: (code, label). Labelled as simulated wherever it is shown.
LADDER = (
    ("100", "Đã tạo đơn (giả lập)"),
    ("200", "Bưu cục đã nhận bưu gửi (giả lập)"),
    ("300", "Đang vận chuyển (giả lập)"),
    ("500", "Phát thành công (giả lập)"),
)


def token(body: dict) -> tuple[int, dict]:
    _code, key, secret = SIMULATOR_CUSTOMER
    if body.get("customerKey") != key or body.get("secretKey") != secret:
        return 401, {"Status": "401", "Message": "Sai customerKey hoặc secretKey"}
    value = signing.dumps({"k": key, "n": secrets.token_hex(4)}, salt="vnpost-simulator.token")
    return 200, {"accessToken": value, "tokenType": "Bearer"}


def _authorised(access_token: str) -> bool:
    try:
        signing.loads(access_token or "", salt="vnpost-simulator.token", max_age=TOKEN_SECONDS)
    except signing.BadSignature:
        return False
    return True


def _orders():
    return Record.objects.filter(service=SERVICE, kind="order")


def _now() -> str:
    return timezone.localtime().strftime("%d/%m/%Y %H:%M:%S")


def create_order(body: dict) -> dict:
    number = str(body.get("OrderNumber", "")).strip()
    receiver = body.get("Receiver") or {}
    if body.get("CustomerCode") != SIMULATOR_CUSTOMER[0]:
        return {"Status": "102", "Message": "Sai mã khách hàng"}
    if not number or not all(str(receiver.get(k, "")).strip() for k in ("Name", "Address", "Tel")):
        return {"Status": "103", "Message": "Thiếu số đơn hàng hoặc thông tin người nhận"}
    existing = _orders().filter(key=number).first()
    if existing is not None:
        return {"Status": ALREADY_EXISTS, "Message": "Đơn hàng đã tồn tại", "ItemCode": existing.data["ItemCode"]}
    item_code = body.get("ItemCode") or f"EB{secrets.randbelow(10**9):09d}VN"
    Record.objects.create(
        service=SERVICE,
        kind="order",
        key=number,
        data={"ItemCode": item_code, "order": body, "steps": [[*LADDER[0], _now()]], "cancelled": False},
    )
    return {"Status": ACCEPTED, "Message": "Tạo đơn thành công", "ItemCode": item_code}


def tracking(body: dict) -> dict:
    record = _orders().filter(key=str(body.get("OrderNumber", ""))).first()
    if record is None:
        return {"Status": "104", "Message": "Không tìm thấy đơn hàng"}
    steps = record.data["steps"]
    if not record.data.get("cancelled") and len(steps) < len(LADDER):
        steps = [*steps, [*LADDER[len(steps)], _now()]]
        record.data = {**record.data, "steps": steps}
        record.save(update_fields=["data", "updated_at"])
    return {
        "Status": ACCEPTED,
        "ItemCode": record.data["ItemCode"],
        "Data": [{"StatusCode": code, "StatusName": label, "Time": at} for code, label, at in steps],
    }


def cancel(body: dict) -> dict:
    record = _orders().filter(key=str(body.get("OrderNumber", ""))).first()
    if record is None:
        return {"Status": "104", "Message": "Không tìm thấy đơn hàng"}
    if len(record.data["steps"]) > 1:
        return {"Status": "105", "Message": "Bưu gửi đã được nhận, không hủy được"}
    record.data = {**record.data, "cancelled": True}
    record.save(update_fields=["data", "updated_at"])
    return {"Status": ACCEPTED, "Message": "Đã hủy đơn"}


OPERATIONS = {"apiCreateOrder": create_order, "apiGetOrderTracking": tracking, "apiCancelOrder": cancel}


def answer(operation: str, body: dict, access_token: str) -> tuple[int, dict]:
    if operation not in OPERATIONS:
        return 404, {"Status": "404", "Message": "Không có dịch vụ này"}
    if not _authorised(access_token):
        return 401, {"Status": "401", "Message": "access_token không hợp lệ hoặc đã hết hạn"}
    return 200, OPERATIONS[operation](body)


def orders() -> list[dict]:
    """The orders VNPost holds (`GET /_sim/vnpost/orders`): `{"key": OrderNumber, "data": {ItemCode, steps…}}`."""
    return [row.as_dict() for row in _orders().order_by("id")]
