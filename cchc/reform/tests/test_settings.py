"""The PAR settings: the target a new year starts with and the band table."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc.reform import config, criteria_file, selectors
from cchc.reform.services import par_year_load


def test_a_new_year_takes_the_target_from_the_settings(demo, settings):
    settings.CCHC_PAR_TARGET = 85
    par_year = par_year_load(
        agency=demo, year=2027, data=criteria_file.SAMPLE_TEMPLATE.read_bytes(), filename="m.yaml", actor=None
    )
    assert par_year.target == Decimal(85)


def test_the_band_table_comes_from_the_settings(par_year, settings):
    settings.CCHC_PAR_BANDS = [(50, "Đạt"), (0, "Chưa đạt")]
    result = selectors.par_index(par_year=par_year, indicator_values={})
    assert result.band == "Chưa đạt" and result.gap == Decimal(80)
    settings.CCHC_PAR_BANDS = [(50, "Đạt"), (60, "Sai thứ tự")]
    with pytest.raises(ImproperlyConfigured):
        config.par_bands()
