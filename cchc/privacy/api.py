"""`GET /api/v1/me/export` (the caller's own data, as one JSON), and the privacy notice for API clients."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from ninja import Router, Schema

from cchc.accounts.auth import api_auth
from cchc.accounts.policies import is_applicant
from cchc.audit.services import audit_record, client_ip
from cchc.core.errors import ApplicationError, NotFound

from .models import NoticeAcceptance
from .selectors import has_accepted_current_notice, notice_current, personal_data_of
from .services import notice_accept

router = Router(tags=["Dữ liệu cá nhân"], auth=api_auth)


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


class NoticeOut(Schema):
    version: int
    title: str
    body: str
    accepted: bool


def _applicant(user) -> None:
    if not is_applicant(user):
        raise ApplicationError(_("Chỉ dành cho tài khoản công dân, doanh nghiệp."), code="not_applicant")


@router.get(
    "/export",
    response={200: dict, 400: ErrorOut, 401: ErrorOut},
    summary="Tải toàn bộ dữ liệu cá nhân của người gọi (JSON)",
    description=(
        "Hồ sơ cá nhân, các hồ sơ thủ tục kèm lịch sử, kho dữ liệu (danh sách tệp), thanh toán, đánh giá, phản ánh, "
        "các lượt đồng ý thông báo và yêu cầu về dữ liệu. Chỉ dữ liệu của chính người gọi."
    ),
)
def me_export(request):
    user = request.auth
    _applicant(user)
    audit_record(
        action="privacy.export",
        actor=user,
        object_type="user",
        object_id=user.pk,
        ip=client_ip(request),
        data={"format": "api"},
    )
    return json.loads(json.dumps(personal_data_of(user=user), cls=DjangoJSONEncoder))


@router.get(
    "/privacy-notice",
    response={200: NoticeOut, 401: ErrorOut, 404: ErrorOut},
    summary="Thông báo xử lý dữ liệu cá nhân đang áp dụng",
)
def me_notice(request):
    return _notice_out(_notice_or_404(), accepted=has_accepted_current_notice(request.auth))


def _notice_or_404():
    notice = notice_current()
    if notice is None:
        raise NotFound(_("Chưa có thông báo xử lý dữ liệu cá nhân."), code="no_notice")
    return notice


def _notice_out(notice, *, accepted: bool) -> dict:
    return {"version": notice.version, "title": notice.title, "body": notice.body, "accepted": accepted}


@router.post(
    "/privacy-notice/accept",
    response={200: NoticeOut, 401: ErrorOut, 404: ErrorOut},
    summary="Đồng ý thông báo xử lý dữ liệu cá nhân đang áp dụng",
)
def me_notice_accept(request):
    notice = _notice_or_404()
    notice_accept(user=request.auth, context=NoticeAcceptance.Context.API, ip=client_ip(request), notice=notice)
    return _notice_out(notice, accepted=True)
