"""Writes for the PAR Index: loading a year's criteria, scoring a criterion, its evidence, the appraisal.

Each write is one transaction that locks the row it changes, returns early when nothing changes,
checks who may do it (`policies`) and appends its audit event. A refused write changes nothing.
"""

import uuid
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, ProtectedError, RestrictedError
from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, Unit, User
from cchc.accounts.selectors import unit_list_active
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.dossiers.codes import DOSSIER_CODE_RE
from cchc.dossiers.models import Dossier
from cchc.reports.config import INDICATOR_CODES

from . import config, criteria_file, policies, scoring
from .models import Criterion, Evidence, ParYear
from .uploads import check_evidence_file, clean_link

YEAR_MIN, YEAR_MAX = 2000, 2100
TITLE_MAX = 255
NOTES_MAX = 5000


def _year_label(par_year: ParYear) -> str:
    return f"{par_year.agency.code}/{par_year.year}"


def _criterion_label(criterion: Criterion) -> str:
    return f"{_year_label(criterion.par_year)}/{criterion.code}"


def parse_score(value, *, maximum: Decimal, label: str) -> Decimal | None:
    """A score typed by a person ("7,5" or "7.5"; empty: none) within [0, maximum], two decimals at most."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(" ", "").replace(",", ".")
    try:
        score = scoring.to_decimal(text)
    except ValueError:
        score = None
    if score is None or not score.is_finite():
        raise ApplicationError(_("%(label)s phải là số, ví dụ 7,5.") % {"label": label}, code="bad_score")
    if score < 0 or score > maximum:
        raise ApplicationError(
            _("%(label)s phải từ 0 đến %(max)s.") % {"label": label, "max": criteria_file.vn_number(maximum)},
            code="score_out_of_range",
        )
    if score != score.quantize(scoring.CENT):
        raise ApplicationError(_("%(label)s chỉ lấy đến hai chữ số thập phân.") % {"label": label}, code="bad_score")
    return score.quantize(scoring.CENT)


# ---------------------------------------------------------------- loading a template


def _refuse(errors: list[str]) -> ApplicationError:
    return ApplicationError(
        _("Không nạp được bộ tiêu chí: %(n)s lỗi, chưa có gì thay đổi.") % {"n": len(errors)},
        code="invalid_template",
        details=errors,
    )


def _would_lose(existing: Criterion, row: criteria_file.RowSpec | None, is_parent: bool) -> str | None:
    """Why replacing `existing` by `row` (None: removed) would lose entered data, if it would."""
    has_data = existing.self_score is not None or existing.appraised_score is not None or existing.evidence_count
    if row is None:
        if has_data:
            return _("tiêu chí %(code)s đã có điểm hoặc tài liệu kiểm chứng nhưng không còn trong tệp.") % {
                "code": existing.code
            }
        return None
    if is_parent and (existing.self_score is not None or existing.appraised_score is not None):
        return _("tiêu chí %(code)s đã có điểm nhưng trong tệp lại có tiêu chí con.") % {"code": existing.code}
    for score in (existing.self_score, existing.appraised_score):
        if score is not None and score > row.max_points:
            return _("tiêu chí %(code)s đã có điểm %(score)s, lớn hơn điểm tối đa mới %(max)s.") % {
                "code": existing.code,
                "score": criteria_file.vn_number(score),
                "max": criteria_file.vn_number(row.max_points),
            }
    return None


def _plain(value):
    """A related object compares by its primary key."""
    return value.pk if hasattr(value, "pk") else value


def _field_value(criterion: Criterion, name: str):
    if name in ("parent", "responsible_unit"):
        return getattr(criterion, f"{name}_id")
    return getattr(criterion, name)


@transaction.atomic
def par_year_load(
    *, agency: Agency, year: int, data: bytes, filename: str, actor: User | None, ip: str | None = None
) -> ParYear:
    """Load (or reload) the year's criteria tree from a YAML or .xlsx template, all or nothing.

    Reloading updates criteria by code and keeps their scores, notes and evidence (and the unit
    assigned on the page where the file leaves the unit empty); it is refused
    when it would drop a criterion holding a score or evidence, or put a score above its new
    maximum. Loading the same file again changes nothing."""
    if actor is not None and not policies.may_manage(actor, agency.pk):
        raise PermissionDenied(_("Bạn không có quyền nạp bộ tiêu chí chỉ số CCHC."), code="not_allowed")
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise ApplicationError(
            _("Năm đánh giá phải từ %(a)s đến %(b)s.") % {"a": YEAR_MIN, "b": YEAR_MAX}, code="bad_year"
        )
    spec = criteria_file.read_template(data, filename=filename)
    units = {unit.code: unit for unit in unit_list_active(agency=agency)}
    errors = spec.errors + criteria_file.check(spec, unit_codes=set(units), indicator_codes=set(INDICATOR_CODES))
    if errors:
        raise _refuse(errors)

    rows = sorted(spec.rows, key=lambda row: scoring.code_key(row.code))
    parents = {scoring.parent_code(row.code) for row in rows}
    par_year = ParYear.objects.select_for_update().filter(agency=agency, year=year).first()
    created = par_year is None
    if created:
        par_year = ParYear.objects.create(agency=agency, year=year, target=config.par_target())
    existing = {
        c.code: c
        for c in Criterion.objects.select_for_update(of=("self",))
        .select_related("responsible_unit")
        .filter(par_year=par_year)
    }
    # Counted apart: PostgreSQL refuses FOR UPDATE with GROUP BY.
    evidence_counts = dict(
        Evidence.objects.filter(criterion__par_year=par_year)
        .values("criterion_id")
        .annotate(n=Count("id"))
        .values_list("criterion_id", "n")
    )
    for criterion in existing.values():
        criterion.evidence_count = evidence_counts.get(criterion.pk, 0)
    by_code = {row.code: row for row in rows}
    problems = [
        problem
        for code, criterion in existing.items()
        if (problem := _would_lose(criterion, by_code.get(code), code in parents))
    ]
    if problems:
        raise _refuse(problems)

    saved: dict[str, Criterion] = {}
    added = updated = 0
    for order, row in enumerate(rows, start=1):
        values = {
            "parent": saved.get(scoring.parent_code(row.code)),
            "name": row.name,
            "order": order,
            "max_points": row.max_points,
            "method": row.method,
            "indicator": row.indicator,
            "guidance": row.guidance,
            "responsible_unit": units.get(row.unit_code),
        }
        criterion = existing.get(row.code)
        if criterion is not None and not row.unit_code:
            # An empty unit cell keeps the unit assigned on the page.
            values["responsible_unit"] = criterion.responsible_unit
        if criterion is None:
            saved[row.code] = Criterion.objects.create(par_year=par_year, code=row.code, **values)
            added += 1
            continue
        changed = [name for name, value in values.items() if _field_value(criterion, name) != _plain(value)]
        if changed:
            for name in changed:
                setattr(criterion, name, values[name])
            criterion.save(update_fields=changed)
            updated += 1
        saved[row.code] = criterion
    removed = [code for code in existing if code not in by_code]
    try:
        # Deepest first, so that no parent goes before its children.
        for code in sorted(removed, key=scoring.code_key, reverse=True):
            existing[code].delete()
    except (ProtectedError, RestrictedError):
        raise Conflict(
            _("Không nạp được bộ tiêu chí: có tiêu chí bị bỏ đi đang được dùng ở nơi khác (nhiệm vụ khắc phục)."),
            code="criterion_in_use",
        ) from None

    meta = {"template_name": spec.name or filename[:255], "is_sample": spec.sample, "template_note": spec.note}
    meta_changed = [name for name, value in meta.items() if getattr(par_year, name) != value]
    for name in meta_changed:
        setattr(par_year, name, meta[name])
    if meta_changed:
        par_year.save(update_fields=meta_changed)
    if created or added or updated or removed or meta_changed:
        audit_record(
            action="reform.par_year_load",
            actor=actor,
            object_type="par_year",
            object_id=_year_label(par_year),
            ip=ip,
            data={
                "year": year,
                "template": par_year.template_name,
                "sample": par_year.is_sample,
                "criteria": len(rows),
                "added": added,
                "updated": updated,
                "removed": sorted(removed, key=scoring.code_key),
            },
        )
    return par_year


# ---------------------------------------------------------------- a criterion


def _lock_criterion(criterion: Criterion) -> Criterion:
    locked = (
        Criterion.objects.select_for_update(of=("self",))
        .select_related("par_year__agency", "responsible_unit")
        .filter(pk=criterion.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("Không tìm thấy tiêu chí."), code="criterion_not_found")
    return locked


def _is_parent(criterion: Criterion) -> bool:
    return Criterion.objects.filter(parent_id=criterion.pk).exists()


@transaction.atomic
def criterion_update(
    *,
    criterion: Criterion,
    actor: User,
    self_score: Decimal | str | None,
    notes: str,
    responsible_unit: Unit | None,
    ip: str | None = None,
) -> Criterion:
    """Set a criterion's self-score (or the score entered from a survey), notes and responsible unit.

    A unit head may change the first two for their unit's criteria; only the reform officer or the
    administrator assigns the unit. A parent's score is the sum of its children's, and a computed
    criterion takes its score from the live indicator, so neither takes a self-score."""
    criterion = _lock_criterion(criterion)
    if not policies.may_edit_criterion(actor, criterion):
        raise PermissionDenied(_("Bạn không được sửa tiêu chí này."), code="not_allowed")
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise ApplicationError(_("Ghi chú dài quá %(n)s ký tự.") % {"n": NOTES_MAX}, code="notes_too_long")
    if self_score is not None:
        if _is_parent(criterion):
            raise ApplicationError(
                _("Điểm của tiêu chí này là tổng điểm các tiêu chí con; hãy chấm từng tiêu chí con."),
                code="parent_score",
            )
        if criterion.method == Criterion.Method.INDICATOR:
            raise ApplicationError(
                _("Tiêu chí này được tính tự động từ chỉ số của hệ thống, không tự chấm."), code="computed_score"
            )
        self_score = parse_score(self_score, maximum=criterion.max_points, label=_("Điểm tự đánh giá"))
    if responsible_unit is not None and responsible_unit.agency_id != criterion.par_year.agency_id:
        raise NotFound(_("Không tìm thấy đơn vị."), code="unit_not_found")
    new_unit_id = responsible_unit.pk if responsible_unit is not None else None
    if new_unit_id != criterion.responsible_unit_id and not policies.may_manage(actor, criterion.par_year.agency_id):
        raise PermissionDenied(
            _("Chỉ cán bộ phụ trách CCHC giao đơn vị chịu trách nhiệm cho tiêu chí."), code="not_allowed"
        )
    before = {
        "self_score": criterion.self_score,
        "notes": criterion.notes,
        "unit": criterion.responsible_unit.code if criterion.responsible_unit_id else "",
    }
    after = {
        "self_score": self_score,
        "notes": notes,
        "unit": responsible_unit.code if responsible_unit is not None else "",
    }
    if before == after:
        return criterion
    criterion.self_score, criterion.notes, criterion.responsible_unit = self_score, notes, responsible_unit
    criterion.save(update_fields=["self_score", "notes", "responsible_unit"])
    audit_record(
        action="reform.criterion_update",
        actor=actor,
        object_type="par_criterion",
        object_id=_criterion_label(criterion),
        ip=ip,
        data={
            key: {"from": before[key], "to": after[key]}
            for key in before
            if before[key] != after[key] and key != "notes"
        }
        | ({"notes_changed": True} if before["notes"] != after["notes"] else {}),
    )
    return criterion


# ---------------------------------------------------------------- evidence


def _evidence_link(value: str, *, agency: Agency) -> str:
    """A dossier code of the agency becomes the path of its page; anything else must be a link."""
    text = (value or "").strip()
    if DOSSIER_CODE_RE.fullmatch(text):
        if not Dossier.objects.filter(agency=agency, code=text).exists():
            raise ApplicationError(_("Không tìm thấy hồ sơ %(code)s.") % {"code": text}, code="dossier_not_found")
        return reverse("dossiers:office_detail", kwargs={"code": text})
    return clean_link(text)


@transaction.atomic
def evidence_add(
    *,
    criterion: Criterion,
    actor: User,
    title: str,
    file=None,
    link: str = "",
    ip: str | None = None,
) -> Evidence:
    """Attach a document (PDF, JPEG, PNG, DOCX, XLSX; checked by content) or a link to a record of
    the system (a dossier code, a site path or an http(s) address) to a criterion."""
    criterion = _lock_criterion(criterion)
    if not policies.may_edit_criterion(actor, criterion):
        raise PermissionDenied(_("Bạn không được thêm tài liệu kiểm chứng cho tiêu chí này."), code="not_allowed")
    link = (link or "").strip()
    if (file is None) == (not link):
        raise ApplicationError(
            _("Chọn một tệp hoặc nhập một liên kết (một trong hai)."), code="file_or_link", details=[("file", "")]
        )
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX:
        raise ApplicationError(_("Tên tài liệu dài quá %(n)s ký tự.") % {"n": TITLE_MAX}, code="title_too_long")
    evidence = Evidence(criterion=criterion, added_by=actor)
    stored = ""
    if file is not None:
        checked = check_evidence_file(file)
        original = (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
        evidence.title = title or original or _("Tài liệu kiểm chứng")
        evidence.original_name = original
        evidence.content_type, evidence.size, evidence.sha256 = checked.content_type, checked.size, checked.sha256
    else:
        evidence.link = _evidence_link(link, agency=criterion.par_year.agency)
        evidence.title = title or evidence.link[:TITLE_MAX]
    try:
        if file is not None:
            evidence.file.save(f"{uuid.uuid4().hex}{checked.extension}", file, save=False)
            stored = evidence.file.name
        evidence.save()
        audit_record(
            action="reform.evidence_add",
            actor=actor,
            object_type="par_criterion",
            object_id=_criterion_label(criterion),
            ip=ip,
            data={
                "evidence": evidence.pk,
                "title": evidence.title,
                "link": evidence.link,
                "sha256": evidence.sha256,
                "size": evidence.size,
            },
        )
    except BaseException:
        # The file is written before the row: a failed write must not leave it behind.
        if stored:
            evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: User, ip: str | None = None) -> None:
    """Remove a piece of evidence (the stored file goes once the removal is committed).
    Removing one already gone changes nothing."""
    locked = (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("criterion__par_year__agency")
        .filter(pk=evidence.pk)
        .first()
    )
    if locked is None:
        return
    criterion = locked.criterion
    if not policies.may_edit_criterion(actor, criterion):
        raise PermissionDenied(_("Bạn không được xóa tài liệu kiểm chứng của tiêu chí này."), code="not_allowed")
    name = locked.file.name if locked.file else ""
    data = {"evidence": locked.pk, "title": locked.title, "link": locked.link, "sha256": locked.sha256}
    locked.delete()
    if name:
        storage = Evidence._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))
    audit_record(
        action="reform.evidence_remove",
        actor=actor,
        object_type="par_criterion",
        object_id=_criterion_label(criterion),
        ip=ip,
        data=data,
    )


# ---------------------------------------------------------------- the appraisal


@transaction.atomic
def par_year_appraise(
    *,
    par_year: ParYear,
    actor: User,
    scores: dict[str, object],
    appraised_on: date,
    ip: str | None = None,
) -> ParYear:
    """Enter the province's appraised scores (by leaf code; empty: none) and the date of the result.

    Only the reform officer or the administrator; every score within [0, max]; a code that is not
    a leaf of the year is refused. Entering the same figures again changes nothing."""
    par_year = ParYear.objects.select_for_update().select_related("agency").filter(pk=par_year.pk).first()
    if par_year is None:
        raise NotFound(_("Không tìm thấy năm đánh giá."), code="par_year_not_found")
    if not policies.may_manage(actor, par_year.agency_id):
        raise PermissionDenied(_("Chỉ cán bộ phụ trách CCHC nhập kết quả thẩm định."), code="not_allowed")
    today = clock.localdate()
    if appraised_on is None or appraised_on > today or appraised_on < date(par_year.year, 1, 1):
        raise ApplicationError(
            _("Ngày có kết quả thẩm định phải từ 01/01/%(year)s đến hôm nay.") % {"year": par_year.year},
            code="bad_appraisal_date",
            details=[("appraised_on", "")],
        )
    criteria = list(Criterion.objects.select_for_update().filter(par_year=par_year).order_by("order"))
    parents = {c.parent_id for c in criteria if c.parent_id}
    leaves = {c.code: c for c in criteria if c.pk not in parents}
    errors, values = [], {}
    for code, raw in scores.items():
        leaf = leaves.get(code)
        if leaf is None:
            errors.append((code, _("Không có tiêu chí lá mã %(code)s.") % {"code": code}))
            continue
        try:
            values[code] = parse_score(
                raw, maximum=leaf.max_points, label=_("Điểm thẩm định tiêu chí %(code)s") % {"code": code}
            )
        except ApplicationError as exc:
            errors.append((code, exc.message))
    if errors:
        raise ApplicationError(
            _("Chưa lưu được kết quả thẩm định: %(n)s lỗi.") % {"n": len(errors)},
            code="invalid_appraisal",
            details=errors,
        )
    changed = {}
    for code, value in values.items():
        leaf = leaves[code]
        if leaf.appraised_score != value:
            changed[code] = {"from": leaf.appraised_score, "to": value}
            leaf.appraised_score = value
            leaf.save(update_fields=["appraised_score"])
    date_changed = par_year.appraised_on != appraised_on
    if date_changed:
        par_year.appraised_on = appraised_on
        par_year.save(update_fields=["appraised_on"])
    if changed or date_changed:
        audit_record(
            action="reform.par_year_appraise",
            actor=actor,
            object_type="par_year",
            object_id=_year_label(par_year),
            ip=ip,
            data={"appraised_on": appraised_on, "scores": changed},
        )
    return par_year
