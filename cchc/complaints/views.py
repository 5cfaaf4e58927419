"""Complaint pages: sending one (public), "my complaints", the unit's queue and the answer page.

Reads go through `selectors` (which carry the access rule: another unit's complaint is a
404), writes through `services`; an `ApplicationError` becomes a form error or a message.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.audit.services import client_ip
from cchc.core import clock
from cchc.core.errors import ApplicationError
from cchc.core.forms import add_application_error
from cchc.core.ratelimit import hit
from cchc.dossiers.views.office import staff_required
from cchc.procedures.selectors import procedure_get_published

from . import selectors, services
from .forms import AnswerForm, ComplaintForm
from .models import Complaint
from .policies import may_answer

PAGE_SIZE = 20
SESSION_SENT = "cchc_complaint_sent"
FORM_FIELDS = {"kind": "kind", "content": "content", "name": "name", "phone": "phone", "email": "email"}
TABS = (
    ("open", gettext_lazy("Chưa trả lời")),
    ("answered", gettext_lazy("Đã trả lời")),
    ("all", gettext_lazy("Tất cả")),
)


def _mark_late(rows, now) -> list:
    rows = list(rows)
    for row in rows:
        row.is_late = row.outcome == Complaint.Outcome.LATE or (
            row.status != Complaint.Status.ANSWERED and row.due_at < now
        )
    return rows


# ---------------------------------------------------------------- sending


def _submit_limited(request) -> bool:
    return not hit(
        scope="complaint-submit",
        key=client_ip(request) or "",
        limit=settings.CCHC_COMPLAINT_RATE_PER_HOUR,
        window=3600,
    )


@require_http_methods(["GET", "POST"])
def new(request):
    user = request.user if request.user.is_authenticated else None
    dossier = procedure = earlier = None
    dossier_code = request.GET.get("ho_so", "").strip()
    procedure_code = request.GET.get("thu_tuc", "").strip()
    again_code = request.GET.get("lai", "").strip()
    if again_code:
        # Raising one's own answered complaint again: it is about the same dossier or procedure.
        if user is None:
            return redirect_to_login(request.get_full_path())
        earlier = selectors.answered_complaint_of(user=user, code=again_code)
        if earlier is None:
            raise Http404(_("Không tìm thấy phản ánh, kiến nghị đã được trả lời."))
        dossier, procedure = earlier.dossier, None if earlier.dossier_id else earlier.procedure
    elif dossier_code:
        if user is None:
            return redirect_to_login(request.get_full_path())
        dossier = selectors.applicant_dossier(user=user, code=dossier_code)
        if dossier is None:
            raise Http404(_("Không tìm thấy hồ sơ."))
    elif procedure_code:
        procedure = procedure_get_published(code=procedure_code)
        if procedure is None:
            raise Http404(_("Không tìm thấy thủ tục."))
    initial = {}
    if user is not None:
        initial.update({"name": user.full_name, "phone": user.phone, "email": user.email})
    if procedure is not None:
        initial["procedure"] = procedure.pk
    posted = request.method == "POST"
    fixed_subject = dossier is not None or earlier is not None
    form = ComplaintForm(request.POST if posted else None, initial=initial, about_dossier=fixed_subject)
    status = 200
    if posted:
        if _submit_limited(request):
            form.is_valid()
            form.add_error(None, _("Bạn đã gửi quá nhiều phản ánh, kiến nghị trong một giờ. Vui lòng thử lại sau."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                complaint = services.complaint_submit(
                    kind=data["kind"],
                    content=data["content"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    submitter=user,
                    dossier=dossier,
                    procedure=None if fixed_subject else data["procedure"],
                    raised_again_from=earlier,
                    ip=client_ip(request),
                )
            except ApplicationError as exc:
                add_application_error(form, exc, FORM_FIELDS)
                status = exc.status if 400 <= exc.status < 500 else 400
            else:
                request.session[SESSION_SENT] = complaint.code
                return redirect("complaints:sent")
        else:
            status = 400
    context = {"form": form, "dossier": dossier, "procedure": procedure, "earlier": earlier}
    return render(request, "complaints/new.html", context, status=status)


@require_GET
def sent(request):
    complaint = selectors.complaint_receipt(code=request.session.get(SESSION_SENT, ""))
    if complaint is None:
        return redirect("complaints:new")
    return render(request, "complaints/sent.html", {"complaint": complaint})


@login_required
@require_POST
def feedback(request, code: str):
    """The sender's view of the answer: satisfied or not (once)."""
    complaint = selectors.answered_complaint_of(user=request.user, code=code)
    if complaint is None:
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị đã được trả lời."))
    try:
        services.complaint_give_feedback(
            complaint=complaint, user=request.user, feedback=request.POST.get("y_kien", ""), ip=client_ip(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cảm ơn Ông/Bà đã cho ý kiến về câu trả lời %(code)s.") % {"code": complaint.code})
    return redirect("complaints:mine")


@login_required
@require_GET
def mine(request):
    page = Paginator(selectors.complaints_of_submitter(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _mark_late(page.object_list, clock.now())
    return render(request, "complaints/mine.html", {"page": page})


# ---------------------------------------------------------------- the unit's side


@staff_required
@require_GET
def office(request):
    keys = [key for key, _label in TABS]
    state = request.GET.get("muc") if request.GET.get("muc") in keys else "open"
    queryset = selectors.complaints_for_office(user=request.user, state=state)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    now = clock.now()
    page.object_list = _mark_late(page.object_list, now)
    tabs = [
        {
            "key": key,
            "label": label,
            "count": selectors.complaints_for_office(user=request.user, state=key).count(),
            "active": key == state,
        }
        for key, label in TABS
    ]
    context = {
        "page": page,
        "tabs": tabs,
        "state": state,
        "tab_label": dict(TABS)[state],
        "overdue": selectors.complaints_overdue(now=now, user=request.user).count(),
    }
    return render(request, "complaints/office.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def answer(request, code: str):
    complaint = selectors.complaint_get(user=request.user, code=code)
    if complaint is None:
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị."))
    form = AnswerForm(request.POST if request.method == "POST" and "tra_loi" in request.POST else None)
    status = 200
    if request.method == "POST":
        try:
            if "nhan_xu_ly" in request.POST:
                services.complaint_start(complaint=complaint, user=request.user, ip=client_ip(request))
                messages.success(request, _("Đã nhận xử lý %(code)s.") % {"code": complaint.code})
                return redirect("complaints:answer", code=complaint.code)
            if form.is_valid():
                services.complaint_answer(
                    complaint=complaint,
                    user=request.user,
                    answer=form.cleaned_data["answer"],
                    ip=client_ip(request),
                )
                messages.success(
                    request, _("Đã trả lời %(code)s; người gửi được thông báo.") % {"code": complaint.code}
                )
                return redirect("complaints:answer", code=complaint.code)
            status = 400
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("complaints:answer", code=complaint.code)
    can_answer = complaint.status != Complaint.Status.ANSWERED and may_answer(request.user, complaint)
    context = {
        "complaint": complaint,
        "form": form if can_answer else None,
        "can_start": can_answer and complaint.status == Complaint.Status.NEW,
        "is_late": complaint.outcome == Complaint.Outcome.LATE
        or (complaint.status != Complaint.Status.ANSWERED and complaint.due_at < clock.now()),
    }
    return render(request, "complaints/answer.html", context, status=status)


urlpatterns = [
    path("phan-anh-kien-nghi/", mine, name="mine"),
    path("phan-anh-kien-nghi/gui/", new, name="new"),
    path("phan-anh-kien-nghi/da-gui/", sent, name="sent"),
    path("phan-anh-kien-nghi/<str:code>/y-kien/", feedback, name="feedback"),
    path("can-bo/phan-anh-kien-nghi/", office, name="office"),
    path("can-bo/phan-anh-kien-nghi/<str:code>/", answer, name="answer"),
]
