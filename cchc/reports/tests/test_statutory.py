"""The statutory report on handling procedures: a hand-counted month, the balance on random
histories, the spreadsheet, the PDF and who may open the page."""

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from io import BytesIO
from unittest import mock

import pytest
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from cchc.accounts.models import User
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError
from cchc.demo.dossiers import load_demo_dossiers
from cchc.dossiers.models import Apology, Dossier, DossierEvent, SupplementRequest
from cchc.dossiers.services import DocumentInput, dossier_counter_intake
from cchc.dossiers.tests.helpers import CITIZEN, act, frozen, submit, user
from cchc.dossiers.workflow import Status
from cchc.procedures.models import Procedure
from cchc.reports.statutory import (
    COLUMN_COUNT,
    LABEL_COLUMNS,
    Counts,
    bounds,
    dossier_columns,
    parse_period,
    period_of,
    statutory_report,
    statutory_report_pdf,
    statutory_report_xlsx,
)

LICENCE = "2.000635"  # trainee-vehicle permit: 3 working days, 5 steps, no fee, field GTDB
BADGE = "1.002843"  # bus badge: 2 working days, 4 steps, no fee, field VTDB
NOVEMBER = (date(2025, 11, 1), date(2025, 11, 30))


def vn(month: int, day: int, hour: int, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


# ---------------------------------------------------------------- building dossiers through the services


def online(code: str, at: datetime, *, receive: bool = True) -> Dossier:
    with frozen(at):
        dossier = submit(code=code)
        return act(dossier, "motcua", "receive") if receive else dossier


def counter(code: str, at: datetime, *, decision: str = "receive") -> Dossier:
    procedure = Procedure.objects.get(code=code)
    with frozen(at):
        return dossier_counter_intake(
            officer=user("motcua"),
            procedure=procedure,
            applicant=CITIZEN,
            return_method="counter",
            documents=[
                DocumentInput(component_id=c.pk, paper=True) for c in procedure.current_version.components.all()
            ],
            decision=decision,
            reason="Thủ tục không thuộc thẩm quyền của Sở." if decision == "refuse" else "",
        )


def by_post(code: str, at: datetime) -> Dossier:
    """No service takes postal submissions yet: a counter reception relabelled as postal."""
    dossier = counter(code, at)
    Dossier.objects.filter(pk=dossier.pk).update(channel="post")
    return dossier


def finish(dossier: Dossier, at: datetime) -> Dossier:
    """Through every step at `at`, up to the result being ready (the end of processing)."""
    with frozen(at):
        dossier = act(dossier, "motcua", "forward")
        dossier = act(dossier, "truongphong", "assign", assignee="chuyenvien")
        dossier = act(dossier, "chuyenvien", "forward", comment="Đủ điều kiện")
        if dossier.procedure_version.steps.count() == 5:
            dossier = act(dossier, "truongphong", "forward")
            dossier = act(dossier, "lanhdao", "approve")
        else:
            dossier = act(dossier, "truongphong", "approve")
        return act(dossier, "motcua", "result_ready")


def at(moment: datetime, username: str, action: str, dossier: Dossier, **data) -> Dossier:
    with frozen(moment):
        return act(dossier, username, action, **data)


@pytest.fixture
def november(demo):
    """Dossiers in and around November 2025, with the column each one falls in."""
    # Carried over from October (three working days: due at the same hour three working days on).
    finish(counter(LICENCE, vn(10, 27, 9)), vn(10, 29, 10))  # finished before the period: not counted
    late = online(LICENCE, vn(10, 28, 9))
    assert late.due_at == vn(10, 31, 9)
    finish(late, vn(11, 3, 10))  # carried over, finished late
    on_time = counter(LICENCE, vn(10, 30, 9))
    assert on_time.due_at == vn(11, 4, 9)
    finish(on_time, vn(11, 4, 8))  # carried over, finished on the due day
    counter(LICENCE, vn(10, 31, 14))  # carried over, still open and late (due 05/11 14:00)
    at(vn(10, 30, 10), "congdan", "withdraw", online(LICENCE, vn(10, 29, 9)))  # withdrawn before: not counted
    at(vn(11, 5, 10), "congdan", "withdraw", online(LICENCE, vn(10, 30, 10)))  # carried over, withdrawn
    # New in November.
    early = online(LICENCE, vn(11, 10, 9))
    assert early.due_at == vn(11, 13, 9)
    finish(early, vn(11, 11, 15))  # new online, early
    finish(by_post(LICENCE, vn(11, 12, 9)), vn(11, 17, 10))  # new by post, late (due 17/11 09:00)
    at(vn(11, 18, 10), "motcua", "refuse", online(LICENCE, vn(11, 18, 9), receive=False), comment="Sai thẩm quyền")
    stopped = counter(LICENCE, vn(11, 19, 9))  # new at the counter, stopped
    at(vn(11, 21, 10), "lanhdao", "stop", stopped, comment="Người nộp không đủ điều kiện")
    at(vn(11, 20, 10), "congdan", "withdraw", online(LICENCE, vn(11, 20, 9), receive=False))  # never received
    online(LICENCE, vn(11, 25, 9), receive=False)  # submitted, not received yet: not counted
    counter(LICENCE, vn(12, 2, 9))  # after the period: not counted

    within = counter(BADGE, vn(11, 27, 9))
    assert within.due_at == vn(12, 1, 9)  # open, within time: due after the period
    online(BADGE, vn(11, 24, 9))  # open and late: due 26/11 09:00
    paused = online(BADGE, vn(11, 24, 10))
    at(vn(11, 25, 9), "motcua", "request_supplement", paused, comment="Thiếu giấy tờ", items=["Đăng ký xe"])
    counter(BADGE, vn(11, 20, 9), decision="refuse")  # refused at the counter
    finish(counter(BADGE, vn(11, 28, 9)), vn(12, 2, 8))  # finished after the period: open, within time
    at(vn(12, 3, 9), "congdan", "withdraw", online(BADGE, vn(11, 26, 9)))  # withdrawn after: open, late
    return demo


EXPECTED = {
    LICENCE: Counts(
        carried_over=4,
        new_online=1,
        new_counter=1,
        new_post=1,
        finished_early=1,
        finished_on_time=1,
        finished_late=2,
        open_late=1,
        withdrawn=1,
        stopped=1,
        refused=1,
    ),
    BADGE: Counts(new_online=3, new_counter=2, open_within=3, open_late=2, refused=1),
}


def november_report(agency):
    return statutory_report(agency=agency, period_start=NOVEMBER[0], period_end=NOVEMBER[1])


# ---------------------------------------------------------------- the numbers


def test_each_dossier_lands_in_its_column(november):
    report = november_report(november)
    assert [(group.name, [row.code for row in group.rows]) for group in report.groups] == [
        ("Giao thông đường bộ (người lái và sát hạch)", [LICENCE]),
        ("Vận tải đường bộ", [BADGE]),
    ]
    rows = {row.code: row.counts for group in report.groups for row in group.rows}
    assert rows == EXPECTED
    assert [group.subtotal for group in report.groups] == [EXPECTED[LICENCE], EXPECTED[BADGE]]
    assert report.total == EXPECTED[LICENCE] + EXPECTED[BADGE]
    assert report.total.received == 12 and report.total.finished == 4 and report.total.still_open == 6
    assert report.complete and report.period.label == "tháng 11/2025"


def test_every_line_balances(november):
    report = november_report(november)
    lines = [row.counts for group in report.groups for row in group.rows]
    lines += [group.subtotal for group in report.groups] + [report.total]
    for counts in lines:
        assert (
            counts.carried_over + counts.new == counts.finished + counts.still_open + counts.withdrawn + counts.stopped
        )


def test_the_month_before_carries_its_open_dossiers_into_november(november):
    october = statutory_report(agency=november, period_start=date(2025, 10, 1), period_end=date(2025, 10, 31))
    november_counts = november_report(november).total
    assert october.total.still_open == november_counts.carried_over == 4
    assert october.total.finished_early == 1 and october.total.withdrawn == 1


def test_a_running_period_judges_open_dossiers_now(november):
    """On 25/11 at noon the badges due 26/11 and 28/11 are not late yet; a month later they are."""
    with mock.patch("django.utils.timezone.now", return_value=vn(11, 25, 12)):
        report = november_report(november)
    badge = report.groups[1].rows[0].counts
    assert not report.complete
    assert (badge.open_within, badge.open_late) == (5, 0)
    assert (EXPECTED[BADGE].open_within, EXPECTED[BADGE].open_late) == (3, 2)


def test_the_report_takes_four_queries(november, django_assert_num_queries):
    # The handling counts, the endings, the procedures' names, and the agency's inter-agency passages.
    with django_assert_num_queries(4):
        november_report(november)


def test_a_period_without_dossiers_is_an_empty_table(demo):
    report = statutory_report(agency=demo, period_start=date(2020, 1, 1), period_end=date(2020, 12, 31))
    assert report.groups == () and report.total == Counts()
    assert report.period.label == "năm 2020"


def test_a_future_or_reversed_period_is_refused(demo):
    with pytest.raises(ApplicationError, match="chưa bắt đầu"):
        statutory_report(agency=demo, period_start=date(2099, 1, 1), period_end=date(2099, 1, 31))
    with pytest.raises(ApplicationError, match="trước hoặc bằng"):
        statutory_report(agency=demo, period_start=date(2025, 2, 1), period_end=date(2025, 1, 31))


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("kind", "text", "start", "end", "label"),
    [
        ("month", "2026-11", date(2026, 11, 1), date(2026, 11, 30), "tháng 11/2026"),
        ("month", "2/2024", date(2024, 2, 1), date(2024, 2, 29), "tháng 2/2024"),
        ("month", "2025-12", date(2025, 12, 1), date(2025, 12, 31), "tháng 12/2025"),
        ("quarter", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "quý IV/2026"),
        ("quarter", "q1/2026", date(2026, 1, 1), date(2026, 3, 31), "quý I/2026"),
        ("year", " 2026 ", date(2026, 1, 1), date(2026, 12, 31), "năm 2026"),
    ],
)
def test_periods_are_read_and_named_in_vietnamese(kind, text, start, end, label):
    period = parse_period(kind, text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert period_of(start, end) == period


@pytest.mark.parametrize(
    ("kind", "text"), [("month", "2026-13"), ("month", "2026"), ("quarter", "2026-Q5"), ("year", "26"), ("week", "1")]
)
def test_a_malformed_period_gets_a_vietnamese_message(kind, text):
    with pytest.raises(ApplicationError) as error:
        parse_period(kind, text)
    assert "Kỳ báo cáo" in error.value.message or "không hợp lệ" in error.value.message


def test_other_ranges_are_named_by_their_days():
    assert period_of(date(2026, 11, 3), date(2026, 11, 9)).label == "từ ngày 03/11/2026 đến ngày 09/11/2026"


# ---------------------------------------------------------------- the definition against the queries

MINUTE = timedelta(minutes=1)
START, END = (datetime(2025, 11, 1, tzinfo=VN_TZ), datetime(2025, 12, 1, tzinfo=VN_TZ))
KINDS = ("open", "paused", "finished", "withdrawn", "stopped", "refused", "withdrawn_unreceived", "submitted")

histories = st.lists(
    st.fixed_dictionaries(
        {
            "procedure": st.sampled_from((LICENCE, BADGE)),
            "kind": st.sampled_from(KINDS),
            "channel": st.sampled_from(("online", "counter", "post")),
            "received": st.integers(-40 * 1440, 40 * 1440),  # minutes from the start of November
            "limit": st.integers(60, 10 * 1440),  # minutes from reception to the due moment
            "end": st.integers(-3 * 1440, 3 * 1440),  # minutes from the due moment to the ending
            "pause": st.integers(0, 5 * 1440),  # minutes from reception to the pause
            # minutes an apology moved the appointment by (0: no apology); the deadline stays
            "apology": st.sampled_from((0, 0, 1440, 3 * 1440)),
            "supplements": st.integers(0, 2),  # supplementation requests during processing
        }
    ),
    max_size=20,
)


def _insert(agency, history: list[dict]) -> None:
    versions = {
        p.code: p for p in Procedure.objects.filter(code__in=(LICENCE, BADGE)).select_related("current_version")
    }
    events = []
    officer = User.objects.get(username="motcua")
    for item in history:
        procedure = versions[item["procedure"]]
        received = START + item["received"] * MINUTE
        due = received + item["limit"] * MINUTE
        ending = max(received, due + item["end"] * MINUTE)
        kind = item["kind"]
        status = {
            "open": Status.IN_PROGRESS,
            "paused": Status.WAITING_SUPPLEMENT,
            "finished": Status.RETURNED,
            "withdrawn": Status.WITHDRAWN,
            "stopped": Status.STOPPED,
            "refused": Status.REFUSED,
            "withdrawn_unreceived": Status.WITHDRAWN,
            "submitted": Status.SUBMITTED,
        }[kind]
        was_received = kind not in ("refused", "withdrawn_unreceived", "submitted")
        dossier = Dossier.objects.create(
            agency=agency,
            procedure=procedure,
            procedure_version=procedure.current_version,
            status=status,
            channel=item["channel"],
            return_method="online",
            applicant_kind="citizen",
            applicant_name="Nguyễn Văn An",
            received_at=received if was_received else None,
            due_at=due + item["apology"] * MINUTE if was_received else None,
            deadline_at=due if was_received else None,
            processing_supplements=item["supplements"] if was_received else 0,
            finished_at=ending if kind == "finished" else None,
            paused_since=received + item["pause"] * MINUTE if kind == "paused" else None,
        )
        if was_received and item["apology"]:
            Apology.objects.create(
                dossier=dossier,
                reason="Chậm",
                old_due_at=due,
                new_due_at=dossier.due_at,
                issued_at=received,
                issued_by=officer,
            )
        for number in range(item["supplements"] if was_received else 0):
            SupplementRequest.objects.create(
                dossier=dossier,
                stage=SupplementRequest.Stage.PROCESSING,
                items=["Giấy tờ"],
                reason="Thiếu",
                requested_at=received + number * MINUTE,
                requested_by=officer,
                answered_at=received + number * MINUTE,
            )
        if status in (Status.WITHDRAWN, Status.STOPPED, Status.REFUSED):
            events.append(DossierEvent(dossier=dossier, action="withdraw", to_status=status, at=ending))
            # The save that closed it is the last one (updated_at is never before the closing moment).
            Dossier.objects.filter(pk=dossier.pk).update(updated_at=ending)
    DossierEvent.objects.bulk_create(events)


def _reference(agency, as_of: datetime, start: datetime = START, end: datetime = END) -> dict[str, Counts]:
    """The report computed one dossier at a time with `dossier_columns`."""
    closed = dict(
        DossierEvent.objects.filter(
            dossier__agency=agency,
            to_status=F("dossier__status"),
            to_status__in=(Status.WITHDRAWN, Status.STOPPED, Status.REFUSED),
        ).values_list("dossier_id", "at")
    )
    columns: dict[str, Counter] = defaultdict(Counter)
    for dossier in Dossier.objects.filter(agency=agency).select_related("procedure", "apology"):
        for column in dossier_columns(
            status=dossier.status,
            channel=dossier.channel,
            received_at=dossier.received_at,
            finished_at=dossier.finished_at,
            deadline_at=dossier.deadline_at,
            paused_since=dossier.paused_since,
            closed_at=closed.get(dossier.pk),
            start=start,
            end=end,
            as_of=as_of,
            processing_supplements=dossier.processing_supplements,
            apologised=hasattr(dossier, "apology"),
        ):
            columns[dossier.procedure.code][column] += 1
    return {code: Counts(**counter) for code, counter in columns.items() if counter}


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=histories, now_offset=st.integers(0, 45 * 1440))
def test_the_queries_count_what_the_definition_says_and_every_line_balances(demo, history, now_offset):
    now = START + now_offset * MINUTE
    with transaction.atomic():
        _insert(demo, history)
        with mock.patch("django.utils.timezone.now", return_value=now):
            report = november_report(demo)
        expected = _reference(demo, min(END, now))
        transaction.set_rollback(True)
    assert {row.code: row.counts for group in report.groups for row in group.rows} == expected
    assert report.total == sum(expected.values(), Counts())
    assert all(counts.balanced for counts in expected.values())


