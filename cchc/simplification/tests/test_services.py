"""Writes: rounds, reviews, proposed changes; validation in Vietnamese, audit, closed rounds, units."""

from datetime import date
from decimal import Decimal

import pytest

from cchc.audit.models import AuditEvent
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.procedures.models import Procedure
from cchc.simplification import selectors, services
from cchc.simplification.models import ProcedureReview, ProposedChange, ReviewRound
from cchc.simplification.services import CostValues

from .conftest import INCOME, WORKED_AFTER, WORKED_BEFORE, user

LICENCE = "1.000010"  # QLVT, fee 135,000 (115,000 online), level 4, 5 working days
WORKS = "1.001035"  # KCHT, no fee, level 3, 7 working days


def _add(round, code=LICENCE, actor=None, **kwargs):
    return services.review_add(
        actor=actor or user("cchc"), round=round, procedure=Procedure.objects.get(code=code), **kwargs
    )


def _snapshot(review):
    review.refresh_from_db()
    return (
        {f.name: getattr(review, f.name) for f in ProcedureReview._meta.concrete_fields},
        list(review.changes.values_list("pk", "kind", "description")),
    )


def test_round_is_created_for_the_officers_agency_and_audited(february_round, officer):
    assert february_round.agency_id == officer.agency_id and february_round.is_open
    event = AuditEvent.objects.filter(action="simplification.round_create").latest("pk")
    assert event.object_id == str(february_round.pk) and event.actor_username == "cchc"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Cần ghi tên đợt rà soát."),
        ({"period_end": date(2025, 1, 1)}, "Ngày kết thúc kỳ số liệu phải sau ngày bắt đầu."),
        ({"monthly_income": 0}, "Thu nhập bình quân tháng phải lớn hơn 0."),
        ({"monthly_income": 7_040_000.5}, "Số tiền phải là số nguyên (đồng)."),
        ({"year": 1999}, "Năm phải từ 2000 đến 2100."),
    ],
)
def test_a_bad_round_is_refused_in_vietnamese_and_nothing_is_saved(officer, changes, message):
    values = {
        "year": 2025,
        "name": "Đợt thử",
        "period_start": date(2025, 2, 1),
        "period_end": date(2025, 2, 28),
        "monthly_income": INCOME,
    } | changes
    with pytest.raises(ApplicationError) as refused:
        services.round_create(actor=officer, **values)
    assert message in refused.value.message
    assert not ReviewRound.objects.exists()


def test_only_the_reform_officer_or_admin_create_rounds(demo):
    for username in ("lanhdao", "truongphong", "chuyenvien", "motcua", "congdan"):
        with pytest.raises(PermissionDenied):
            services.round_create(
                actor=user(username),
                year=2025,
                name="Đợt thử",
                period_start=date(2025, 2, 1),
                period_end=date(2025, 2, 28),
                monthly_income=INCOME,
            )
    assert not ReviewRound.objects.exists()
    services.round_create(
        actor=user("quantri"),
        year=2025,
        name="Đợt thử",
        period_start=date(2025, 2, 1),
        period_end=date(2025, 2, 28),
        monthly_income=INCOME,
    )


def test_the_same_round_twice_is_a_conflict(february_round, officer):
    with pytest.raises(Conflict):
        services.round_create(
            actor=officer,
            year=2025,
            name=february_round.name,
            period_start=date(2025, 2, 1),
            period_end=date(2025, 2, 28),
            monthly_income=INCOME,
        )


def test_review_takes_fees_from_the_fee_items_and_computes_the_worked_case(february_round):
    review = _add(february_round, before=WORKED_BEFORE, after=WORKED_AFTER)
    assert review.version == review.procedure.current_version
    assert review.fees_before == 135_000 and review.fees_after == 115_000
    figures = selectors.review_figures(review)
    assert (figures.before.total, figures.after.total, figures.saving_percent) == (1_024_000, 231_000, Decimal("77.44"))
    assert AuditEvent.objects.filter(action="simplification.review_add", object_id=str(review.pk)).exists()


