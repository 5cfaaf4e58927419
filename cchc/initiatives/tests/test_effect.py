from datetime import date

from cchc.initiatives.selectors import initiative_effect
from cchc.initiatives.tests.conftest import make_initiative

TODAY = date(2025, 7, 10)
CODES = ["progress.on_time", "online.dossiers", "satisfaction.complaints"]


def rows(effect) -> dict:
    return {row.code: (row.before, row.after, row.change) for row in effect.rows}


def test_effect_compares_three_months_before_and_after_in_the_initiatives_unit(demo, sktest, dossiers):
    initiative = make_initiative(demo, sktest, "Hẹn giờ trả kết quả", indicator_codes=CODES)

    effect = initiative_effect(initiative=initiative, today=TODAY)

    assert effect.windows.months == 3
    assert effect.scope == "Phòng Thử nghiệm sáng kiến"
    assert rows(effect) == {
        "progress.on_time": (50.0, 75.0, 25.0),
        "online.dossiers": (25.0, 75.0, 50.0),
        # No complaint in either window: nothing to measure.
        "satisfaction.complaints": (None, None, None),
    }
    assert effect.rows[0].before_fraction == "2/4" and effect.rows[0].after_fraction == "3/4"


def test_window_shrinks_to_the_months_elapsed(demo, sktest, dossiers):
    initiative = make_initiative(demo, sktest, "Sáng kiến mới áp dụng", indicator_codes=["progress.on_time"])

    effect = initiative_effect(initiative=initiative, today=date(2025, 4, 15))

    # One month: February (its one dossier late) against March (its one dossier on time).
    assert effect.windows.months == 1
    assert rows(effect) == {"progress.on_time": (0.0, 100.0, 100.0)}


def test_agency_wide_measurement_counts_other_units_dossiers(demo, sktest, dossiers):
    initiative = make_initiative(
        demo, sktest, "Tổ hỗ trợ tại Một cửa", indicator_codes=["progress.on_time"], measured_agency_wide=True
    )

    effect = initiative_effect(initiative=initiative, today=TODAY)

    assert effect.scope == demo.name
    assert rows(effect) == {"progress.on_time": (50.0, 60.0, 10.0)}


def test_initiative_not_yet_a_month_old_has_no_figures(demo, sktest, dossiers):
    initiative = make_initiative(demo, sktest, "Vừa áp dụng", indicator_codes=["progress.on_time"])

    effect = initiative_effect(initiative=initiative, today=date(2025, 3, 20))

    assert effect.windows is None
    assert rows(effect) == {"progress.on_time": (None, None, None)}
