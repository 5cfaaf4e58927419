"""The service index on the national 100-point scale (issue 15, items 1 and 2): figures entered from
the national portal, the third satisfaction indicator, online payment transactions, digitised
results, and stored figures of the old scale never shown as if they were of the new one."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cchc.audit.models import AuditEvent
from cchc.complaints.models import Complaint
from cchc.core.errors import ApplicationError, PermissionDenied
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.helpers import user
from cchc.reports.models import IndexSnapshot, NationalFigure, TrendMonth
from cchc.reports.selectors import service_index
from cchc.reports.services import national_figure_delete, national_figure_set
from cchc.reports.snapshots import stored_index

from .conftest import NOW, PERIOD, at

pytestmark = pytest.mark.django_db


def _indicators(result) -> dict:
    return {i["code"]: i for g in result["groups"] for i in g["indicators"]}


def _index(february, **scope):
    return service_index(date_from=PERIOD[0], date_to=PERIOD[1], now=NOW, **scope)


def _enter(february, indicator, month, numerator, denominator, username="cchc"):
    return national_figure_set(
        agency=february.unit.agency,
        indicator=indicator,
        month=month,
        numerator=numerator,
        denominator=denominator,
        source="Cổng DVCQG, Bộ chỉ số 766",
        actor=user(username),
    )


def test_a_figure_entered_from_the_national_portal_scores_like_a_measured_one(february):
    """issue 15 item 1: an indicator CCHC cannot measure (synchronisation with the portal) is
    entered by the reform officer from the national figure: 950 of 1,000 synchronised → 95 % × 6."""
    _enter(february, "transparency.portal_sync", date(2025, 2, 1), 950, 1000)
    _enter(february, "transparency.portal_sync", date(2025, 3, 1), 10, 10)  # another month: not February's
    sync = _indicators(_index(february, agency=february.unit.agency))["transparency.portal_sync"]
    assert (sync["numerator"], sync["denominator"], sync["value"], sync["points"], sync["counted"]) == (
        950,
        1000,
        95.0,
        5.7,
        True,
    )
    assert sync["source_label"] == "Đo tại Cổng DVCQG" and "do cán bộ nhập" in sync["note"]
    # A unit reads its agency's figure, and is told so.
    unit_sync = _indicators(_index(february, unit=february.unit))["transparency.portal_sync"]
    assert unit_sync["points"] == 5.7 and "cả cơ quan" in unit_sync["note"]
    # The months of a longer period add up.
    quarter = service_index(date_from=date(2025, 1, 1), date_to=date(2025, 3, 31), unit=february.unit, now=NOW)
    sync = _indicators(quarter)["transparency.portal_sync"]
    assert (sync["numerator"], sync["denominator"]) == (960, 1010)


@override_settings(CCHC_SERVICE_INDEX_NATIONAL="zero")
def test_by_setting_the_national_indicators_count_zero_whatever_was_entered(february):
    """issue 15 item 1: "either entered by the reform officer from the national figure or counted as
    0, by setting, never dropped from the maximum"."""
    _enter(february, "transparency.portal_sync", date(2025, 2, 1), 950, 1000)
    result = _index(february, unit=february.unit)
    sync = _indicators(result)["transparency.portal_sync"]
    assert (sync["counted"], sync["points"], sync["max"]) == (False, 0.0, 6)
    assert "0 điểm" in sync["reason"]
    assert result["max"] == 100


def test_entering_a_figure_is_checked_audited_and_idempotent(february):
    figure = _enter(february, "digitisation.national_store", date(2025, 2, 1), 30, 40)
    events = AuditEvent.objects.filter(action="national_figure.set").count()
    assert _enter(february, "digitisation.national_store", date(2025, 2, 1), 30, 40).pk == figure.pk
    assert AuditEvent.objects.filter(action="national_figure.set").count() == events  # nothing changed
    _enter(february, "digitisation.national_store", date(2025, 2, 1), 35, 40)
    assert NationalFigure.objects.get(pk=figure.pk).numerator == 35
    assert AuditEvent.objects.filter(action="national_figure.set").count() == events + 1
    for indicator, month, numerator, denominator, message in (
        ("progress.on_time", date(2025, 2, 1), 1, 2, "Cổng Dịch vụ công quốc gia"),  # measured here
        ("transparency.portal_sync", date(2025, 2, 1), 3, 2, "không được lớn hơn mẫu số"),
        ("transparency.portal_sync", date(2025, 2, 1), 0, 0, "lớn hơn 0"),
        ("transparency.portal_sync", timezone.localdate().replace(day=1) + timedelta(days=40), 1, 2, "chưa đến"),
    ):
        with pytest.raises(ApplicationError, match=message):
            _enter(february, indicator, month.replace(day=1), numerator, denominator)
    with pytest.raises(PermissionDenied):
        _enter(february, "transparency.portal_sync", date(2025, 2, 1), 1, 2, username="chuyenvien")
    national_figure_delete(figure_id=figure.pk, actor=user("cchc"))
    assert not NationalFigure.objects.filter(pk=figure.pk).exists()


def test_the_reform_officer_enters_figures_on_a_page(february, client):
    client.force_login(user("cchc"))
    url = reverse("reports:national_figures")
    page = client.get(url)
    assert page.status_code == 200 and "Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia" in page.content.decode()
    form = {"month": "02/2025", "indicator": "payment.integrated", "numerator": "4", "denominator": "5"}
    assert client.post(url, form).status_code == 302
    assert NationalFigure.objects.get(indicator="payment.integrated").denominator == 5
    bad = client.post(url, {**form, "month": "13/2025", "numerator": "7"})
    assert bad.status_code == 400 and "mm/yyyy" in bad.content.decode()
    assert NationalFigure.objects.get(indicator="payment.integrated").numerator == 4
    client.force_login(user("truongphong"))
    assert client.get(url).status_code == 403