def test_fees_after_default_to_the_fees_before(february_round):
    review = _add(february_round)
    assert review.fees_before == review.fees_after == 135_000
    assert selectors.review_figures(review).before.total == 135_000


def test_a_procedure_is_reviewed_once_per_round(february_round):
    _add(february_round)
    with pytest.raises(Conflict):
        _add(february_round)


def test_another_agencys_procedure_cannot_be_added(february_round, operations, outsider):
    other_round = services.round_create(
        actor=outsider,
        year=2025,
        name="Sở Xây dựng",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        monthly_income=INCOME,
    )
    with pytest.raises(NotFound):
        services.review_add(actor=outsider, round=other_round, procedure=operations.procedure)
    with pytest.raises(PermissionDenied):
        services.review_add(actor=outsider, round=february_round, procedure=operations.procedure)
    assert not ProcedureReview.objects.exists()


@pytest.mark.parametrize(
    ("before", "message"),
    [
        (CostValues(hours={"learning": "-1"}), "Số giờ không được âm."),
        (CostValues(hours={"learning": "abc"}), "Số giờ phải là một số."),
        (CostValues(hours={"learning": "1.234"}), "tối đa hai chữ số thập phân"),
        (CostValues(expenses={"travel": -5}), "Số tiền không được âm."),
        (CostValues(expenses={"travel": 10.5}), "Số tiền phải là số nguyên (đồng)."),
    ],
)
def test_bad_inputs_are_refused_and_nothing_changes(february_round, before, message):
    review = _add(february_round, before=WORKED_BEFORE)
    stored = _snapshot(review)
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.review_update(actor=user("cchc"), review=review, before=before)
    assert message in refused.value.message
    assert _snapshot(review) == stored and AuditEvent.objects.count() == events


def test_volume_override_needs_a_reason(february_round):
    review = _add(february_round)
    with pytest.raises(ApplicationError, match="lý do điều chỉnh"):
        services.review_update(actor=user("cchc"), review=review, volume_override=18_500)
    review = services.review_update(
        actor=user("cchc"), review=review, volume_override=18_500, volume_override_reason="Số liệu năm 2025"
    )
    assert review.volume == 18_500
    review = services.review_update(actor=user("cchc"), review=review, volume_override=None)
    assert review.volume == review.volume_computed and review.volume_override_reason == ""


def test_saving_the_same_figures_again_changes_nothing(february_round):
    review = _add(february_round, before=WORKED_BEFORE)
    events = AuditEvent.objects.count()
    services.review_update(actor=user("cchc"), review=review, before=WORKED_BEFORE)
    assert AuditEvent.objects.count() == events
    services.review_update(actor=user("cchc"), review=review, after=WORKED_AFTER)
    assert AuditEvent.objects.count() == events + 1


def test_proposals_are_checked_against_the_reviewed_version(february_round):
    review = _add(february_round)
    other_component = Procedure.objects.get(code=WORKS).current_version.components.first()
    cases = [
        ({"kind": "drop_component"}, "Cần chọn thành phần hồ sơ"),
        ({"kind": "drop_component", "component": other_component}, "Cần chọn thành phần hồ sơ"),
        (
            {"kind": "shorten_time_limit", "new_time_limit_value": 5},
            "phải ngắn hơn thời hạn hiện hành (5 ngày làm việc)",
        ),
        ({"kind": "shorten_time_limit"}, "Cần ghi thời hạn mới"),
        ({"kind": "full_online"}, "đã được cung cấp trực tuyến toàn trình"),
        ({"kind": "offer_online"}, "đã được cung cấp trực tuyến"),
        ({"kind": "bogus"}, "Loại phương án không hợp lệ."),
    ]
    for values, message in cases:
        with pytest.raises(ApplicationError) as refused:
            services.change_add(actor=user("cchc"), review=review, description="Nội dung phương án", **values)
        assert message in refused.value.message, values
    assert not ProposedChange.objects.exists()
    copy = review.version.components.get(name__startswith="Bản sao giấy phép lái xe")
    change = services.change_add(
        actor=user("cchc"), review=review, kind="drop_component", component=copy, description="Bãi bỏ bản sao"
    )
    shorter = services.change_add(
        actor=user("cchc"), review=review, kind="shorten_time_limit", new_time_limit_value=3, description="Rút ngắn"
    )
    assert change.component == copy and shorter.new_time_limit_value == 3
    with pytest.raises(Conflict):
        services.change_add(
            actor=user("cchc"), review=review, kind="drop_component", component=copy, description="Bãi bỏ lần nữa"
        )
    services.change_remove(actor=user("cchc"), change=change)
    assert list(review.changes.all()) == [shorter]
    assert AuditEvent.objects.filter(action="simplification.change_remove", object_id=str(change.pk)).exists()


