"""At 390 px no page scrolls sideways; tables are stacked cards (issue 14: `/kho-du-lieu/` was 469 px
wide, the review, transparency and components tables scrolled sideways).

The pages are visited with data shaped like the demo's: dossiers made through the services over the
last months (the transparency table has its months, the desk its rows), a review round with its
reviews, and a data store holding dozens of papers with the long names real ones have."""

from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
PUBLIC = [
    "/",
    "/thu-tuc/",
    "/thu-tuc/1.000010/",  # the components table, with its form templates
    "/thu-tuc/1.002804/",
    "/cong-khai/chat-luong-phuc-vu/",  # the transparency table
    "/cong-khai/xep-hang/",
    "/tra-cuu/",
]
CITIZEN = [
    "/kho-du-lieu/",
    "/ho-so/",
    "/thu-tuc/1.000010/nop-ho-so/",  # the e-form and the stored papers to reuse
    "/tai-khoan/nhan-thong-bao/",
    "/ca-nhan/du-lieu/",
]
OFFICER = ["/can-bo/ho-so/", "/can-bo/tiep-nhan/?thu_tuc=1.002804", "/can-bo/so-theo-doi/", "/can-bo/kho-du-lieu/"]
REFORM = ["/cai-cach/ra-soat/", "/cai-cach/ra-soat/ung-vien/", "/can-bo/bao-cao/chi-so/", "/can-bo/bang-dieu-khien/"]
LEADER = ["/can-bo/bang-dieu-khien/lanh-dao/", "/can-bo/bao-cao/giai-quyet-tthc/"]

LONG_NAMES = [
    "Giấy khám sức khỏe của người lái xe do cơ sở y tế có thẩm quyền cấp (bản sao chứng thực)",
    "Bản sao giấy chứng nhận đăng ký kinh doanh hoặc giấy chứng nhận đăng ký doanh nghiệp có ngành nghề "
    "kinh doanh vận tải bằng xe ô tô",
    "Phương án kinh doanh vận tải bằng xe ô tô theo mẫu quy định tại Phụ lục của Nghị định",
    "Quyết định thành lập và giấy chứng nhận đủ điều kiện hoạt động của cơ sở đào tạo lái xe ô tô",
]


def _width(page, url: str) -> int:
    page.goto(url)
    return page.evaluate("document.documentElement.scrollWidth")


def _demo_like_data() -> dict:
    """Made in a thread of its own: Playwright's event loop runs in the test's thread, and signing a
    demo result (pyHanko) starts one of its own."""
    from django.db import connection

    try:
        return _make_demo_like_data()
    finally:
        connection.close()


def _make_demo_like_data() -> dict:
    """Dossiers over the last months, the demo review round, and a full data store for congdan."""
    from cchc.accounts.models import Agency, User
    from cchc.core.text import fold
    from cchc.demo.dossiers import load_demo_dossiers
    from cchc.demo.loader import DEMO_AGENCY_CODE
    from cchc.dossiers.models import Dossier, StoredDocument
    from cchc.simplification.demo import load_demo_simplification
    from cchc.simplification.models import ProcedureReview

    agency = Agency.objects.get(code=DEMO_AGENCY_CODE)
    load_demo_dossiers(count=24)
    load_demo_simplification(agency)
    owner = User.objects.get(username="congdan")
    for number in range(48):
        name = LONG_NAMES[number % len(LONG_NAMES)]
        StoredDocument.objects.create(
            owner=owner,
            owner_identifier="001090001234",
            kind=StoredDocument.Kind.UPLOAD,
            name=name,
            component_key=fold(name),
            file=f"store/giay-to-{number}.pdf",
            original_name=f"{fold(name).replace(' ', '-')}-ban-scan-mau-day-du-{number}.pdf",
            sha256=f"{number:064d}",
        )
    dossier = Dossier.objects.filter(agency=agency).exclude(code="").order_by("-received_at").first()
    own = Dossier.objects.filter(applicant_user=owner).exclude(code="").order_by("-received_at").first()
    review = ProcedureReview.objects.order_by("pk").first()
    return {
        "dossier": dossier.code,
        "own": own.code if own else None,
        "review": (review.round_id, review.pk) if review else None,
    }


def test_no_page_scrolls_sideways_on_a_phone(site, page, person, signing):
    with ThreadPoolExecutor(max_workers=1) as pool:
        data = pool.submit(_demo_like_data).result()
    visits = [(page, path) for path in PUBLIC]
    visits.append((page, f"/tra-cuu/?ma={data['dossier']}"))
    citizen = person("congdan")
    visits += [(citizen, path) for path in CITIZEN]
    if data["own"]:
        visits.append((citizen, f"/ho-so/{data['own']}/"))
    officer = person("motcua")
    visits += [(officer, path) for path in [*OFFICER, f"/can-bo/ho-so/{data['dossier']}/"]]
    reform = person("cchc")
    review_pages = []
    if data["review"]:
        round_pk, review_pk = data["review"]
        review_pages = [f"/cai-cach/ra-soat/{round_pk}/", f"/cai-cach/ra-soat/{round_pk}/thu-tuc/{review_pk}/"]
    visits += [(reform, path) for path in [*REFORM, *review_pages]]
    leader = person("lanhdao")
    visits += [(leader, path) for path in LEADER]
    assert data["review"], "the demo review round has reviews"

    widths = {path: _width(browser_page, site + path) for browser_page, path in visits}
    too_wide = {path: px for path, px in widths.items() if px > PHONE_WIDTH}
    assert too_wide == {}, f"pages wider than {PHONE_WIDTH} px: {too_wide}"