def test_the_demo_dossiers_balance_month_by_month(demo, signing):
    """The demo generator's dossiers (made through the services: supplements, apologies, refusals,
    withdrawals, fees) over the three months before 20/11/2026, as of that afternoon."""
    now = datetime(2026, 11, 20, 15, 30, tzinfo=VN_TZ)
    load_demo_dossiers(count=30, now=now)
    with mock.patch("django.utils.timezone.now", return_value=now):
        for month in (8, 9, 10, 11):
            period = parse_period("month", f"2026-{month}")
            report = statutory_report(agency=demo, period_start=period.start, period_end=period.end)
            start, end = bounds(period.start, period.end)
            expected = _reference(demo, min(end, now), start, end)
            assert {row.code: row.counts for group in report.groups for row in group.rows} == expected
            assert all(counts.balanced for counts in expected.values())
    assert report.total.received and not report.complete


# ---------------------------------------------------------------- the spreadsheet


def _sheet(report):
    return load_workbook(BytesIO(statutory_report_xlsx(report))).active


def _table(sheet) -> list[list]:
    """The table's body: the rows after the column numbers row `(1) (2) …` up to the empty row."""
    rows = list(sheet.iter_rows(values_only=True))
    first = next(index for index, row in enumerate(rows) if row[0] == "(1)") + 1
    body = []
    for row in rows[first:]:
        if all(value is None for value in row):
            break
        body.append(list(row))
    return body


