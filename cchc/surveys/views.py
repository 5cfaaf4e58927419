"""Survey pages: rating a returned dossier (signed in, or by the emailed link), the counter
kiosk, and the unit head's follow-ups of low scores.

Reads go through `selectors`, writes through `services`; an `ApplicationError` becomes a
message on the page (`_refused`). Someone else's dossier is a 404, and the kiosk answers a
wrong code and wrong digits with the same message.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cchc.audit.services import client_ip
from cchc.core.errors import ApplicationError
from cchc.core.ratelimit import hit
from cchc.dossiers.rules import mask_name
from cchc.dossiers.views.office import staff_required
from cchc.dossiers.workflow import Status

from . import policies, selectors, services
from .forms import FollowUpCloseForm, KioskLookupForm, RatingForm
from .models import Rating
from .scores import FACTOR_LABELS, FACTORS, SCALE_LABELS


def _refused(exc: ApplicationError) -> int:
    return exc.status if 400 <= exc.status < 500 else 400


def _score_rows(rating: Rating) -> list[dict]:
    scores = rating.scores()
    return [
        {
            "label": FACTOR_LABELS[f],
            "score": scores[f] if scores[f] is not None else "–",
            "score_label": SCALE_LABELS[scores[f]] if scores[f] is not None else _("Không áp dụng"),
        }
        for f in FACTORS
    ]


# ---------------------------------------------------------------- rating online


@require_http_methods(["GET", "POST"])
def rate(request, code: str):
    token = request.GET.get("t", "")
    if token:
        dossier = selectors.dossier_by_invitation(code=code, token=token)
    elif not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    else:
        dossier = selectors.applicant_dossier(user=request.user, code=code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    context = {"dossier": dossier, "token": token, "masked_name": mask_name(dossier.applicant_name)}
    rating = selectors.rating_of(dossier)
    if rating is not None:
        return render(request, "surveys/rated.html", context | {"rating": rating, "rows": _score_rows(rating)})
    if dossier.status != Status.RETURNED:
        return render(request, "surveys/not_yet.html", context)
    form = RatingForm(request.POST if request.method == "POST" else None, complained=dossier.complaints.exists())
    status = 200
    if form.is_bound and form.is_valid():
        try:
            services.rating_submit(
                dossier=dossier,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                channel=Rating.Channel.ONLINE,
                rater=request.user if request.user.is_authenticated else None,
                token=token or None,
                ip=client_ip(request),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = _refused(exc)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn."))
            return redirect(request.get_full_path())
    elif form.is_bound:
        status = 400
    return render(request, "surveys/rate.html", context | {"form": form}, status=status)


# ---------------------------------------------------------------- the counter kiosk


def _kiosk_limited(request) -> bool:
    return not hit(
        scope="survey-kiosk",
        key=client_ip(request) or "",
        limit=settings.CCHC_LOOKUP_RATE_PER_MINUTE,
        window=60,
    )


@require_http_methods(["GET", "POST"])
def kiosk(request):
    """Step 1: the code and four digits. Step 2: the five factors. Then "thank you"."""
    if request.method == "GET":
        if request.GET.get("xong"):
            return render(request, "surveys/kiosk_thanks.html")
        return render(request, "surveys/kiosk.html", {"form": KioskLookupForm()})
    if _kiosk_limited(request):
        response = render(
            request,
            "surveys/kiosk.html",
            {"form": KioskLookupForm(), "limited": _("Quá nhiều lượt thử trong một phút. Vui lòng thử lại sau.")},
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    lookup = KioskLookupForm(request.POST)
    if not lookup.is_valid():
        return render(request, "surveys/kiosk.html", {"form": lookup}, status=400)
    code, digits = lookup.cleaned_data["code"], lookup.cleaned_data["last_digits"]
    dossier = selectors.dossier_for_kiosk(code=code, last_digits=digits)
    refusal = ""
    if dossier is None:
        refusal = _("Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 chữ số đã nhập. Vui lòng kiểm tra lại.")
    elif selectors.rating_of(dossier) is not None:
        refusal = services.already_rated_message()
    elif dossier.status != Status.RETURNED:
        refusal = _("Hồ sơ chưa được trả kết quả nên chưa đánh giá được.")
    if refusal:
        lookup.add_error(None, refusal)
        return render(request, "surveys/kiosk.html", {"form": lookup}, status=400)
    rating_step = request.POST.get("buoc") == "danh-gia"
    form = RatingForm(request.POST if rating_step else None, complained=dossier.complaints.exists())
    status = 200
    if rating_step and form.is_valid():
        try:
            services.rating_submit(
                dossier=dossier,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                channel=Rating.Channel.KIOSK,
                last_digits=digits,
                ip=client_ip(request),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = _refused(exc)
        else:
            return redirect(reverse("surveys:kiosk") + "?xong=1")
    elif rating_step:
        status = 400
    context = {
        "form": form,
        "dossier": dossier,
        "masked_name": mask_name(dossier.applicant_name),
        "code": code,
        "last_digits": digits,
    }
    return render(request, "surveys/kiosk_rate.html", context, status=status)


# ---------------------------------------------------------------- follow-ups of low scores


def _follow_up_page(request, *, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    rows = []
    for follow_up in selectors.follow_ups_open(user=request.user):
        rows.append(
            {
                "follow_up": follow_up,
                "dossier": follow_up.rating.dossier,
                "rating": follow_up.rating,
                "scores": _score_rows(follow_up.rating),
                "form": forms.get(follow_up.pk) or FollowUpCloseForm(prefix=f"fu{follow_up.pk}"),
            }
        )
    context = {"rows": rows, "closed": list(selectors.follow_ups_closed(user=request.user))}
    return render(request, "surveys/follow_ups.html", context, status=status)


def _may_follow_up(user) -> bool:
    return policies.may_follow_up(user)


@staff_required
@require_http_methods(["GET"])
def follow_ups(request):
    if not _may_follow_up(request.user):
        return render(request, "surveys/forbidden.html", status=403)
    return _follow_up_page(request)


@staff_required
@require_POST
def follow_up_close(request, pk: int):
    if not _may_follow_up(request.user):
        return render(request, "surveys/forbidden.html", status=403)
    follow_up = selectors.follow_up_get(user=request.user, pk=pk)
    if follow_up is None:
        raise Http404(_("Không tìm thấy việc theo dõi này."))
    form = FollowUpCloseForm(request.POST, prefix=f"fu{pk}")
    if not form.is_valid():
        return _follow_up_page(request, forms={pk: form}, status=400)
    try:
        services.follow_up_close(
            follow_up=follow_up, user=request.user, note=form.cleaned_data["note"], ip=client_ip(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đóng việc theo dõi hồ sơ %(code)s.") % {"code": follow_up.rating.dossier.code})
    return redirect("surveys:follow_ups")


urlpatterns = [
    path("ho-so/<str:code>/danh-gia/", rate, name="rate"),
    path("danh-gia-tai-quay/", kiosk, name="kiosk"),
    path("can-bo/danh-gia/", follow_ups, name="follow_ups"),
    path("can-bo/danh-gia/<int:pk>/dong/", follow_up_close, name="follow_up_close"),
]
