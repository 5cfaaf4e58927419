"""Signing a dossier's result through the `sign_result` action, and checking signed files."""

import hashlib
from io import BytesIO

import pytest
from pypdf import PdfReader

from cchc.audit.models import AuditEvent
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.dossiers.models import StoredDocument
from cchc.dossiers.policies import available_actions
from cchc.dossiers.services import position_of
from cchc.dossiers.tests.helpers import act, user
from cchc.results import services
from cchc.results.certificates import make_demo_certificate
from cchc.results.models import ResultDraft, SignedResult
from cchc.results.rendering import Composition, verification_url
from cchc.results.signing import sign_pdf
from cchc.results.verification import verify_pdf
from conftest import SIGNING_PASSWORD


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def stored_bytes(result: SignedResult) -> bytes:
    with result.file.open("rb") as handle:
        return handle.read()


def can_sign(username: str, dossier) -> bool:
    return "sign_result" in available_actions(user(username), dossier, position_of(dossier))


def test_only_a_leader_is_offered_signing_an_approved_electronic_result(approved):
    assert can_sign("lanhdao", approved)
    for username in ("truongphong", "chuyenvien", "motcua", "congdan", "cchc"):
        assert not can_sign(username, approved), username
    with pytest.raises(PermissionDenied):
        act(approved, "truongphong", "sign_result")
    assert not SignedResult.objects.filter(dossier=approved).exists()


def test_signing_keeps_a_valid_signed_pdf_and_the_dossier_has_an_electronic_result(signed):
    dossier = signed.dossier
    dossier.refresh_from_db()
    assert dossier.status == "approved"  # signing does not move the dossier
    assert hasattr(dossier, "signed_result")
    data = stored_bytes(signed)
    assert hashlib.sha256(data).hexdigest() == signed.sha256
    assert signed.size == len(data)
    assert signed.signer.username == "lanhdao"
    assert signed.kind == "licence" and signed.name == "Giấy phép lái xe"

    report = verify_pdf(data)
    assert report.valid, report.reason
    assert report.matches_record and report.record == signed
    assert report.signer == "Sở Giao thông vận tải tỉnh Bình Sơn (minh họa)"
    assert report.signed_at == signed.signed_at

    text = pdf_text(data)
    assert dossier.code in text
    assert verification_url(signed.pk) in text.replace("\n", "")
    assert "GIẤY PHÉP LÁI XE" in text
    assert "Nguyễn Văn An" in text

    event = dossier.events.order_by("-at", "-id").first()
    assert event.action == "sign_result" and event.reason == "Đã ký số kết quả"
    assert AuditEvent.objects.filter(action="result.signed", data__sha256=signed.sha256).exists()


def test_a_signed_result_is_not_signed_again(signed):
    dossier = signed.dossier
    assert not can_sign("lanhdao", dossier)
    with pytest.raises(Conflict):
        act(dossier, "lanhdao", "sign_result")
    assert SignedResult.objects.filter(dossier=dossier).count() == 1


def test_the_composition_is_what_gets_signed_with_the_previewed_qr_code(approved):
    draft = services.result_draft_save(
        dossier=approved,
        user=user("chuyenvien"),
        composition=Composition(number="125/GP-SGTVT", body="Hạng B, có giá trị sử dụng trên toàn quốc."),
    )
    preview = services.result_preview(dossier=approved, user=user("truongphong"))
    assert "BẢN XEM TRƯỚC" in pdf_text(preview)
    assert verify_pdf(preview).valid is False  # a preview is never signed

    dossier = act(approved, "lanhdao", "sign_result", comment="Ký theo tờ trình")
    result = dossier.signed_result
    assert result.pk == draft.result_id
    assert result.number == "125/GP-SGTVT"
    text = pdf_text(stored_bytes(result))
    assert "Số: 125/GP-SGTVT" in text
    assert "Hạng B, có giá trị sử dụng trên toàn quốc." in text
    assert "BẢN XEM TRƯỚC" not in text
    assert "Ký theo tờ trình" in dossier.events.get(action="sign_result").reason