def test_the_spreadsheet_has_titles_headers_and_totals_that_add_up(november):
    sheet = _sheet(november_report(november))
    texts = [row[0] for row in sheet.iter_rows(max_row=4, values_only=True)]
    assert november.name.upper() in texts[0]
    assert texts[1] == "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert texts[2].startswith("Kỳ báo cáo: tháng 11/2025")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    header = next(row for row in sheet.iter_rows() if row[0].value == "STT")
    top = header[0].row
    assert f"A{top}:A{top + 1}" in merged and f"D{top}:H{top}" in merged
    assert sheet.cell(top, 4).value == "Số hồ sơ nhận giải quyết"
    assert sheet.cell(top + 1, 5).value == "Kỳ trước chuyển qua"
    assert sheet.cell(top, 9).value == "Số hồ sơ đã giải quyết" and sheet.cell(top + 1, 10).value == "Trước hạn"

    body = _table(sheet)
    procedures = [row for row in body if row[1]]
    fields = [row for row in body if row[0] in ("I", "II")]
    total = body[-1]
    assert total[2] == "Tổng cộng"
    assert [row[1] for row in procedures] == [LICENCE, BADGE]
    numbers = range(LABEL_COLUMNS, COLUMN_COUNT)
    assert all(isinstance(row[i], int) for row in body for i in numbers)
    assert [total[i] for i in numbers] == [sum(row[i] for row in procedures) for i in numbers]
    assert [total[i] for i in numbers] == [sum(row[i] for row in fields) for i in numbers]
    assert procedures[0][LABEL_COLUMNS:] == list(EXPECTED[LICENCE].cells())
    assert sheet.cell(top + 3, 1).font.b  # the first field's subtotal row is bold
    assert sheet.freeze_panes == f"D{top + 3}"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4


