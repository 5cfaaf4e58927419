"""Authentication endpoints: exchange a username and password for a bearer token."""

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from cchc.audit.services import audit_record, client_ip
from cchc.core.api_utils import field_max_length
from cchc.core.errors import TooManyRequests, Unauthenticated

from . import lockout
from .auth import rate_limit, second_factor_check, token_rate_per_minute
from .models import User
from .services import api_token_create

# Longer "passwords" are refused before hashing (a cost an attacker could otherwise inflate).
PASSWORD_MAX_LENGTH = 1024

router = Router(tags=["Xác thực"])


class TokenIn(Schema):
    username: str = Field(max_length=field_max_length(User, "username"))
    password: str = Field(max_length=PASSWORD_MAX_LENGTH)
    otp: str = Field(
        "",
        max_length=64,
        description="Mã từ ứng dụng xác thực (hoặc một mã khôi phục), bắt buộc với tài khoản đã bật xác thực hai lớp.",
    )


class TokenOut(Schema):
    token: str


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


@router.post(
    "/token",
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Cấp khóa truy cập (Bearer) từ tên đăng nhập và mật khẩu",
    description=(
        "Trả về `token`; gửi nó trong tiêu đề `Authorization: Bearer <token>` ở các yêu cầu sau. "
        "Khóa có hạn 30 ngày (thiết lập `CCHC_API_TOKEN_DAYS`). Sai tên đăng nhập hoặc mật khẩu: 401. "
        "Quá 10 lần mỗi phút cho cùng địa chỉ IP và tên đăng nhập, hoặc đang phải chờ sau nhiều lần sai mật khẩu: "
        "429. Tài khoản đã bật xác thực hai lớp gửi thêm `otp`; thiếu hoặc sai: 401. Cán bộ chưa bật xác thực hai "
        "lớp khi cơ quan bắt buộc: 403."
    ),
)
def token_issue(request, payload: TokenIn):
    username = payload.username.strip()
    ip = client_ip(request)
    rate_limit(
        scope="api_token",
        key=f"{ip or '-'}|{username.casefold()}",
        limit=token_rate_per_minute(),
        message=_("Bạn đã thử đăng nhập quá nhiều lần; vui lòng thử lại sau một phút."),
    )
    wait = lockout.check(request, username)
    if wait:
        raise TooManyRequests(lockout.wait_message(wait), code="login_wait", details=[{"retry_after": wait}])
    user = authenticate(request, username=username, password=payload.password) if username else None
    if user is None or not user.is_active:
        raise Unauthenticated(_("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_credentials")
    second_factor_check(user=user, code=payload.otp.strip(), ip=ip)
    with transaction.atomic():
        token = api_token_create(user=user)
        audit_record(action="auth.api_token", actor=user, object_type="user", object_id=user.pk, ip=ip)
    return {"token": token}
