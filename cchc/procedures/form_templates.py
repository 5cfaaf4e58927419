"""The catalogue's forms (mẫu đơn, tờ khai): what each one asks, and its files.

A component of a procedure may name a template (`Component.template_name`, e.g.
`don-de-nghi-doi-gplx.docx`). The catalogue import makes it a `FormTemplate`: the title and the
fields come from `data/forms.yaml` (a template not described there asks the applicant's data and
the content of the request), and the blank form is rendered as `.docx` (python-docx) and `.pdf`
(WeasyPrint). A form marked `online` is an e-form: the applicant fills its fields on the dossier
form and CCHC renders the filled application as PDF (`render_filled_pdf`), so nobody prints a
template. The applicant's name, ID number, address and phone are never fields of a form: they come
from the dossier's applicant data.

Rendering reads no database; the files of a definition are stored under its digest, so importing
the same catalogue again renders nothing.
"""

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

FORMS_FILE = Path(__file__).resolve().parent / "data" / "forms.yaml"
FIELD_TYPES = ("text", "textarea", "date", "number", "choice")
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# Bumped when the layout of the rendered files changes, so every template is rendered again.
LAYOUT_VERSION = 1


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    type: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    max_length: int = 255


@dataclass(frozen=True)
class FormDefinition:
    slug: str  # the template's file name without its extension
    title: str
    online: bool = False
    fields: tuple[FormField, ...] = field(default_factory=tuple)

    def fields_data(self) -> list[dict]:
        return [asdict(f) | {"choices": list(f.choices)} for f in self.fields]


def slug_of(template_name: str) -> str:
    """`don-de-nghi-doi-gplx.docx` → `don-de-nghi-doi-gplx` (the file names every format shares)."""
    name = template_name.strip().rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def fields_from_data(items) -> tuple[FormField, ...]:
    """Fields as stored on a `FormTemplate` (or written in forms.yaml); an unknown type is refused."""
    fields = []
    for item in items or ():
        kind = item.get("type", "text")
        if kind not in FIELD_TYPES:
            raise ValueError(f"unknown form field type {kind!r} of {item.get('name')!r}")
        fields.append(
            FormField(
                name=str(item["name"]),
                label=str(item["label"]),
                type=kind,
                required=bool(item.get("required", True)),
                choices=tuple(str(c) for c in item.get("choices") or ()),
                max_length=int(item.get("max_length", 1000 if kind == "textarea" else 255)),
            )
        )
    return tuple(fields)


@cache
def _described() -> dict[str, dict]:
    with FORMS_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def default_fields() -> tuple[FormField, ...]:
    return (
        FormField(name="birth_date", label=_("Ngày sinh"), type="date"),
        FormField(name="request", label=_("Nội dung đề nghị"), type="textarea", max_length=2000),
    )


def definition_for(*, template_name: str, component_name: str) -> FormDefinition:
    """The form a component's template names: described in forms.yaml, or a plain request form
    titled after the component (without its "(theo mẫu)")."""
    slug = slug_of(template_name)
    described = _described().get(slug)
    if described is not None:
        return FormDefinition(
            slug=slug,
            title=described["title"],
            online=bool(described.get("online", False)),
            fields=fields_from_data(described.get("fields")),
        )
    title = component_name
    for suffix in ("(theo mẫu)", "(theo mẫu quy định)"):
        title = title.replace(suffix, "")
    return FormDefinition(slug=slug, title=" ".join(title.split()), fields=default_fields())


def definition_digest(definition: FormDefinition, *, addressee: str) -> str:
    """What the blank files depend on: a definition rendered once is stored under this digest."""
    payload = {
        "layout": LAYOUT_VERSION,
        "title": definition.title,
        "online": definition.online,
        "fields": definition.fields_data(),
        "addressee": addressee,
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# ---------------------------------------------------------------- rendering

APPLICANT_LINES = (
    ("name", "Họ và tên"),
    ("id_number", "Số định danh cá nhân"),
    ("address", "Nơi cư trú"),
    ("phone", "Số điện thoại"),
)


def _applicant_lines(applicant: dict | None) -> list[tuple[str, str]]:
    applicant = applicant or {}
    return [(_(label), applicant.get(key) or "") for key, label in APPLICANT_LINES]


def _shown(form_field: FormField, value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _context(definition: FormDefinition, *, addressee: str, applicant=None, values=None, date_line: str = ""):
    lines = _applicant_lines(applicant)
    lines += [(f.label, _shown(f, (values or {}).get(f.name))) for f in definition.fields]
    return {
        "title": definition.title.upper(),
        "addressee": addressee,
        "lines": lines,
        "filled": values is not None,
        "date_line": date_line or _("……, ngày …… tháng …… năm ……"),
    }


def render_pdf(definition: FormDefinition, *, addressee: str, applicant=None, values=None, date_line="") -> bytes:
    """The form as PDF: blank (dotted lines to fill by hand) or, with `values`, the filled application."""
    # Imported here: WeasyPrint loads Pango when imported, which only PDF work needs.
    from weasyprint import HTML

    context = _context(definition, addressee=addressee, applicant=applicant, values=values, date_line=date_line)
    return HTML(string=render_to_string("procedures/forms/form.html", context)).write_pdf()


def render_docx(definition: FormDefinition, *, addressee: str) -> bytes:
    """The blank form as a Word document, for those who fill it on a computer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    context = _context(definition, addressee=addressee)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    def centred(text: str, *, bold=False, italic=False, size=None):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return paragraph

    centred(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=12)
    centred(_("Độc lập - Tự do - Hạnh phúc"), bold=True)
    centred(context["title"], bold=True, size=14)
    centred(_("Kính gửi: %(addressee)s") % {"addressee": addressee})
    for label, _value in context["lines"]:
        document.add_paragraph(f"{label}: " + "." * max(20, 80 - len(label)))
    document.add_paragraph(_("Tôi xin cam đoan những thông tin kê khai trên là đúng sự thật."))
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run(context["date_line"]).italic = True
    centred(_("NGƯỜI LÀM ĐƠN"), bold=True).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    centred(_("(Ký, ghi rõ họ tên)"), italic=True).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