# ---------------------------------------------------------------- the PDF


def test_the_pdf_is_landscape_with_the_heading_title_and_period(november):
    reader = PdfReader(BytesIO(statutory_report_pdf(november_report(november))))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "Kỳ báo cáo: tháng 11/2025",
        "Vận tải đường bộ",
        "Tổng cộng",
        "THỦ TRƯỞNG CƠ QUAN",
    ):
        assert expected in text
    assert "Ban hành kèm theo" not in text


# ---------------------------------------------------------------- the page


def _get(client, username: str | None, **params):
    if username:
        client.force_login(User.objects.get(username=username))
    return client.get(reverse("reports:statutory"), params)


@pytest.mark.parametrize("username", ["lanhdao", "cchc", "quantri", "motcua"])
def test_leaders_reform_officer_admin_and_one_stop_officer_open_the_report(demo, client, username):
    response = _get(client, username)
    assert response.status_code == 200
    assert "Báo cáo tình hình, kết quả giải quyết thủ tục hành chính" in response.content.decode()


@pytest.mark.parametrize("username", ["chuyenvien", "truongphong", "congdan", "doanhnghiep"])
def test_everyone_else_is_turned_away(demo, client, username):
    assert _get(client, username, kind="month", period="2025-11", format="xlsx").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(demo, client):
    response = _get(client, None)
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]


