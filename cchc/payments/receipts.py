"""The paid receipt (biên lai thu phí, lệ phí) as PDF, in the layout of the dossiers' statutory
forms: parent body and agency top left, national title top right, the place and date line.

A demonstration of an electronic receipt: the real one is issued by the agency's e-receipt
software registered with the tax authority (Decree 123/2020/NĐ-CP); this one says so.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.calendar import VN_TZ
from cchc.core.templatetags.cchc_format import vn_datetime
from cchc.dossiers.documents import date_line
from cchc.dossiers.models import ApplicantKind, Channel

from .models import Payment
from .words import vnd_in_words


def fee_items(payment: Payment) -> list[dict]:
    """The procedure version's fee items at the price the dossier was charged."""
    dossier = payment.dossier
    online = dossier.channel == Channel.ONLINE
    items = [
        {"kind": fee.get_kind_display(), "name": fee.name, "amount": fee.amount_for(online=online)}
        for fee in dossier.procedure_version.fees.all()
    ]
    if sum(item["amount"] for item in items) != payment.amount:
        # The catalogue no longer matches what was charged: the receipt shows what was paid.
        items = [{"kind": _("Phí, lệ phí"), "name": dossier.procedure_version.name, "amount": payment.amount}]
    return items


def receipt_context(payment: Payment) -> dict:
    dossier = payment.dossier
    agency = dossier.agency
    paid_at = payment.paid_at or payment.created_at
    business = dossier.applicant_kind == ApplicantKind.BUSINESS
    return {
        "title": _("BIÊN LAI THU PHÍ, LỆ PHÍ"),
        "agency": agency,
        "parent_name": agency.parent_name.upper(),
        "agency_name": agency.name.upper(),
        "form_number": "",
        "circular": "",
        "date_line": date_line(agency.place_name, paid_at),
        "copies": [""],
        "dossier": dossier,
        "payment": payment,
        "procedure": dossier.procedure_version,
        "procedure_code": dossier.procedure.code,
        "payer": dossier.applicant_name,
        "payer_identifier_label": _("Mã số thuế") if business else _("Số định danh cá nhân"),
        "payer_identifier": dossier.applicant_identifier,
        "payer_address": dossier.applicant_address,
        "items": fee_items(payment),
        "amount_in_words": vnd_in_words(payment.amount),
        "paid_at": vn_datetime(paid_at),
        "issued_on": timezone.localtime(paid_at, VN_TZ).strftime("%d/%m/%Y"),
        "method": payment.get_provider_display(),
        "collector": str(payment.created_by) if not payment.online and payment.created_by else "",
        "refunded": payment.status in (Payment.Status.REFUNDED, Payment.Status.REFUND_PENDING),
    }


def receipt_pdf(payment: Payment) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only PDF work needs.
    from weasyprint import HTML

    return HTML(string=render_to_string("payments/pdf/receipt.html", receipt_context(payment))).write_pdf()