def test_raising_a_complaint_again_means_it_was_not_handled_to_satisfaction(february):
    """issue 15 item 2; legal-details.md §1.2, 5.3 [S]: satisfaction with complaint handling =
    (petitions − disliked, re-raised or late) ÷ petitions. T4's sender disliked the answer; now T1
    is raised again too."""
    t1 = Complaint.objects.get(code="PA-T1")
    Complaint.objects.create(
        code="PA-T6",
        kind=Complaint.Kind.COMPLAINT,
        agency=t1.agency,
        dossier=t1.dossier,
        submitter_name="Người phản ánh",
        content="Vẫn chưa được giải quyết",
        submitted_at=at(2025, 2, 20, 8),
        unit=t1.unit,
        time_limit_days=10,
        due_at=at(2025, 3, 20, 17),
        raised_again_from=t1,
    )
    handling = _indicators(_index(february, unit=february.unit))["satisfaction.complaint_handling"]
    assert (handling["numerator"], handling["denominator"], handling["points"]) == (0, 4, 0.0)


def test_online_payment_counts_procedures_with_transactions_in_the_period(february):
    """issue 15 item 2: "procedures with online payment transactions in the period, as provinces
    report it, not procedures merely offering it". P1 is offered online with a fee; without an
    online payment in February it no longer counts."""
    Dossier.objects.filter(code__in=["BC-D1", "BC-D2"]).update(paid_online=False)
    procedures = _indicators(_index(february, unit=february.unit))["payment.procedures"]
    assert (procedures["numerator"], procedures["denominator"]) == (0, 2)


def test_digitisation_counts_results_as_well_as_components(february):
    """issue 15 item 2: a dossier whose result is ready counts as digitised only with a digitised
    result (its electronic, signed result), not just its components."""
    digitised = _indicators(_index(february, unit=february.unit))["digitisation.digitised"]
    assert (digitised["numerator"], digitised["denominator"]) == (6, 13)
    # D5 has every component digitised but no digitised result; still open, it would count.
    Dossier.objects.filter(code="BC-D5").update(finished_at=None, status="in_progress")
    digitised = _indicators(_index(february, unit=february.unit))["digitisation.digitised"]
    assert digitised["numerator"] == 7


def test_snapshots_and_rollups_of_the_old_scale_are_never_shown(february):
    """issue 15 item 1: stored snapshots computed on the old scale must not be shown as if on the new
    one. A snapshot stored another way (here: the old 85-point result) is computed again."""
    agency, unit = february.unit.agency, february.unit
    old = {"total": 59.9, "max": 85, "percent": 70.47, "groups": []}
    IndexSnapshot.objects.create(
        scope_key=f"agency={agency.code}&unit={unit.code}",
        date_from=PERIOD[0],
        date_to=PERIOD[1],
        result=old,
        computed_at=NOW,
    )
    stored = stored_index(agency=agency, unit=unit, date_from=PERIOD[0], date_to=PERIOD[1], now=NOW)
    assert stored.result["max"] == 100 and stored.result["total"] == 37.11
    TrendMonth.objects.create(
        scope_key=f"agency={agency.code}&unit={unit.code}",
        month=date(2025, 1, 1),
        point={"points": 15, "max": 15, "over": True},
        computed_at=NOW,
    )
    from cchc.reports.dashboards import monthly_trend
    from cchc.reports.selectors import make_scope

    trend = monthly_trend(make_scope(date_from=PERIOD[0], date_to=PERIOD[1], unit=unit, now=NOW))
    january = next(m for m in trend if (m["year"], m["month"]) == (2025, 1))
    assert january["max"] == 20


def test_with_the_portal_connected_synchronisation_is_computed_from_the_outbox(february, portal_connected):
    """issue 16 item 1: once CCHC synchronises with DVCQG, 1.4 is synchronised in time ÷ all changes."""
    from datetime import timedelta as td

    from cchc.dvcqg.models import OutboxMessage

    dossiers = list(Dossier.objects.filter(procedure__in=february.procedures.values())[:3])
    changed = at(2025, 2, 10, 9, 0)
    for dossier, lag in zip(dossiers, (1, 2, 30), strict=True):  # hours until told; 30 is past the 24 allowed
        OutboxMessage.objects.create(
            kind="progress",
            service="CapNhatTienDoHoSoMC",
            agency=dossier.agency,
            dossier=dossier,
            changed_at=changed,
            state="sent",
            sent_at=changed + td(hours=lag),
        )
    OutboxMessage.objects.create(
        kind="progress", service="CapNhatTienDoHoSoMC", agency=dossiers[0].agency, dossier=dossiers[0],
        changed_at=changed, state="pending",
    )  # fmt: skip
    _enter(february, "transparency.portal_sync", date(2025, 2, 1), 950, 1000)  # no longer read
    sync = _indicators(_index(february, agency=february.unit.agency))["transparency.portal_sync"]
    assert (sync["numerator"], sync["denominator"], sync["counted"]) == (2, 4, True)
    assert sync["source_label"] is None and "hàng đợi đồng bộ" in sync["note"]
