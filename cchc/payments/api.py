"""Payment endpoints.

- `GET /api/v1/payments/vnpay/ipn`: VNPAY's instant payment notification (no login: the
  signature is the authentication). Always answers 200 with `{"RspCode", "Message"}`.
- `POST /api/v1/payments/paygov/confirm`: PayGov's signed result (JSON; no login: MaXacThuc is the
  authentication). Always answers 200 with PayGov's `{MaLoi, MoTaLoi, …, MaXacThuc}`.
- `POST /api/v1/dossiers/{code}/payments?provider=vnpay|paygov`: the applicant starts an online payment and gets
  `{"reference", "amount", "pay_url"}`; anyone else gets 404.
- `GET /api/v1/dossiers/{code}/payments`: every attempt to pay the dossier's fees, for whoever may
  see the dossier (its access rule: another person's dossier is a 404).
"""

import json
from typing import Literal

from django.conf import settings
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status as StatusResponse

from cchc.accounts.auth import api_auth
from cchc.audit.services import client_ip
from cchc.core import ratelimit
from cchc.core.api_utils import iso
from cchc.core.errors import NotFound, TooManyRequests
from cchc.dossiers.selectors import dossier_get

from .models import Payment, Provider
from .providers import provider_for
from .selectors import payment_attempts
from .services import ALREADY_CONFIRMED, CONFIRMED, payment_ipn, payment_start

ipn_router = Router(tags=["Thanh toán"])
dossier_router = Router(tags=["Thanh toán"], auth=api_auth)


class IpnOut(Schema):
    RspCode: str
    Message: str


class PayGovAnswerOut(Schema):
    MaLoi: str
    MoTaLoi: str
    MaDoiTac: str
    MaThamChieu: str
    ThoiGianGD: str
    MaXacThuc: str


class PaymentOut(Schema):
    reference: str
    amount: int
    pay_url: str


class RefundOut(Schema):
    amount: int
    status: str
    status_label: str
    requested_at: str
    done_at: str | None


class ReceiptOut(Schema):
    status: str  # pending | issuing | issued | failed | cancelling | cancelled | adjusted
    status_label: str
    pattern: str
    series: str
    number: str
    lookup_code: str
    original_number: str  # the receipt an adjustment replaced


class AttemptOut(Schema):
    reference: str
    amount: int
    method: str  # online | counter
    provider: str  # vnpay | cash
    provider_label: str
    status: str  # pending | paid | failed | cancelled | refund_pending | refunded
    status_label: str
    created_at: str
    paid_at: str | None
    transaction_no: str
    refund: RefundOut | None
    receipt: ReceiptOut | None


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@ipn_router.get(
    "/vnpay/ipn",
    response={200: IpnOut, 429: ErrorOut},
    summary="VNPAY IPN: cổng thanh toán báo kết quả giao dịch (máy chủ gọi máy chủ)",
    description=(
        "Tham số `vnp_*` theo giao thức VNPAY 2.1.0, ký `vnp_SecureHash` (HMAC-SHA512). Mọi yêu cầu được lưu "
        "trước khi xử lý. Trả lời: `00` đã ghi nhận; `01` không tìm thấy giao dịch; `02` giao dịch đã được xác "
        "nhận trước đó (gửi lại không có tác dụng); `04` sai số tiền; `97` sai chữ ký; `99` lỗi khác. Chỉ ghi "
        "nhận đã thanh toán khi cả `vnp_ResponseCode` và `vnp_TransactionStatus` là `00`; `vnp_TmnCode` khác mã "
        "của cơ quan: `99`. Mỗi địa chỉ gửi tối đa `CCHC_IPN_RATE_PER_MINUTE` yêu cầu mỗi phút (quá: 429)."
    ),
)
def vnpay_ipn(request):
    ip = client_ip(request)
    if not ratelimit.hit(scope="ipn", key=ip or "", limit=settings.CCHC_IPN_RATE_PER_MINUTE):
        raise TooManyRequests(_("Quá nhiều yêu cầu; vui lòng thử lại sau."))
    answer = payment_ipn(
        provider_name=Provider.VNPAY,
        params=request.GET,
        query_string=request.META.get("QUERY_STRING", ""),
        remote_ip=ip,
    )
    return answer.as_json()


