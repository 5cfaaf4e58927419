"""A province-year at small scale: `generate_dossiers --province` spreads the dossiers over the
province's departments and communes (topped up with generated communes), gives counter dossiers
received elsewhere the receiving point's code and sequence; and the province bench's code path
answers every page."""

import importlib.util
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings

from cchc.accounts.models import Agency
from cchc.core.calendar import VN_TZ
from cchc.demo.bulk import generate_province
from cchc.demo.loader import load_demo
from cchc.dossiers.codes import parse_dossier_code
from cchc.dossiers.models import DailySequence, Dossier

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=VN_TZ)


def _bench():
    path = Path(settings.BASE_DIR) / "bench" / "bench_reports.py"
    spec = importlib.util.spec_from_file_location("bench_reports", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_small_province_year_and_its_bench(demo):
    load_demo(province=True)
    result = generate_province(count=400, agencies=20, months=2, seed=3, now=NOW, chunk_size=100)
    assert result.dossiers == 400
    active = Agency.objects.filter(province__isnull=False, valid_to__isnull=True)
    assert active.count() == 20
    dossiers = Dossier.objects.filter(idempotency_key__startswith="bulk:").select_related("agency", "reception_point")
    levels = {d.agency.level for d in dossiers}
    assert levels == {"department", "commune"}
    centre = Agency.objects.get(level="centre")
    at_centre = [d for d in dossiers if d.reception_point_id == centre.pk]
    assert at_centre, "some counter dossiers are received at the provincial centre"
    top: dict[tuple, int] = defaultdict(int)
    for d in dossiers:
        if d.code is None:
            continue
        point = d.reception_point or d.agency
        agency_code, day, number = parse_dossier_code(d.code)
        assert agency_code == point.code  # the receiving point's identifier
        top[(point.pk, day)] = max(top[(point.pk, day)], number)
    for (point_id, day), number in top.items():
        assert DailySequence.objects.get(agency_id=point_id, day=day).last == number

    bench = _bench()
    lines = []
    medians = bench.bench_province(
        1, date(2026, 10, 1), date(2026, 10, 31), report=lambda label, samples, **kw: lines.append(label)
    )
    assert len(medians) == 7
    assert any("whole province" in label for label in lines)