def test_a_concluded_review_is_locked_until_reopened(february_round):
    review = _add(february_round)
    with pytest.raises(ApplicationError, match="ít nhất 10 ký tự"):
        services.review_conclude(actor=user("cchc"), review=review, conclusion="ngắn")
    review = services.review_conclude(actor=user("cchc"), review=review, conclusion="Đề nghị bãi bỏ bản sao.")
    assert review.status == ProcedureReview.Status.CONCLUDED
    with pytest.raises(Conflict):
        services.review_update(actor=user("cchc"), review=review, before=WORKED_BEFORE)
    review = services.review_reopen(actor=user("cchc"), review=review)
    services.review_update(actor=user("cchc"), review=review, before=WORKED_BEFORE)


def test_a_closed_round_refuses_every_change_and_nothing_changes(february_round):
    review = _add(february_round, before=WORKED_BEFORE)
    change = services.change_add(actor=user("cchc"), review=review, kind="other", description="Liên thông dữ liệu")
    services.round_close(actor=user("cchc"), round=february_round)
    february_round.refresh_from_db()
    assert february_round.status == ReviewRound.Status.CLOSED and february_round.closed_by == user("cchc")
    stored, events = _snapshot(review), AuditEvent.objects.count()
    attempts = [
        lambda: services.review_update(actor=user("cchc"), review=review, before=WORKED_AFTER),
        lambda: services.change_add(actor=user("cchc"), review=review, kind="other", description="Thêm nữa"),
        lambda: services.change_remove(actor=user("cchc"), change=change),
        lambda: services.review_conclude(actor=user("cchc"), review=review, conclusion="Kết luận muộn màng"),
        lambda: _add(february_round, code=WORKS),
        lambda: services.review_update(actor=user("truongphong"), review=review, before=WORKED_AFTER),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict, match="Đợt rà soát đã kết thúc"):
            attempt()
    assert _snapshot(review) == stored and AuditEvent.objects.count() == events
    assert ProcedureReview.objects.count() == 1
    # Closing again changes nothing.
    services.round_close(actor=user("cchc"), round=february_round)
    assert AuditEvent.objects.count() == events


def test_a_unit_head_edits_only_their_units_reviews_and_never_runs_rounds(february_round):
    own, other = _add(february_round, LICENCE), _add(february_round, WORKS)
    head = user("truongphong")  # QLVT
    services.review_update(actor=head, review=own, before=WORKED_BEFORE)
    services.change_add(actor=head, review=own, kind="other", description="Liên thông dữ liệu")
    stored = _snapshot(other)
    with pytest.raises(PermissionDenied):
        services.review_update(actor=head, review=other, before=WORKED_BEFORE)
    with pytest.raises(PermissionDenied):
        services.change_add(actor=head, review=other, kind="other", description="Liên thông dữ liệu")
    assert _snapshot(other) == stored
    with pytest.raises(PermissionDenied):
        services.round_close(actor=head, round=february_round)
    with pytest.raises(PermissionDenied):
        _add(february_round, "1.001777", actor=head)


def test_the_leader_reads_but_never_edits(february_round):
    review = _add(february_round)
    with pytest.raises(PermissionDenied):
        services.review_update(actor=user("lanhdao"), review=review, before=WORKED_BEFORE)
    assert selectors.review_get(user=user("lanhdao"), round_pk=february_round.pk, pk=review.pk) == review
