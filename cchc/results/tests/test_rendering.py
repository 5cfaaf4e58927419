"""The result documents: which template a procedure gets, and what each one prints."""

import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from pypdf import PdfReader

from cchc.accounts.selectors import installation_owner
from cchc.dossiers.tests.helpers import act, user
from cchc.results.certificates import common_name
from cchc.results.rendering import Composition, render_result
from cchc.results.rules import ascii_text, result_kind

from .conftest import ELECTRONIC, PAPER, received_dossier

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Giấy phép lái xe", "licence"),
        ("GIẤY PHÉP THI CÔNG", "licence"),
        ("Giấy chứng nhận đăng ký phương tiện thủy nội địa", "licence"),
        ("Văn bản chấp thuận thiết kế nút giao đấu nối", "approval"),
        ("Văn bản chấp thuận xây dựng công trình thiết yếu", "approval"),
        ('Phù hiệu "XE TAXI"', "generic"),
        ("Quyết định công bố đưa bến xe khách vào khai thác", "generic"),
    ],
)
def test_the_template_follows_the_result_name(name, kind):
    assert result_kind(name) == kind


def test_a_stamp_without_the_font_drops_diacritics_only():
    assert ascii_text("Sở Giao thông vận tải tỉnh Bình Sơn – Đắk") == "So Giao thong van tai tinh Binh Son – Dak"


def render(dossier, **composition):
    rendered = render_result(
        dossier=dossier,
        composition=Composition(**composition),
        result_id="8f6cbb99-dd70-4f5d-bb35-d0514e9bc10f",
        issued_at=timezone.now(),
        signer_name="Vũ Đức Giang",
        preview=True,
    )
    reader = PdfReader(BytesIO(rendered.pdf))
    return rendered, "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.mark.parametrize(
    ("code", "title", "kind"),
    [
        (ELECTRONIC, "GIẤY PHÉP LÁI XE", "licence"),
        (PAPER, "VĂN BẢN CHẤP THUẬN", "approval"),
        ("1.002848", "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "generic"),
    ],
)
def test_each_kind_of_result_is_printed_with_the_dossiers_data(demo, code, title, kind):
    dossier = received_dossier(code)
    rendered, text, reader = render(dossier, number="9/SGTVT", valid_until=timezone.localdate())
    assert rendered.kind == kind
    assert title in text
    for expected in (
        dossier.code,
        "Nguyễn Văn An",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 9/SGTVT",
        "Vũ Đức Giang",
    ):
        assert expected in text, expected
    assert "Mẫu số" not in text  # the shared heading's form line is for the one-stop forms
    page = reader.pages[rendered.stamp_page]
    x1, y1, x2, y2 = rendered.stamp_box
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert 0 < x1 < x2 <= width and 0 < y1 < y2 <= height
    assert (x2 - x1, y2 - y1) == pytest.approx((187, 65), abs=2)  # 6.6 cm × 2.3 cm


def office_panel(dossier, username: str) -> str:
    """The panel as the dossier page shows it to `username` (with the request's context processors)."""
    request = RequestFactory().get("/")
    request.user = user(username)
    context = {"dossier": dossier, "version": dossier.procedure_version}
    return render_to_string("results/_office_panel.html", context, request=request)


def test_the_office_panel_links_to_composing_and_the_applicant_panel_to_the_file(signed):
    dossier = signed.dossier
    office = office_panel(dossier, "chuyenvien")
    assert "Soạn, xem trước kết quả" in office and "Tải kết quả đã ký số" in office
    counter = office_panel(dossier, "motcua")
    assert "Soạn, xem trước kết quả" not in counter
    assert "Tải kết quả điện tử (đã ký số)" not in render_to_string(
        "results/_applicant_panel.html", {"dossier": dossier}
    )
    dossier = act(act(dossier, "motcua", "result_ready"), "motcua", "return_result")
    assert "Tải kết quả điện tử (đã ký số)" in render_to_string("results/_applicant_panel.html", {"dossier": dossier})


@pytest.mark.django_db
def test_the_demo_certificate_is_made_once(tmp_path, settings):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = tmp_path / "signing" / "agency.p12"
    settings.CCHC_SIGNING_P12_PATH = str(path)
    settings.CCHC_SIGNING_P12_PASSWORD = "pw-123"
    call_command("make_demo_certificate")
    first = path.read_bytes()
    call_command("make_demo_certificate")
    assert path.read_bytes() == first
    assert path.stat().st_mode & 0o777 == 0o600
    _key, certificate, _others = pkcs12.load_key_and_certificates(first, b"pw-123")
    # The name comes from the data, never a hard-coded department.
    assert certificate.subject.rfc4514_string().startswith(f"CN={common_name(installation_owner())}")
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment  # non-repudiation
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_the_script_makes_the_certificate_where_the_settings_look(tmp_path):
    path = tmp_path / "demo.p12"
    env = {"CCHC_SIGNING_P12_PATH": str(path), "CCHC_SIGNING_P12_PASSWORD": "pw", "PATH": "/usr/bin:/bin"}
    run = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bin" / "make-demo-cert")], env=env, capture_output=True, text=True, check=True
    )
    assert "Đã tạo" in run.stdout and path.exists()
    again = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bin" / "make-demo-cert")], env=env, capture_output=True, text=True, check=True
    )
    assert "giữ nguyên" in again.stdout


def test_the_panels_of_an_unsigned_dossier_offer_composing_only(approved):
    office = office_panel(approved, "lanhdao")
    assert "Chưa ký số." in office and "Soạn, xem trước kết quả" in office
    assert render_to_string("results/_applicant_panel.html", {"dossier": approved}).strip() == ""
