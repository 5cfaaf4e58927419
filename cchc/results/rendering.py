"""The result document as a PDF (WeasyPrint), ready to be signed or shown as a preview.

The page follows Decree 30/2020/NĐ-CP like the dossier's statutory forms (it extends their
`dossiers/pdf/base.html`): agency top left, national title top right, place and date, the title
in bold capitals, Liberation Serif. The verification QR code is drawn into the page before
signing, so the signature covers it. The box the visible signature stamp goes into is an
element of the page (`#vi-tri-chu-ky`); its position is read back from the layout, so the stamp
always lands in the signature block however long the text above it is.
"""

from dataclasses import dataclass
from datetime import date, datetime

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cchc.dossiers.documents import date_line
from cchc.dossiers.models import ApplicantKind, Dossier

from .models import ResultKind, SignerTitle
from .rules import result_kind

STAMP_ANCHOR = "vi-tri-chu-ky"
TEMPLATES = {
    ResultKind.LICENCE: "results/pdf/licence.html",
    ResultKind.APPROVAL: "results/pdf/approval.html",
    ResultKind.GENERIC: "results/pdf/generic.html",
}
CSS_PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF counts points (72 per inch)


@dataclass(frozen=True)
class Composition:
    """What staff may fill in; everything else comes from the dossier."""

    number: str = ""
    body: str = ""
    valid_until: date | None = None
    notes: str = ""
    signer_title: str = SignerTitle.DIRECTOR


@dataclass(frozen=True)
class RenderedResult:
    pdf: bytes
    kind: str
    name: str
    stamp_page: int  # 0-based
    stamp_box: tuple[int, int, int, int]  # x1, y1, x2, y2 in PDF points from the bottom left


def verification_url(result_id) -> str:
    return settings.CCHC_PUBLIC_URL + reverse("results:verify", kwargs={"pk": result_id})


def qr_data_uri(url: str) -> str:
    return segno.make_qr(url, error="m").svg_data_uri(scale=4, border=0)


def signer_title_lines(title: str) -> list[str]:
    if title == SignerTitle.DEPUTY:
        return [_("KT. GIÁM ĐỐC"), _("PHÓ GIÁM ĐỐC")]
    return [_("GIÁM ĐỐC")]


def _applicant(dossier: Dossier) -> dict:
    business = dossier.applicant_kind == ApplicantKind.BUSINESS
    return {
        "name": dossier.applicant_name,
        "form": _("Tổ chức") if business else _("Ông/Bà"),
        "identifier_label": _("Mã số thuế") if business else _("Số định danh cá nhân"),
        "identifier": dossier.applicant_identifier,
        "address": dossier.applicant_address,
    }


def context_for(
    *, dossier: Dossier, composition: Composition, result_id, issued_at: datetime, signer_name: str, preview: bool
) -> dict:
    version = dossier.procedure_version
    agency = dossier.agency
    kind = result_kind(version.result_name)
    titles = {
        ResultKind.LICENCE: version.result_name.upper(),
        ResultKind.APPROVAL: _("VĂN BẢN CHẤP THUẬN"),
        ResultKind.GENERIC: _("KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
    }
    url = verification_url(result_id)
    return {
        # What dossiers/pdf/_heading.html reads.
        "agency": agency,
        "parent_name": agency.parent_name.upper(),
        "agency_name": agency.name.upper(),
        "title": titles[kind],
        "date_line": date_line(agency.place_name, issued_at),
        "copies": [""],
        # The result itself.
        "kind": kind,
        "dossier": dossier,
        "version": version,
        "procedure_code": dossier.procedure.code,
        "result_name": version.result_name,
        "legal_basis": version.legal_basis_lines,
        "applicant": _applicant(dossier),
        "composition": composition,
        "signer_title": signer_title_lines(composition.signer_title),
        "signer_name": signer_name,
        "verification_url": url,
        "qr": qr_data_uri(url),
        "preview": preview,
        "stamp_anchor": STAMP_ANCHOR,
    }


def render_result(
    *,
    dossier: Dossier,
    composition: Composition,
    result_id,
    issued_at: datetime,
    signer_name: str = "",
    preview: bool = False,
) -> RenderedResult:
    # Imported here: WeasyPrint loads Pango when imported, which only PDF work needs.
    from weasyprint import HTML

    context = context_for(
        dossier=dossier,
        composition=composition,
        result_id=result_id,
        issued_at=issued_at,
        signer_name=signer_name,
        preview=preview,
    )
    with translation.override("vi"):
        html = render_to_string(TEMPLATES[context["kind"]], context)
    document = HTML(string=html).render()
    stamp_page, box = _stamp_box(document)
    return RenderedResult(
        pdf=document.write_pdf(),
        kind=context["kind"],
        name=context["result_name"],
        stamp_page=stamp_page,
        stamp_box=box,
    )


def _stamp_box(document) -> tuple[int, tuple[int, int, int, int]]:
    for index, page in enumerate(document.pages):
        if STAMP_ANCHOR in page.anchors:
            x1, y1, x2, y2 = page.anchors[STAMP_ANCHOR]
            height = page.height * CSS_PX_TO_PT
            return index, (
                round(x1 * CSS_PX_TO_PT),
                round(height - y2 * CSS_PX_TO_PT),
                round(x2 * CSS_PX_TO_PT),
                round(height - y1 * CSS_PX_TO_PT),
            )
    raise LookupError("The result template has no signature box")  # a template defect, not user input
