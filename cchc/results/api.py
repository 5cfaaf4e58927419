"""Result endpoints: public verification (`/results`), and the signed file of a dossier (`/dossiers`).

Verification needs no account: whoever holds a result may check it. It is limited per client
address like the public status lookup. Downloading follows the dossier's access rule
(another person's dossier is a 404) and, for the applicant, waits until the result is returned.
"""

from uuid import UUID

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Router, Schema

from cchc.accounts.auth import api_auth, rate_limit
from cchc.audit.services import client_ip
from cchc.core.api_utils import iso
from cchc.core.errors import ApplicationError, NotFound

from . import selectors
from .verification import Report, verify_pdf, verify_stored
from .views import result_file_response

router = Router(tags=["Kết quả điện tử"])
dossier_router = Router(tags=["Kết quả điện tử"], auth=api_auth)


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


class VerificationOut(Schema):
    valid: bool
    signer: str | None
    signed_at: str | None
    matches_record: bool
    reason: str
    result_id: str | None


def _out(report: Report) -> dict:
    return {
        "valid": report.valid,
        "signer": report.signer,
        "signed_at": iso(report.signed_at),
        "matches_record": report.matches_record,
        "reason": report.reason,
        "result_id": str(report.record.pk) if report.record else None,
    }


def _limit(request) -> None:
    rate_limit(
        scope="result_verify",
        key=client_ip(request) or "-",
        limit=settings.CCHC_LOOKUP_RATE_PER_MINUTE,
        message=_("Bạn đã kiểm tra quá nhiều lần; vui lòng thử lại sau một phút."),
    )


def _not_found() -> NotFound:
    return NotFound(_("Không tìm thấy kết quả điện tử."), code="result_not_found")


@router.get(
    "/{uuid:result_id}/verify",
    response={200: VerificationOut, 404: ErrorOut, 429: ErrorOut},
    summary="Xác minh kết quả điện tử đã lưu (theo mã trong mã QR)",
    description=(
        "Kiểm tra chữ ký số của tệp cơ quan đã lưu: `valid` (chữ ký hợp lệ, của cơ quan, tệp không bị sửa sau "
        "khi ký), `signer` (tên trong chứng thư số), `signed_at` (ISO 8601), `matches_record` (tệp trùng mã băm "
        "SHA-256 đã ghi khi ký). Không cần đăng nhập; giới hạn số lần mỗi phút cho mỗi địa chỉ IP."
    ),
)
def result_verify_stored(request, result_id: UUID):
    _limit(request)
    result = selectors.result_public(pk=result_id)
    if result is None:
        raise _not_found()
    return _out(verify_stored(result))


@router.post(
    "/verify",
    response={200: VerificationOut, 400: ErrorOut, 429: ErrorOut},
    summary="Kiểm tra một tệp kết quả (PDF) tải lên",
    description=(
        "Gửi `multipart/form-data` với trường `file`. Trả lời 200 cả khi tệp không hợp lệ (`valid`: false, "
        "`reason` nói vì sao): bản bị sửa, tệp không phải PDF, không có chữ ký số. `matches_record`: tệp trùng "
        "byte với một kết quả cơ quan đã lưu. Tệp không được lưu lại."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
def result_verify_upload(request):
    _limit(request)
    file = request.FILES.get("file")
    if file is None:
        raise ApplicationError(_("Hãy gửi tệp PDF cần kiểm tra trong trường “file”."), code="file_required")
    limit = settings.CCHC_UPLOAD_MAX_BYTES
    if file.size > limit:
        raise ApplicationError(
            _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, code="file_too_large"
        )
    return _out(verify_pdf(file.read()))


@dossier_router.get(
    "/{code}/result",
    response={401: ErrorOut, 404: ErrorOut},
    summary="Tải kết quả điện tử đã ký số của hồ sơ (PDF)",
    description=(
        "Cán bộ được xem hồ sơ tải được ngay sau khi ký; người nộp tải được khi hồ sơ đã trả kết quả. "
        "Hồ sơ không có kết quả điện tử, hoặc không thuộc quyền xem của người gọi: 404."
    ),
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def dossier_result(request, code: str):
    result = selectors.result_for(user=request.auth, code=code)
    if result is None:
        raise NotFound(_("Hồ sơ chưa có kết quả điện tử."), code="result_not_found")
    return result_file_response(request, result, code=code)
