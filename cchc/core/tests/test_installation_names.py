"""Names come from the data: nothing transport-only is written into the code or templates."""

from pathlib import Path

import pytest

from cchc.accounts.services import agency_upsert, province_upsert

ROOT = Path(__file__).resolve().parents[3]


def test_no_department_name_is_written_into_code_templates_or_settings():
    offenders = []
    for folder in ("cchc", "config"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt"} or "tests" in path.parts or "locale" in path.parts:
                continue
            if "Sở Giao thông vận tải" in path.read_text(encoding="utf-8", errors="ignore"):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_footer_home_page_and_feed_name_the_provinces_committee(client):
    province = province_upsert(code="H97", name="Tỉnh Hòa An")
    agency_upsert(code="000.00.00.H97", name="UBND tỉnh Hòa An", province=province, level="province")
    home = client.get("/").content.decode()
    assert "UBND tỉnh Hòa An" in home
    assert "Cổng dịch vụ công UBND tỉnh Hòa An" in home
    feed = client.get("/tin-tuc/rss/")
    if feed.status_code == 200:
        assert "UBND tỉnh Hòa An" in feed.content.decode()