@ipn_router.post(
    "/paygov/confirm",
    response={200: PayGovAnswerOut, 429: ErrorOut},
    summary="PayGov: Nền tảng thanh toán báo kết quả giao dịch (máy chủ gọi máy chủ)",
    description=(
        "Thân JSON theo bản tin kết quả của Nền tảng thanh toán trên Cổng DVCQG: LoaiBanTin, MaLoi, MaDoiTac, "
        "MaThamChieu, SoTien, MaTienTe, MaGiaoDich, MaNganHang, ThoiGianGD, ThongTinGiaoDich và MaXacThuc "
        "(SHA-256 các trường nối bằng `|`, khóa bí mật ở cuối). Mọi yêu cầu được lưu trước khi xử lý. Trả lời "
        "`MaLoi` `00` khi đã ghi nhận (gửi lại không có tác dụng), `99` khi sai mã xác thực, mã đối tác, số tiền "
        "hoặc không tìm thấy giao dịch. Mỗi địa chỉ gửi tối đa `CCHC_IPN_RATE_PER_MINUTE` yêu cầu mỗi phút "
        "(quá: 429)."
    ),
)
def paygov_confirm(request):
    ip = client_ip(request)
    if not ratelimit.hit(scope="ipn", key=ip or "", limit=settings.CCHC_IPN_RATE_PER_MINUTE):
        raise TooManyRequests(_("Quá nhiều yêu cầu; vui lòng thử lại sau."))
    try:
        raw = request.body
    except RawPostDataException:  # a form body, already read by the middleware: not PayGov's JSON
        raw = b""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        body = None
    params = (
        {
            str(key): "" if value is None else str(value)
            for key, value in body.items()
            if not isinstance(value, dict | list)
        }
        if isinstance(body, dict)
        else {}
    )
    answer = payment_ipn(
        provider_name=Provider.PAYGOV,
        params=params,
        query_string=raw[:2000].decode("utf-8", "replace"),
        remote_ip=ip,
    )
    recorded = answer in (CONFIRMED, ALREADY_CONFIRMED)
    return provider_for(Provider.PAYGOV).answer(recorded=recorded, message=answer.message, params=params)


@dossier_router.post(
    "/{code}/payments",
    response={201: PaymentOut, **ERRORS},
    summary="Nộp phí, lệ phí trực tuyến: tạo giao dịch và lấy địa chỉ thanh toán (VNPAY hoặc PayGov)",
    description=(
        "Chỉ người nộp hồ sơ. Tham số `provider`: `vnpay` (mặc định) hoặc `paygov` (Nền tảng thanh toán trên Cổng "
        "DVCQG). Trả về mã giao dịch (`reference`), số tiền (đồng) và `pay_url` để chuyển người "
        "dùng sang cổng thanh toán. Hồ sơ không phải nộp phí: 400; đã nộp hoặc đã kết thúc: 409."
    ),
)
def dossier_payment_create(request, code: str, provider: Literal["vnpay", "paygov"] = "vnpay"):
    user = request.auth
    dossier = dossier_get(user=user, code=code)
    if dossier is None or dossier.applicant_user_id != user.pk:
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    payment, url = payment_start(
        dossier=dossier, user=user, ip=client_ip(request), base_url=request.build_absolute_uri("/"), provider=provider
    )
    return StatusResponse(201, {"reference": payment.reference, "amount": payment.amount, "pay_url": url})


def _attempt(payment: Payment) -> dict:
    refund = next(iter(payment.refunds.all()), None)  # at most one, prefetched
    return {
        "reference": payment.reference,
        "amount": payment.amount,
        "method": "online" if payment.online else "counter",
        "provider": payment.provider,
        "provider_label": payment.get_provider_display(),
        "status": payment.status,
        "status_label": payment.get_status_display(),
        "created_at": iso(payment.created_at),
        "paid_at": iso(payment.paid_at),
        "transaction_no": payment.transaction_no,
        "refund": {
            "amount": refund.amount,
            "status": refund.status,
            "status_label": refund.get_status_display(),
            "requested_at": iso(refund.requested_at),
            "done_at": iso(refund.done_at),
        }
        if refund is not None
        else None,
        "receipt": {
            "status": payment.receipt_status,
            "status_label": payment.get_receipt_status_display(),
            "pattern": payment.receipt_pattern,
            "series": payment.receipt_series,
            "number": payment.receipt_number,
            "lookup_code": payment.receipt_lookup_code,
            "original_number": payment.receipt_original_number,
        }
        if payment.receipt_status
        else None,
    }


@dossier_router.get(
    "/{code}/payments",
    response={200: list[AttemptOut], **ERRORS},
    summary="Các lượt thanh toán phí, lệ phí của hồ sơ (trạng thái, thời điểm, hoàn tiền)",
    description=(
        "Người xem được hồ sơ thì xem được các lượt thanh toán của hồ sơ, cũ nhất trước: số tiền (đồng), "
        "hình thức (trực tuyến qua cổng thanh toán hoặc tiền mặt tại Bộ phận Một cửa), trạng thái, thời điểm "
        "thanh toán, mã giao dịch tại cổng, khoản hoàn tiền nếu có và biên lai điện tử "
        "(mẫu số, ký hiệu, số, mã tra cứu). Hồ sơ không xem được: 404."
    ),
)
def dossier_payment_list(request, code: str):
    dossier = dossier_get(user=request.auth, code=code)
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    return [_attempt(payment) for payment in payment_attempts(dossier=dossier)]
