"""Questions the other apps ask about personal data, answered in one place."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.accounts.roles import HANDLES_PRIVACY_REQUESTS

from .selectors import has_accepted_current_notice


def notice_guard(dossier, action: str) -> str | None:
    """Dossiers' guard: an online submission waits until its applicant accepted the notice in force."""
    from cchc.dossiers.workflow import Action

    if action != Action.SUBMIT or dossier.applicant_user is None:
        return None
    if has_accepted_current_notice(dossier.applicant_user):
        return None
    return _(
        "Trước khi nộp hồ sơ, hãy đọc và đồng ý Thông báo xử lý dữ liệu cá nhân (trang /bao-mat-du-lieu/ hoặc "
        "POST /api/v1/me/privacy-notice/accept)."
    )


def notice_step_url(user, next_url: str) -> str | None:
    """Where an applicant goes before submitting, if they have not accepted the notice in force yet."""
    if has_accepted_current_notice(user):
        return None
    return f"{reverse('privacy:accept')}?{urlencode({'next': next_url})}"


def may_handle_data_requests(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in HANDLES_PRIVACY_REQUESTS and user.agency_id)
