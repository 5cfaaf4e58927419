"""The 2025 regime: Circular 03/2025/TT-VPCP's forms and date, the control slip's signatures, and
Decree 367/2025 in the legal basis (issue 15, item 5)."""

from datetime import datetime

import pytest

from cchc.core.calendar import VN_TZ
from cchc.core.errors import NotFound
from cchc.dossiers.documents import render_form
from cchc.dossiers.models import Dossier
from cchc.dossiers.regimes import REGIME_2025, legal_basis_of, regime_at

from .helpers import act, frozen, submit
from .test_documents import text_of

pytestmark = pytest.mark.django_db


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


def test_the_2025_forms_carry_the_titles_of_circular_03_2025():
    """legal-details.md §2.1 (Phụ lục I, [S] thuviennhadat.vn): form 03 "Phiếu từ chối tiếp nhận giải
    quyết hồ sơ", form 04 "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", form 05 "Thông
    báo dừng giải quyết hồ sơ"."""
    assert [(f.number, str(f.title)) for f in REGIME_2025.forms] == [
        ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        ("04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        ("05", "Thông báo dừng giải quyết hồ sơ"),
        ("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        ("07", "Sổ theo dõi hồ sơ"),
    ]


def test_circular_03_2025_applies_from_its_own_date_and_decree_118_from_july():
    """legal-details.md §2.1 and §4.1: the circular is dated 15/9/2025 [P] and its forms apply from
    that day [S]; from 1/7 to 14/9/2025 Decree 118/2025 applied without it (which forms offices used
    is [NF]: CCHC prints those of Circular 01/2018). The code used to switch on 1 July 2025."""
    assert regime_at(vn(2025, 6, 30, 23, 59)).code == "2018"
    interim = regime_at(vn(2025, 7, 1, 7, 0))
    assert (interim.code, str(interim.circular), interim.allows_stop) == (
        "2025-07",
        "Thông tư số 01/2018/TT-VPCP",
        True,
    )
    assert regime_at(vn(2025, 9, 14, 23, 59)).code == "2025-07"
    assert regime_at(vn(2025, 9, 15, 0, 0)).code == "2025"


def test_an_interim_dossier_prints_the_2018_forms_under_decree_118(demo):
    with frozen(vn(2025, 8, 20, 8, 0)):
        dossier = act(submit(), "motcua", "receive")
    assert dossier.regime == "2025-07"
    text = text_of(render_form(dossier=dossier, form="receipt"))
    assert "Thông tư số 01/2018/TT-VPCP" in text and "Mẫu số 01" in text
    assert legal_basis_of(dossier) == [
        "Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ",
        "Thông tư số 01/2018/TT-VPCP",
    ]
    with frozen(vn(2025, 8, 21, 8, 0)):
        dossier = act(dossier, "lanhdao", "stop", comment="Người nộp đề nghị dừng")
    assert dossier.status == "stopped"
    with pytest.raises(NotFound, match="01/2018/TT-VPCP"):
        render_form(dossier=dossier, form="stop_notice")  # Circular 01/2018 has no such form


def test_decree_367_enters_the_legal_basis_of_dossiers_received_after_it(demo, client):
    """legal-details.md §2.2: Decree 367/2025/NĐ-CP of 31/12/2025 amends Decree 118/2025 ([S]; its
    content and effective date [NF]): recorded as a basis, no rule changed."""
    with frozen(vn(2026, 3, 2, 8, 0)):
        dossier = act(submit(), "motcua", "receive")
    assert dossier.regime == "2025"
    basis = legal_basis_of(dossier)
    assert basis[0].startswith("Nghị định số 118/2025/NĐ-CP")
    assert basis[1].startswith("Nghị định số 367/2025/NĐ-CP") and "sửa đổi, bổ sung" in basis[1]
    assert basis[2] == "Thông tư số 03/2025/TT-VPCP"
    client.force_login(dossier.applicant_user)
    assert client.get(f"/api/v1/dossiers/{dossier.code}").json()["legal_basis"] == basis
    with frozen(vn(2025, 10, 1, 8, 0)):
        autumn = act(submit(key="thu"), "motcua", "receive")
    assert not any("367/2025" in line for line in legal_basis_of(autumn))


def test_the_control_slip_has_a_signature_column_for_each_hand_over(demo):
    """domain.md §5 (form 06 of 2025, 05 of 2018): one row per hand-over with both signatures; the
    2018 slip printed by one-stop software has "Người giao / Người nhận" on every row ([S])."""
    with frozen(vn(2026, 3, 2, 8, 30)):
        dossier = act(submit(), "motcua", "receive")
    with frozen(vn(2026, 3, 2, 9, 30)):
        dossier = act(dossier, "motcua", "forward", comment="Hồ sơ đầy đủ")
        dossier = act(dossier, "truongphong", "assign", assignee="chuyenvien")
    with frozen(vn(2026, 3, 3, 9, 0)):
        dossier = act(dossier, "chuyenvien", "forward", comment="Đủ điều kiện")
    text = text_of(render_form(dossier=dossier, form="control_slip"))
    rows = dossier.steps.count()
    assert rows == 3
    assert "Ký giao, nhận" in text
    assert text.count("Người giao") == rows and text.count("Người nhận") == rows
    Dossier.objects.filter(pk=dossier.pk).update(regime="2018")
    assert text_of(render_form(dossier=dossier, form="control_slip")).count("Người giao") == rows
