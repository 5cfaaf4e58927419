"""Writes for the catalogue: publishing versions, drafts, spreadsheet import."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency
from cchc.accounts.selectors import unit_list_active
from cchc.core import clock
from cchc.core.blobs import blobs_pending
from cchc.core.errors import ApplicationError, Conflict
from cchc.core.text import fold, nfc

from . import form_templates
from .models import Component, FeeItem, Field, FormTemplate, Offering, Procedure, ProcedureVersion, ProcessStep
from .rules import ProcedureSpec, is_sensitive_component, spec_errors
from .selectors import spec_from_version
from .signals import procedure_published
from .spreadsheet import SHEET_PROCEDURES, RowError, workbook_to_specs


@transaction.atomic
def field_upsert(*, code: str, name: str) -> Field:
    code, name = code.strip(), nfc(name.strip())
    if not code or not name:
        raise ApplicationError(_("Lĩnh vực cần có mã và tên."), code="invalid_field")
    field, _created = Field.objects.update_or_create(code=code, defaults={"name": name})
    return field


class SpecResolver:
    """Turns the codes in specs (field, units) into rows, reporting unknown codes."""

    def __init__(self, agency: Agency):
        self.agency = agency
        self.fields = {f.code: f for f in Field.objects.all()}
        self.units = {u.code: u for u in unit_list_active(agency=agency)}
        self._other_agencies: dict[str, tuple[Agency | None, dict]] = {}

    def step_agency(self, agency_code: str) -> tuple[Agency | None, dict]:
        """Another agency a step runs in, and its active units by code ((None, {}) if unknown)."""
        if agency_code not in self._other_agencies:
            agency = Agency.objects.filter(code=agency_code).first()
            units = {u.code: u for u in unit_list_active(agency=agency)} if agency else {}
            self._other_agencies[agency_code] = (agency, units)
        return self._other_agencies[agency_code]

    def step_target(self, step) -> tuple[Agency | None, object]:
        """The agency (None: the resolving one) and the unit of a step spec."""
        if step.agency_code and step.agency_code != self.agency.code:
            agency, units = self.step_agency(step.agency_code)
            return agency, units.get(step.unit_code)
        return None, self.units.get(step.unit_code)

    def errors(self, spec: ProcedureSpec) -> list[str]:
        errors = spec_errors(spec)
        if spec.field_code not in self.fields:
            errors.append(_("Không có lĩnh vực mã “%(code)s”.") % {"code": spec.field_code})
        if spec.unit_code not in self.units:
            errors.append(_("Không có đơn vị chủ trì mã “%(code)s” đang hoạt động.") % {"code": spec.unit_code})
        for step in spec.steps:
            if step.agency_code and step.agency_code != self.agency.code:
                agency, units = self.step_agency(step.agency_code)
                if agency is None:
                    errors.append(
                        _("Bước “%(step)s”: không có cơ quan mã “%(code)s”.")
                        % {"step": step.name, "code": step.agency_code}
                    )
                elif step.unit_code and step.unit_code not in units:
                    errors.append(
                        _("Bước “%(step)s”: %(agency)s không có đơn vị mã “%(code)s” đang hoạt động.")
                        % {"step": step.name, "agency": agency.name, "code": step.unit_code}
                    )
                continue
            if step.unit_code and step.unit_code not in self.units:
                errors.append(
                    _("Bước “%(step)s”: không có đơn vị mã “%(code)s” đang hoạt động.")
                    % {"step": step.name, "code": step.unit_code}
                )
        return errors


def _normalised(spec: ProcedureSpec) -> ProcedureSpec:
    """Store every text in NFC so that equal texts compare equal."""
    return replace(
        spec,
        name=nfc(spec.name.strip()),
        applicants=nfc(spec.applicants.strip()),
        result_name=nfc(spec.result_name.strip()),
        requirements=nfc(spec.requirements.strip()),
        legal_basis=tuple(nfc(line.strip()) for line in spec.legal_basis if line.strip()),
        fees=tuple(replace(f, name=nfc(f.name.strip())) for f in spec.fees),
        components=tuple(
            replace(c, name=nfc(c.name.strip()), note=nfc(c.note.strip()), template_name=c.template_name.strip())
            for c in spec.components
        ),
        steps=tuple(replace(s, name=nfc(s.name.strip())) for s in spec.steps),
    )


def _version_create(
    *, procedure: Procedure, spec: ProcedureSpec, resolver: SpecResolver, status: str, number: int
) -> ProcedureVersion:
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        status=status,
        name=spec.name,
        field=resolver.fields[spec.field_code],
        unit=resolver.units[spec.unit_code],
        applicants=spec.applicants,
        requirements=spec.requirements,
        time_limit_value=spec.time_limit_value,
        time_limit_unit=spec.time_limit_unit,
        online_level=spec.online_level,
        result_type=spec.result_type,
        result_name=spec.result_name,
        payment_stage=spec.payment_stage,
        legal_basis="\n".join(spec.legal_basis),
    )
    FeeItem.objects.bulk_create(
        FeeItem(version=version, order=i, kind=f.kind, name=f.name, amount=f.amount, online_amount=f.online_amount)
        for i, f in enumerate(spec.fees, start=1)
    )
    Component.objects.bulk_create(
        Component(
            version=version,
            order=i,
            name=c.name,
            required=c.required,
            originals=c.originals,
            certified_copies=c.certified_copies,
            copies=c.copies,
            template_name=c.template_name,
            note=c.note,
            holds_personal_data=is_sensitive_component(c.name),
            from_population_db=c.from_population_db,
        )
        for i, c in enumerate(spec.components, start=1)
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            version=version,
            order=i,
            name=s.name,
            agency=resolver.step_target(s)[0],
            unit=resolver.step_target(s)[1],
            role=s.role,
            hours=s.hours,
        )
        for i, s in enumerate(spec.steps, start=1)
    )
    return version


def _next_number(procedure: Procedure) -> int:
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _make_current(*, procedure: Procedure, version: ProcedureVersion, actor, effective_from: datetime | None) -> None:
    now = clock.now()
    effective_from = effective_from or now
    if effective_from > now:
        raise ApplicationError(
            _("Chưa hỗ trợ công bố phiên bản có hiệu lực trong tương lai; hãy công bố vào ngày có hiệu lực."),
            code="future_effective_date",
        )
    version.status = ProcedureVersion.Status.PUBLISHED
    version.published_at = now
    version.published_by = actor
    version.effective_from = effective_from
    version.save(update_fields=["status", "published_at", "published_by", "effective_from"])
    procedure.current_version = version
    procedure.search_name = fold(version.name)
    procedure.search_code = procedure.code
    procedure.save(update_fields=["current_version", "search_name", "search_code"])
    procedure_published.send(sender=Procedure, procedure=procedure, version=version)


@transaction.atomic
def procedure_publish(
    *,
    agency: Agency,
    spec: ProcedureSpec,
    actor=None,
    effective_from: datetime | None = None,
    resolver: SpecResolver | None = None,
) -> tuple[ProcedureVersion, bool]:
    """Publish `spec` as the procedure's current version.

    Returns the version in force and whether a new one was made: publishing what is
    already in force changes nothing, so loading the same data twice is harmless.
    """
    spec = _normalised(spec)
    resolver = resolver or SpecResolver(agency)
    errors = resolver.errors(spec)
    if errors:
        raise ApplicationError(
            _("Thủ tục %(code)s không hợp lệ: %(errors)s") % {"code": spec.code, "errors": " ".join(errors)},
            code="invalid_procedure",
            details=errors,
        )
    procedure, _created = Procedure.objects.select_for_update().get_or_create(
        code=spec.code, defaults={"agency": agency}
    )
    if procedure.agency_id != agency.pk:
        raise Conflict(
            _("Thủ tục %(code)s thuộc cơ quan khác.") % {"code": spec.code}, code="procedure_of_other_agency"
        )
    if procedure.annual_volume != spec.annual_volume:
        procedure.annual_volume = spec.annual_volume
        procedure.save(update_fields=["annual_volume"])
    current = procedure.current_version
    if current is not None and spec_from_version(current).content() == spec.content():
        return current, False
    procedure.versions.filter(status=ProcedureVersion.Status.DRAFT).delete()
    version = _version_create(
        procedure=procedure,
        spec=spec,
        resolver=resolver,
        status=ProcedureVersion.Status.DRAFT,
        number=_next_number(procedure),
    )
    _make_current(procedure=procedure, version=version, actor=actor, effective_from=effective_from)
    return version, True


@transaction.atomic
def procedure_draft_create(*, procedure: Procedure, actor=None) -> ProcedureVersion:
    """Open a draft copy of the current version for editing (or return the open one)."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    draft = procedure.versions.filter(status=ProcedureVersion.Status.DRAFT).first()
    if draft is not None:
        return draft
    if procedure.current_version is None:
        raise ApplicationError(_("Thủ tục chưa có phiên bản nào để sao chép."), code="no_version")
    spec = spec_from_version(procedure.current_version)
    return _version_create(
        procedure=procedure,
        spec=spec,
        resolver=SpecResolver(procedure.agency),
        status=ProcedureVersion.Status.DRAFT,
        number=_next_number(procedure),
    )