def test_an_altered_copy_is_reported_invalid(signed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    original = stored_bytes(signed)
    flipped = bytearray(original)
    flipped[400] ^= 0x01  # inside the signed byte range
    report = verify_pdf(bytes(flipped))
    assert (report.valid, report.matches_record) == (False, False)

    writer = IncrementalPdfFileWriter(BytesIO(original))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    extra = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (GIA MAO) Tj ET"))
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), extra])
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert (report.valid, report.matches_record) == (False, False)
    assert "sau khi ký" in report.reason


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"%PDF-1.7\nnot really a pdf", b"%PDF-1.4\n% test document\n", bytes(range(256)) * 10],
)
def test_garbage_is_reported_invalid_without_an_error(db, data):
    report = verify_pdf(data)
    assert report.valid is False and report.matches_record is False
    assert report.reason


def test_a_pdf_signed_with_another_certificate_is_not_trusted(signed, tmp_path, settings):
    rendered_pdf = services.result_preview(dossier=signed.dossier, user=user("lanhdao"))
    agency_path = settings.CCHC_SIGNING_P12_PATH
    other = tmp_path / "other.p12"
    make_demo_certificate(other, SIGNING_PASSWORD)  # same names, another key: a forgery
    settings.CCHC_SIGNING_P12_PATH = str(other)
    forged, _certificate = sign_pdf(
        rendered_pdf,
        page=0,
        box=(300, 60, 500, 120),
        stamp_lines=["Giả mạo"],
        signing_time=signed.signed_at,
        reason="x",
        location="y",
    )
    settings.CCHC_SIGNING_P12_PATH = agency_path
    report = verify_pdf(forged)
    assert report.valid is False
    assert "không phải của cơ quan" in report.reason


def test_signing_without_a_certificate_changes_nothing(approved, settings):
    settings.CCHC_SIGNING_P12_PATH = "/nonexistent/agency.p12"
    with pytest.raises(ApplicationError) as error:
        act(approved, "lanhdao", "sign_result")
    assert "chứng thư số" in error.value.message
    assert not SignedResult.objects.filter(dossier=approved).exists()
    assert not approved.events.filter(action="sign_result").exists()


def test_only_specialists_unit_heads_and_leaders_compose(approved):
    for username in ("chuyenvien", "truongphong", "lanhdao"):
        services.result_draft_save(dossier=approved, user=user(username), composition=Composition(notes=username))
    for username in ("motcua", "cchc", "congdan"):
        with pytest.raises(PermissionDenied):
            services.result_draft_save(dossier=approved, user=user(username), composition=Composition())
    assert ResultDraft.objects.get(dossier=approved).notes == "lanhdao"


def test_a_signed_result_cannot_be_recomposed(signed):
    with pytest.raises(Conflict):
        services.result_draft_save(dossier=signed.dossier, user=user("chuyenvien"), composition=Composition())


def test_the_result_joins_the_applicants_store_only_when_returned(signed):
    dossier = signed.dossier
    assert not StoredDocument.objects.filter(kind="result", source_dossier=dossier).exists()
    dossier = act(dossier, "motcua", "result_ready")
    dossier = act(dossier, "motcua", "return_result")
    stored = StoredDocument.objects.get(kind="result", source_dossier=dossier)
    assert stored.sha256 == signed.sha256 and stored.owner.username == "congdan"
    assert stored.file.name == signed.file.name


def test_an_unsigned_electronic_result_never_reaches_the_counter(approved):
    from cchc.dossiers.models import DossierEvent

    events = (DossierEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Conflict, match="Kết quả điện tử chưa được ký số"):
        act(approved, "motcua", "result_ready")
    approved.refresh_from_db()
    assert approved.status == "approved"
    assert (DossierEvent.objects.count(), AuditEvent.objects.count()) == events
    signed = act(approved, "lanhdao", "sign_result")
    assert act(signed, "motcua", "result_ready").status == "result_ready"