def test_the_page_shows_the_table_for_the_chosen_month(november, client):
    response = _get(client, "lanhdao", kind="month", period="11/2025", format="html")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kỳ báo cáo: tháng 11/2025" in html
    assert "Kỳ trước chuyển qua" in html and "Vận tải đường bộ" in html and "Tổng cộng" in html
    assert response.context["report"].total == EXPECTED[LICENCE] + EXPECTED[BADGE]
    assert "kind=month&amp;period=11%2F2025&amp;format=xlsx" in html


def test_the_first_visit_shows_the_current_month(demo, client):
    with mock.patch("django.utils.timezone.now", return_value=vn(11, 26, 10, year=2026)):
        response = _get(client, "cchc")
    assert response.context["report"].period.label == "tháng 11/2026"
    assert not response.context["report"].complete


def test_the_spreadsheet_and_the_pdf_download(november, client):
    response = _get(client, "motcua", kind="quarter", period="2025-Q4", format="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-giai-quyet-tthc-2025-Q4.xlsx"'
    assert (
        "Kỳ báo cáo: quý IV/2025"
        in [row[0] for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)][2]
    )
    response = _get(client, "motcua", kind="year", period="2025", format="pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert "năm 2025" in " ".join(PdfReader(BytesIO(response.content)).pages[0].extract_text().split())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "quarter", "period": "2025-11", "format": "html"}, "2026-Q4 hoặc Q4/2026"),
        ({"kind": "month", "period": "2099-01", "format": "xlsx"}, "Kỳ báo cáo chưa bắt đầu."),
        ({"kind": "week", "period": "2025-11", "format": "html"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_a_bad_period_is_explained_and_nothing_is_produced(demo, client, params, message):
    response = _get(client, "lanhdao", **params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert "report" not in response.context
