"""Pages: the citizen books and cancels; the kiosk gives a queue number; the counter calls the next."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cchc.accounts.policies import is_applicant, is_counter_officer
from cchc.core import clock
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError

from .forms import BookForm, CheckInForm, SlotSearchForm
from .models import Booking, Counter
from .rules import queue_label
from .selectors import bookable_days, bookings_of, free_slots, queue_of
from .services import booking_cancel, booking_check_in, booking_close, booking_create, counter_call_next
from .workflow import Status


def _applicant(request) -> None:
    if not is_applicant(request.user):
        raise PermissionDenied


@login_required
def mine(request):
    _applicant(request)
    return render(request, "appointments/mine.html", {"bookings": bookings_of(user=request.user)[:50]})


@login_required
@require_http_methods(["GET", "POST"])
def book(request):
    """Choose an office, a procedure and a day; see the free slots; book one."""
    _applicant(request)
    if request.method == "POST":
        form = BookForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = booking_create(
                    citizen=request.user, agency=data["agency"], procedure=data["procedure"], slot_start=data["slot"]
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Đã đặt lịch hẹn %(code)s. Khi đến, nhập mã này tại máy lấy số.") % {"code": booking.code},
                )
                return redirect("appointments:mine")
        search = SlotSearchForm(request.POST)
    else:
        search = SlotSearchForm(request.GET or None)
    slots, days = [], []
    if search.is_bound and search.is_valid():
        data = search.cleaned_data
        days = bookable_days(agency=data["agency"])
        if data["day"] in days:
            slots = free_slots(agency=data["agency"], procedure=data["procedure"], day=data["day"])
        else:
            messages.error(request, _("Chỉ đặt lịch vào ngày làm việc trong thời gian cho phép."))
    return render(request, "appointments/book.html", {"form": search, "slots": slots, "days": days})


@login_required
@require_POST
def cancel(request, code: str):
    booking = Booking.objects.filter(code=code, citizen=request.user).first()
    if booking is None:
        raise Http404(_("Không tìm thấy lịch hẹn."))
    try:
        booking_cancel(booking=booking, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã hủy lịch hẹn %(code)s.") % {"code": booking.code})
    return redirect("appointments:mine")


def _officer(request) -> None:
    if not is_counter_officer(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def kiosk(request):
    """The check-in kiosk of the one-stop office (a device signed in as one of its officers)."""
    _officer(request)
    form = CheckInForm(request.POST or None)
    booking = None
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_check_in(
                code=form.cleaned_data["code"], agency=request.user.agency, operator=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            form = CheckInForm()
    return render(
        request,
        "appointments/kiosk.html",
        {"form": form, "booking": booking, "number": queue_label(booking.queue_number) if booking else ""},
    )


@login_required
@require_http_methods(["GET", "POST"])
def counter(request):
    """A counter's screen: today's queue, the number being served, call next, served or absent."""
    _officer(request)
    counters = Counter.objects.filter(agency=request.user.agency, active=True)
    chosen = counters.filter(pk=request.GET.get("quay") or request.POST.get("quay") or 0).first()
    if request.method == "POST" and chosen is not None:
        try:
            action = request.POST.get("action")
            if action == "next":
                called = counter_call_next(counter=chosen, officer=request.user)
                if called is None:
                    messages.info(request, _("Không còn ai chờ ở quầy này."))
                else:
                    messages.success(request, _("Mời số %(number)s.") % {"number": queue_label(called.queue_number)})
            elif action in ("served", "absent"):
                booking = get_object_or_404(Booking, pk=request.POST.get("booking"), counter=chosen)
                booking_close(booking=booking, officer=request.user, served=action == "served")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?quay={chosen.pk}")
    today = timezone.localtime(clock.now(), VN_TZ).date()
    queue = list(queue_of(agency=request.user.agency, day=today))
    current = next((b for b in queue if b.status == Status.CALLED and chosen and b.counter_id == chosen.pk), None)
    return render(
        request,
        "appointments/counter.html",
        {"counters": counters, "chosen": chosen, "queue": queue, "current": current},
    )