def test_a_paper_result_goes_to_the_counter_without_a_signature(approved):
    assert services.signature_guard(approved, "result_ready")
    approved.procedure_version.result_type = "paper"
    assert services.signature_guard(approved, "result_ready") is None


def test_the_result_is_rendered_and_signed_before_the_dossier_is_locked(approved, monkeypatch):
    from django.db import connection

    from cchc.core.models import PendingFile
    from cchc.dossiers import hooks

    outer = len(connection.atomic_blocks)  # the test's own transaction
    seen = []
    prepare = hooks.action_preparer("sign_result")

    def watching(dossier, **kwargs):
        seen.append(len(connection.atomic_blocks))
        return prepare(dossier, **kwargs)

    monkeypatch.setitem(hooks._action_preparers, "sign_result", watching)
    result = act(approved, "lanhdao", "sign_result").signed_result
    assert seen == [outer]  # no transaction of the action open while rendering and signing
    # Content-addressed, and known to the sweep until it is referenced.
    assert result.file.name == f"blobs/{result.sha256[:2]}/{result.sha256}.pdf"
    assert PendingFile.objects.filter(name=result.file.name).exists()
    assert hashlib.sha256(stored_bytes(result)).hexdigest() == result.sha256


def test_a_composition_changed_while_signing_is_refused_and_leaves_no_file(approved, monkeypatch):
    from django.core.files.storage import default_storage

    from cchc.core.models import PendingFile
    from cchc.dossiers import hooks

    services.result_draft_save(
        dossier=approved, user=user("chuyenvien"), composition=Composition(number="12/GP", body="Lần một")
    )
    prepare = hooks.action_preparer("sign_result")
    stored = []

    def edited_meanwhile(dossier, **kwargs):
        prepared = prepare(dossier, **kwargs)
        stored.append(prepared.blob.name)
        services.result_draft_save(
            dossier=approved, user=user("chuyenvien"), composition=Composition(number="12/GP", body="Lần hai")
        )
        return prepared

    monkeypatch.setitem(hooks._action_preparers, "sign_result", edited_meanwhile)
    with pytest.raises(Conflict) as error:
        act(approved, "lanhdao", "sign_result")
    assert "vừa được sửa" in error.value.message
    assert not SignedResult.objects.filter(dossier=approved).exists()
    assert not approved.events.filter(action="sign_result").exists()
    assert stored and not default_storage.exists(stored[0])
    assert not PendingFile.objects.filter(name=stored[0]).exists()


def test_a_leaders_approval_is_committed_before_its_signing_follow_on_renders(demo, signing, monkeypatch):
    from django.db import connection, transaction

    from cchc.dossiers import hooks
    from cchc.dossiers.services import ActionInput, dossier_act_with_follow_ons
    from cchc.dossiers.tests.helpers import drive_to_decision_step

    from .conftest import paid_submission

    dossier = drive_to_decision_step(paid_submission())
    outer = len(connection.atomic_blocks)
    seen = []
    prepare = hooks.action_preparer("sign_result")

    def watching(current, **kwargs):
        seen.append((len(connection.atomic_blocks), current.status))
        return prepare(current, **kwargs)

    monkeypatch.setitem(hooks._action_preparers, "sign_result", watching)
    outcome = dossier_act_with_follow_ons(
        dossier=dossier, actor=user("lanhdao"), action="approve", data=ActionInput(comment="Đồng ý")
    )
    assert outcome.done[:2] == ["approve", "sign_result"]
    assert seen == [(outer, "approved")]  # rendered outside any transaction, the approval already saved
    # dossier_act is a top-level service: nothing may wrap it.
    with pytest.raises(RuntimeError), transaction.atomic():
        act(outcome.dossier, "lanhdao", "sign_result")
