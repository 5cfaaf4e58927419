"""Writes for satisfaction surveys: inviting, rating (once per dossier), closing follow-ups.

The invitation is written by a receiver of `cchc.dossiers.hooks.dossier_changed`, inside the
transaction that returns the result: the invitation and its queued email exist exactly when
the return does.
"""

import secrets
from collections.abc import Mapping
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.accounts.roles import HEADS_UNIT
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import ApplicationError, Conflict, NotFound
from cchc.dossiers import notifications
from cchc.dossiers.models import Dossier, Notification
from cchc.dossiers.notifications import notify_staff
from cchc.dossiers.workflow import Status

from .models import FollowUp, Rating, SurveyInvitation, score_field
from .scores import FACTOR_LABELS, FACTORS, SCALE_LABELS, low_factors, score_errors
from .selectors import applicant_digits_match, follow_ups_visible_to, token_hash

COMMENT_MAX = 2000


def already_rated_message() -> str:
    return _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần; cảm ơn bạn đã góp ý.")


def rate_url(dossier: Dossier, token: str = "") -> str:
    path = reverse("surveys:rate", kwargs={"code": dossier.code})
    query = f"?{urlencode({'t': token})}" if token else ""
    return f"{settings.CCHC_PUBLIC_URL}{path}{query}"


# ---------------------------------------------------------------- invitation


def on_dossier_changed(sender, *, dossier: Dossier, event, **kwargs) -> None:
    """Invite the applicant once the result has been returned."""
    if event.to_status == Status.RETURNED and event.from_status != Status.RETURNED:
        survey_invite(dossier=dossier)


def _invitation_message(dossier: Dossier, token: str) -> tuple[str, str]:
    subject = _("Mời đánh giá mức độ hài lòng – hồ sơ %(code)s") % {"code": dossier.code}
    lines = [
        _("Kính gửi %(name)s,") % {"name": dossier.applicant_name},
        "",
        _("Hồ sơ %(code)s (%(procedure)s) đã được trả kết quả.")
        % {"code": dossier.code, "procedure": dossier.procedure_version.name},
        _(
            "Mời Ông/Bà dành một phút đánh giá mức độ hài lòng về năm nội dung: tiếp cận dịch vụ, "
            "thủ tục hành chính, công chức giải quyết, kết quả và việc tiếp nhận, xử lý góp ý."
        ),
        "",
        _("Đánh giá tại: %(url)s") % {"url": rate_url(dossier, token)},
        _("(Đường dẫn dành riêng cho hồ sơ này, dùng được một lần, không cần đăng nhập.)"),
        "",
        _("Trân trọng,"),
        dossier.agency.name,
        "",
        _("Thư này được gửi tự động, vui lòng không trả lời."),
    ]
    return subject, "\n".join(lines)


def survey_invite(*, dossier: Dossier) -> SurveyInvitation | None:
    """Create the dossier's invitation and queue its email (same transaction). Once per dossier."""
    if dossier.status != Status.RETURNED or not dossier.code:
        return None
    existing = SurveyInvitation.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing
    now = clock.now()
    token = secrets.token_urlsafe(24)
    invitation = SurveyInvitation.objects.create(dossier=dossier, token_hash=token_hash(token), created_at=now)
    if dossier.applicant_email:
        subject, body = _invitation_message(dossier, token)
        # `queue_notification` writes the notice and enqueues its delivery, or records it as not sent
        # while notifications are suppressed (demo data, imports).
        notice = notifications.queue_notification(
            dossier=dossier,
            recipient=dossier.applicant_user,
            channel=Notification.Channel.EMAIL,
            address=dossier.applicant_email,
            subject=subject,
            body=body,
            kind="survey.invitation",
        )
        if notice.state == Notification.State.PENDING:
            invitation.sent_at = now
            invitation.save(update_fields=["sent_at"])
    return invitation


# ---------------------------------------------------------------- rating


def _may_rate(dossier: Dossier, *, channel: str, rater, token: str | None, last_digits: str) -> bool:
    if channel == Rating.Channel.KIOSK:
        return applicant_digits_match(dossier, last_digits)
    if token:
        invitation = SurveyInvitation.objects.filter(dossier=dossier).first()
        return invitation is not None and secrets.compare_digest(invitation.token_hash, token_hash(token))
    return rater is not None and rater.is_authenticated and dossier.applicant_user_id == rater.pk


def _already_rated(dossier: Dossier) -> bool:
    return Rating.objects.filter(dossier=dossier).exists()