@transaction.atomic
def procedure_version_publish(
    *, version: ProcedureVersion, actor=None, effective_from: datetime | None = None
) -> ProcedureVersion:
    """Publish an edited draft after checking every catalogue rule."""
    version = ProcedureVersion.objects.select_for_update().select_related("procedure").get(pk=version.pk)
    if version.status == ProcedureVersion.Status.PUBLISHED:
        return version
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    errors = SpecResolver(procedure.agency).errors(spec_from_version(version))
    if errors:
        raise ApplicationError(" ".join(errors), code="invalid_procedure", details=errors)
    _make_current(procedure=procedure, version=version, actor=actor, effective_from=effective_from)
    return version


@dataclass
class ImportReport:
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    form_templates: int = 0


def catalogue_import(*, agency: Agency, data: bytes, actor=None) -> ImportReport:
    """Publish every procedure of an uploaded workbook, or nothing at all.

    Every problem is collected first, each with its sheet and row; any problem refuses
    the whole file. Procedures whose content did not change keep their version.
    """
    parsed = workbook_to_specs(data)
    errors = list(parsed.errors)
    resolver = SpecResolver(agency)
    other_agency_codes = set(
        Procedure.objects.filter(code__in=[spec.code for _row, spec in parsed.specs])
        .exclude(agency=agency)
        .values_list("code", flat=True)
    )
    for row, spec in parsed.specs:
        problems = resolver.errors(_normalised(spec))
        if spec.code in other_agency_codes:
            problems.append(_("Thủ tục %(code)s thuộc cơ quan khác.") % {"code": spec.code})
        errors.extend(RowError(SHEET_PROCEDURES, row, message) for message in problems)
    if not errors and not parsed.specs:
        errors.append(RowError(SHEET_PROCEDURES, 2, _("Tệp không có thủ tục nào.")))
    if errors:
        errors.sort(key=lambda e: (e.sheet != SHEET_PROCEDURES, e.sheet, e.row))
        raise ApplicationError(
            _("Không nhập được tệp: có %(n)s lỗi, chưa có thay đổi nào được lưu.") % {"n": len(errors)},
            code="import_failed",
            details=[str(e) for e in errors],
        )
    report = ImportReport()
    existing = set(Procedure.objects.filter(current_version__isnull=False).values_list("code", flat=True))
    with transaction.atomic():
        for _row, spec in parsed.specs:
            _version, changed = procedure_publish(agency=agency, spec=spec, actor=actor, resolver=resolver)
            if not changed:
                report.unchanged += 1
            elif spec.code in existing:
                report.new_versions += 1
            else:
                report.created += 1
    report.form_templates = form_templates_import(codes=[spec.code for _row, spec in parsed.specs])
    return report


