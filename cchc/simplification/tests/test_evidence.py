"""Evidence from operations on hand-made dossiers (see conftest.operations for the figures)."""

import pytest
from django.test import override_settings

from cchc.simplification import selectors
from cchc.simplification.services import review_add

from .conftest import user


@pytest.fixture
def review(operations, february_round, officer):
    return review_add(actor=officer, round=february_round, procedure=operations.procedure)


def _by_order(items):
    return {item.order: item for item in items}


def test_component_named_in_supplementation_requests_is_counted_per_dossier(review):
    evidence = selectors.review_evidence(review)
    assert evidence.dossiers == 6  # D1–D6; the June dossier is outside February, the draft never counts
    components = _by_order(evidence.components)
    health = components[2]
    assert (health.supplement_requests, health.supplement_dossiers, health.supplement_share) == (2, 2, 33.33)
    assert components[1].supplement_requests == 0 and components[1].supplement_share == 0
    assert evidence.unmatched_requests == 1  # "Ảnh không rõ" names no component


def test_reuse_from_the_data_store_is_counted_per_component(review):
    components = _by_order(selectors.review_evidence(review).components)
    copy = components[3]
    assert (copy.documents, copy.reused, copy.reused_share) == (5, 3, 60.0)
    assert (components[1].documents, components[1].reused, components[1].reused_share) == (6, 0, 0)


def test_step_time_is_working_time_less_the_wait_for_the_applicant(review):
    evidence = selectors.review_evidence(review)
    steps = _by_order(evidence.steps)
    assert (steps[1].runs, steps[1].average_hours, steps[1].budget_hours, steps[1].late_share) == (6, 4.0, 8.0, 0)
    assert (steps[2].runs, steps[2].average_hours, steps[2].budget_hours, steps[2].late_share) == (6, 24.0, 16.0, 100)
    assert steps[2].over_budget and not steps[1].over_budget
    assert (evidence.finished, evidence.average_hours, evidence.limit_hours) == (6, 28.0, 40)


def test_candidates_are_flagged_with_their_reasons(review):
    flags = selectors.review_evidence(review).flags
    kinds = {(flag.kind, flag.subject) for flag in flags}
    assert kinds == {
        ("component_supplement", "Giấy khám sức khỏe của người lái xe"),
        ("component_reused", "Bản sao giấy phép lái xe"),
        ("step_over_budget", "Thẩm định"),
    }
    reasons = " ".join(flag.reason for flag in flags)
    assert "33,33% hồ sơ" in reasons and "60% lần nộp" in reasons and "vượt định mức 16 giờ" in reasons


@override_settings(CCHC_SIMPLIFICATION_THRESHOLDS={"online_volume": 7, "short_processing_share": 70})
def test_thresholds_come_from_the_setting(review):
    kinds = {flag.kind for flag in selectors.review_evidence(review).flags}
    assert {"not_online", "short_processing"} <= kinds  # 7 dossiers in 12 months; 28 h is 70 % of 40 h


@override_settings(CCHC_SIMPLIFICATION_THRESHOLDS={"min_dossiers": 7})
def test_too_few_dossiers_show_figures_but_flag_nothing(review):
    evidence = selectors.review_evidence(review)
    assert evidence.flags == [] and _by_order(evidence.components)[2].supplement_share == 33.33


def test_the_yearly_volume_is_the_real_count_of_the_last_12_months(review):
    assert review.volume_computed == 7 and review.volume == 7  # D1–D6 and June 2024's D7


def test_candidates_rank_the_agencys_procedures_by_evidence(operations, officer):
    from datetime import date

    rows = selectors.simplification_candidates(user=officer, date_from=date(2025, 2, 1), date_to=date(2025, 2, 28))
    assert rows[0].procedure == operations.procedure and len(rows[0].flags) == 3
    assert all(not r.flags for r in rows[1:])
    assert len(rows) == operations.procedure.agency.procedures.filter(current_version__isnull=False).count()
    # A unit head ranks only their unit's procedures.
    head_rows = selectors.simplification_candidates(
        user=user("truongphong"), date_from=date(2025, 2, 1), date_to=date(2025, 2, 28)
    )
    assert operations.procedure in [r.procedure for r in head_rows]
    assert {r.version.unit.code for r in head_rows} == {"QLVT"}
