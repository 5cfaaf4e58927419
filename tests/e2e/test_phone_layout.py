"""At 390 px no page scrolls sideways; tables are stacked cards (issue 14: `/kho-du-lieu/` was 469 px
wide, the review, transparency and components tables scrolled sideways)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/", "/thu-tuc/", "/thu-tuc/1.000010/", "/cong-khai/chat-luong-phuc-vu/", "/tra-cuu/"]
CITIZEN = ["/kho-du-lieu/", "/ho-so/", "/thu-tuc/1.000010/nop-ho-so/"]
OFFICER = ["/can-bo/ho-so/", "/can-bo/tiep-nhan/?thu_tuc=1.002804"]


def _overflow(page, url: str) -> int:
    page.goto(url)
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _stored_papers() -> None:
    """Papers in congdan's data store, with the long names real ones have."""
    from cchc.accounts.models import User
    from cchc.core.text import fold
    from cchc.dossiers.models import StoredDocument

    owner = User.objects.get(username="congdan")
    name = "Giấy khám sức khỏe của người lái xe do cơ sở y tế có thẩm quyền cấp (bản sao chứng thực)"
    for number in range(3):
        StoredDocument.objects.create(
            owner=owner,
            owner_identifier="034095001234",
            kind=StoredDocument.Kind.UPLOAD,
            name=name,
            component_key=fold(name),
            file=f"store/giay-kham-suc-khoe-cua-nguoi-lai-xe-ban-sao-chung-thuc-{number}.pdf",
            original_name=f"giay-kham-suc-khoe-cua-nguoi-lai-xe-ban-sao-chung-thuc-{number}.pdf",
            sha256=f"{number}" * 64,
        )


def test_no_page_scrolls_sideways_on_a_phone(site, page, person):
    _stored_papers()
    wide = {}
    for path in PUBLIC:
        wide[path] = _overflow(page, site + path)
    citizen = person("congdan")
    for path in CITIZEN:
        wide[path] = _overflow(citizen, site + path)
    officer = person("motcua")
    for path in OFFICER:
        wide[path] = _overflow(officer, site + path)
    assert {path: px for path, px in wide.items() if px > 0} == {}