FORM_FILES_PREFIX = "procedure-forms/"


def _form_files_put(definition, *, addressee: str, digest: str) -> dict[str, str]:
    """Render and store the blank files of a form unless a file of that digest is stored already;
    returns {format: storage name}. Runs before the transaction that references the files."""
    names = {fmt: f"{FORM_FILES_PREFIX}{digest[:2]}/{digest}.{fmt}" for fmt in form_templates.FORMATS}
    blobs_pending(list(names.values()))
    renderers = {"docx": form_templates.render_docx, "pdf": form_templates.render_pdf}
    for fmt, name in names.items():
        if default_storage.exists(name):
            continue
        saved = default_storage.save(name, ContentFile(renderers[fmt](definition, addressee=addressee)))
        if saved != name:  # rendered by another import meanwhile: keep one copy
            default_storage.delete(saved)
    return names


def form_templates_import(*, codes: list[str] | None = None) -> int:
    """Make every template named by a component of a version in force (of the procedures `codes`,
    or of all) a `FormTemplate` with its `.docx` and `.pdf` files; returns how many were made or
    changed. Importing the same catalogue again changes and renders nothing."""
    components = (
        Component.objects.filter(
            version__in=Procedure.objects.filter(current_version__isnull=False).values("current_version")
        )
        .exclude(template_name="")
        .select_related("version__procedure__agency", "form_template")
    )
    if codes is not None:
        components = components.filter(version__procedure__code__in=codes)
    planned = []
    for component in components:
        definition = form_templates.definition_for(template_name=component.template_name, component_name=component.name)
        addressee = component.version.procedure.agency.name
        digest = form_templates.definition_digest(definition, addressee=addressee)
        current = getattr(component, "form_template", None)
        if current is not None and current.digest == digest:
            continue
        names = _form_files_put(definition, addressee=addressee, digest=digest)
        planned.append((component, definition, digest, names))
    with transaction.atomic():
        for component, definition, digest, names in planned:
            FormTemplate.objects.update_or_create(
                component=component,
                defaults={
                    "slug": definition.slug,
                    "title": definition.title,
                    "online": definition.online,
                    "fields": definition.fields_data(),
                    "docx": names["docx"],
                    "pdf": names["pdf"],
                    "digest": digest,
                },
            )
    return len(planned)