def rating_submit(
    *,
    dossier: Dossier,
    scores: Mapping[str, int],
    comment: str = "",
    channel: str,
    rater: User | None = None,
    token: str | None = None,
    last_digits: str = "",
    ip: str | None = None,
) -> Rating:
    """Record the applicant's rating of a returned dossier.

    Online: the applicant signed in, or anyone holding the emailed link (`token`). At the
    kiosk: the dossier code with the last four digits of the applicant's phone, ID number or
    tax code (`last_digits`). Anyone else gets NotFound: nothing tells them the dossier exists.
    A second rating is refused and changes nothing, also when two arrive at once (the
    one-to-one constraint decides). A score of 2 or less opens a follow-up for the unit head.
    """
    errors = score_errors(scores)
    if errors:
        raise ApplicationError(" ".join(errors.values()), code="invalid_scores", details=list(errors.items()))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ApplicationError(_("Góp ý dài quá %(n)s ký tự.") % {"n": COMMENT_MAX}, code="comment_too_long")
    if channel not in Rating.Channel.values:
        raise ApplicationError(_("Hình thức đánh giá không hợp lệ."), code="invalid_channel")
    if rater is not None and not rater.is_authenticated:
        rater = None
    with transaction.atomic(durable=True):
        dossier = Dossier.objects.select_related("agency", "procedure_version__unit").get(pk=dossier.pk)
        if not _may_rate(dossier, channel=channel, rater=rater, token=token, last_digits=last_digits):
            raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
        if dossier.status != Status.RETURNED:
            raise Conflict(
                _("Chỉ đánh giá được hồ sơ đã trả kết quả (hồ sơ này: %(status)s).")
                % {"status": Status(dossier.status).label},
                code="not_returned",
            )
        if _already_rated(dossier):
            raise Conflict(already_rated_message(), code="already_rated")
        now = clock.now()
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    dossier=dossier,
                    comment=comment,
                    channel=channel,
                    rated_at=now,
                    rater=rater,
                    **{score_field(f): scores[f] for f in FACTORS},
                )
        except IntegrityError:  # the other of two simultaneous ratings won
            raise Conflict(already_rated_message(), code="already_rated") from None
        SurveyInvitation.objects.filter(dossier=dossier, used_at__isnull=True).update(used_at=now)
        low = low_factors(scores)
        if low:
            _open_follow_up(rating, dossier=dossier, low=low, at=now)
        audit_record(
            action="survey.rate",
            actor=rater,
            object_type="rating",
            object_id=rating.pk,
            dossier_code=dossier.code or "",
            ip=ip,
            data={"channel": channel, "scores": dict(scores), "low_factors": low},
        )
    return rating


def _unit_heads(unit) -> list[User]:
    return list(User.objects.filter(unit=unit, role__in=HEADS_UNIT, is_active=True).order_by("pk"))


def _open_follow_up(rating: Rating, *, dossier: Dossier, low: list[str], at) -> FollowUp:
    unit = dossier.procedure_version.unit
    follow_up = FollowUp.objects.create(rating=rating, unit=unit, opened_at=at)
    subject = _("Đánh giá chưa hài lòng: hồ sơ %(code)s") % {"code": dossier.code}
    scores = rating.scores()
    lines = [
        _("Người nộp hồ sơ %(code)s (%(procedure)s) đánh giá chưa hài lòng:")
        % {"code": dossier.code, "procedure": dossier.procedure_version.name},
        *[f"- {FACTOR_LABELS[factor]}: {scores[factor]} ({SCALE_LABELS[scores[factor]]})" for factor in low],
    ]
    if rating.comment:
        lines += ["", _("Góp ý: %(comment)s") % {"comment": rating.comment}]
    lines += [
        "",
        _("Đề nghị xem xét, xử lý và ghi kết quả tại: %(url)s")
        % {"url": f"{settings.CCHC_PUBLIC_URL}{reverse('surveys:follow_ups')}"},
    ]
    notify_staff(dossier=dossier, users=_unit_heads(unit), subject=subject, body="\n".join(lines), kind="survey.low")
    return follow_up


# ---------------------------------------------------------------- follow-ups


def follow_up_close(*, follow_up: FollowUp, user: User, note: str, ip: str | None = None) -> FollowUp:
    """The unit head (or a leader) records what was done about a low score and closes it."""
    note = (note or "").strip()
    if not note:
        raise ApplicationError(_("Cần ghi kết quả xem xét, xử lý."), code="note_required")
    with transaction.atomic(durable=True):
        follow_up = follow_ups_visible_to(user).select_for_update(of=("self",)).filter(pk=follow_up.pk).first()
        if follow_up is None:
            raise NotFound(_("Không tìm thấy việc theo dõi này."), code="follow_up_not_found")
        if follow_up.status == FollowUp.Status.CLOSED:
            raise Conflict(_("Việc theo dõi này đã được đóng trước đó."), code="already_closed")
        follow_up.status = FollowUp.Status.CLOSED
        follow_up.note = note
        follow_up.closed_at = clock.now()
        follow_up.closed_by = user
        follow_up.save(update_fields=["status", "note", "closed_at", "closed_by"])
        audit_record(
            action="survey.follow_up_close",
            actor=user,
            object_type="follow_up",
            object_id=follow_up.pk,
            dossier_code=follow_up.rating.dossier.code or "",
            reason=note,
            ip=ip,
        )
    return follow_up