@transaction.atomic
def offering_set(
    *,
    procedure: Procedure,
    agency: Agency,
    unit=None,
    online_level: int | None = None,
    local_note: str = "",
) -> Offering:
    """`agency` offers `procedure` (with its lead unit, online level and notes); setting the same
    thing twice changes nothing."""
    if unit is not None and unit.agency_id != agency.pk:
        raise ApplicationError(_("Đơn vị chủ trì phải thuộc cơ quan thực hiện."), code="unit_not_in_agency")
    if online_level is not None and online_level not in ProcedureVersion.OnlineLevel.values:
        raise ApplicationError(_("Mức độ dịch vụ công phải là 2, 3 hoặc 4."), code="invalid_online_level")
    offering, _created = Offering.objects.select_for_update().get_or_create(procedure=procedure, agency=agency)
    values = {"unit": unit, "online_level": online_level, "local_note": nfc((local_note or "").strip())}
    changed = [name for name, value in values.items() if getattr(offering, name) != value]
    for name in changed:
        setattr(offering, name, values[name])
    if changed:
        offering.save(update_fields=changed)
    return offering


@transaction.atomic
def offering_adopt_process(*, offering: Offering, hours: dict[int, int] | None = None) -> list[ProcessStep]:
    """The agency adopts the province's process template of the version in force as its own:
    each step copied, its unit the agency's unit of the same code (none when the agency has no
    such unit), its hours adjusted by `hours` ({step order: hours}). Adopting again replaces the
    agency's process for that version, unless dossiers already ran through it."""
    version = offering.procedure.current_version
    if version is None:
        raise ApplicationError(_("Thủ tục chưa có phiên bản đang áp dụng."), code="no_current_version")
    own = ProcessStep.objects.filter(version=version, offering=offering)
    if own.exists():
        try:
            own.delete()
        except ProtectedError:
            raise Conflict(
                _("Quy trình riêng của cơ quan đã có hồ sơ đi qua; hãy điều chỉnh ở phiên bản sau."),
                code="process_in_use",
            ) from None
    units = {u.code: u for u in unit_list_active(agency=offering.agency)}
    hours = hours or {}
    template = version.steps.filter(offering__isnull=True).select_related("unit", "agency").order_by("order")
    steps = [
        ProcessStep(
            version=version,
            offering=offering,
            order=step.order,
            name=step.name,
            # A step of another agency (liên thông) stays that agency's, with its unit.
            agency=step.agency,
            unit=step.unit if step.agency_id else (units.get(step.unit.code) if step.unit_id else None),
            role=step.role,
            hours=hours.get(step.order, step.hours),
        )
        for step in template
    ]
    total = sum(s.hours for s in steps)
    if total > version.budget_ceiling_hours:
        raise ApplicationError(
            _("Tổng thời gian các bước (%(total)s giờ) vượt thời hạn giải quyết (%(limit)s giờ).")
            % {"total": total, "limit": version.budget_ceiling_hours},
            code="process_over_budget",
        )
    return ProcessStep.objects.bulk_create(steps)


@transaction.atomic
def procedure_withdraw(*, procedure: Procedure) -> bool:
    """The procedure leaves the catalogue (its competence moved to another authority): no version
    is in force any more, so nobody can lodge it; its versions and its dossiers stay. True when
    something changed."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if procedure.current_version_id is None:
        return False
    procedure.current_version = None
    procedure.save(update_fields=["current_version"])
    return True


def search_synonym_save(*, synonym, term: str, expansion: str):
    """Add or change an entry of the search's synonym list; the term is kept folded, so it matches
    however it is typed (GPLX, gplx, G P L X is not one)."""
    from .models import SearchSynonym

    term, expansion = fold(term or ""), nfc((expansion or "").strip())
    if not term or not expansion:
        raise ApplicationError(_("Cần ghi cách viết tắt và tên đầy đủ."), code="invalid_synonym")
    synonym = synonym if synonym is not None else SearchSynonym()
    synonym.term, synonym.expansion = term, expansion
    with transaction.atomic(durable=True):
        if SearchSynonym.objects.exclude(pk=synonym.pk).filter(term=term).exists():
            raise ApplicationError(_("Cách viết “%(term)s” đã có trong danh sách.") % {"term": term}, code="duplicate")
        synonym.save()
    return synonym
