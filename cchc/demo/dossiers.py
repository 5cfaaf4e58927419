"""Demo dossiers: about three hundred over the last three months, made through the services.

Each dossier is submitted online by a demo citizen or business, or handed in at the counter
by a (fictional) walk-in applicant, then driven along a random prefix of its workflow by the
demo staff, so its codes, steps, history, audit events and notices are the real thing. The
past is replayed on CCHC's clock (`cchc.core.clock.replay`), which the services and the rows'
stamps read: it shows a moment during office hours that advances as the dossier does; an
action that would fall after the demo's "now" is not taken, so recent dossiers are still open
and older ones mostly returned.
Some are late (a slow step, an old dossier stuck in a unit), some were supplemented, a few
refused, withdrawn, not approved or stopped.

The notices of these dossiers are recorded as not sent (`notifications_suppressed`) and no job is
queued (`jobs_held`: the DVCQG outbox keeps their messages for the scheduler), so a
worker starting afterwards mails nobody. The random choices come from a fixed seed.
Running it again does nothing: the online dossiers carry an idempotency key starting with
`DEMO_KEY_PREFIX`, and their presence means the demo dossiers are there.
"""

import math
import random
import struct
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.accounts.models import Agency, User
from cchc.accounts.roles import Role
from cchc.core import clock
from cchc.core.jobs import jobs_held
from cchc.dossiers import services
from cchc.dossiers.models import Dossier, ReturnMethod
from cchc.dossiers.notifications import notifications_suppressed
from cchc.dossiers.rules import ApplicantData
from cchc.dossiers.services import ActionInput, DocumentInput
from cchc.dossiers.workflow import Action, Status
from cchc.payments.demo import demo_pay_online
from cchc.payments.services import payment_counter_cash
from cchc.procedures.models import Procedure, ProcedureVersion
from cchc.procedures.selectors import agency_calendar, offered_by

from .constants import DEMO_AGENCY_CODE

A = Action
S = Status

DEMO_KEY_PREFIX = "demo-"
DEFAULT_COUNT = 300
DEFAULT_SEED = 20260901
HISTORY_DAYS = 90
ONLINE_RETURN_METHODS = (ReturnMethod.ONLINE, ReturnMethod.ONLINE, ReturnMethod.COUNTER, ReturnMethod.POST)
# The demo accounts work in these units; procedures handled elsewhere have nobody to move them.
STAFFED_UNITS = frozenset({"MOTCUA", "QLVT", "BGD"})

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Hoài", "Xuân", "Kim")
GIVEN_NAMES = (
    "An", "Bảo", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Huy", "Khánh",
    "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
    "Thắng", "Trang", "Trung", "Tuấn", "Vy", "Yến",
)  # fmt: skip
COMPANY_FORMS = ("Công ty TNHH", "Công ty cổ phần", "Hợp tác xã vận tải", "Công ty TNHH MTV")
COMPANY_NAMES = (
    "Vận tải Bình Minh", "Xe khách Sông Trà", "Logistics Hòa Phát Bình Sơn", "Thương mại Đông Thành",
    "Vận tải hàng hóa Phú Cường", "Taxi Bình Sơn Xanh", "Xây dựng Cầu đường 68", "Du lịch Biển Ngọc",
    "Vận tải thủy An Phú", "Cơ khí Trường Giang",
)  # fmt: skip
STREETS = ("Trần Hưng Đạo", "Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Quang Trung", "Phan Đình Phùng", "Lý Thường Kiệt")
WARDS = ("phường Đông Thành", "phường Tây Sơn", "xã Hòa Bình", "phường Bắc Hà", "xã Tân Phú")

SUPPLEMENT_ITEMS = (
    "Bản sao giấy tờ tùy thân bị mờ, đề nghị nộp bản rõ nét",
    "Đơn đề nghị chưa ghi đủ thông tin, chưa ký",
    "Thiếu giấy khám sức khỏe còn hiệu lực",
    "Ảnh chân dung không đúng quy cách",
    "Hợp đồng, giấy tờ chứng minh chưa được chứng thực",
)
REFUSAL_REASONS = (
    "Thủ tục không thuộc thẩm quyền giải quyết của Sở; đề nghị liên hệ UBND cấp xã nơi cư trú.",
    "Người nộp không thuộc đối tượng thực hiện thủ tục theo quy định.",
    "Giấy tờ đã hết hiệu lực theo quy định, không đủ điều kiện tiếp nhận.",
)
NOT_APPROVED_REASONS = (
    "Kết quả xác minh cho thấy giấy tờ không hợp lệ.",
    "Phương tiện chưa đáp ứng điều kiện an toàn kỹ thuật theo quy định.",
    "Hồ sơ không đáp ứng điều kiện cấp phép theo quy định hiện hành.",
)
STOP_REASONS = (
    "Cơ quan có thẩm quyền đề nghị tạm dừng để xác minh thông tin liên quan.",
    "Phát hiện giấy tờ có dấu hiệu giả mạo; chuyển cơ quan chức năng xử lý.",
)
COMMENTS_FORWARD = ("Hồ sơ đủ điều kiện, chuyển bước tiếp theo.", "Đã kiểm tra, đề xuất giải quyết.", "")
COMMENTS_BACK = ("Đề nghị chuyên viên rà soát lại thông tin phương tiện.", "Cần kiểm tra lại số liệu trong tờ trình.")


@dataclass
class _Plan:
    fate: str  # return | not_approve | refuse | withdraw | stop | abandon | stuck
    online: bool
    supplement: str  # "" | reception | processing
    slow_step: int  # the step that overruns its budget (0: none)
    send_back: bool
    stuck_step: int


def demo_dossiers_exist() -> bool:
    return Dossier.objects.filter(idempotency_key__startswith=DEMO_KEY_PREFIX).exists()


def load_demo_dossiers(
    *, count: int = DEFAULT_COUNT, now: datetime | None = None, seed: int = DEFAULT_SEED
) -> dict[str, int]:
    """Create the demo dossiers unless they exist; returns how many of each status were made.

    The department's dossiers, then (when the demo province is loaded) each commune's, some of
    them received at the provincial centre or at another commune's counter."""
    from .province import demo_teams, partner_teams

    if count <= 0 or demo_dossiers_exist():
        return {}
    now = now or clock.now()
    teams = demo_teams() or [(Agency.objects.get(code=DEMO_AGENCY_CODE), dict(zip(_ROLES, _STAFF, strict=True)), [])]
    statuses: Counter = Counter()
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    partners = partner_teams()
    for number, (agency, staff, elsewhere) in enumerate(teams):
        share = count if number == 0 else max(count // 4, 20)
        builder = _Builder(
            agency=agency, now=now, rng=rng, staff=staff, elsewhere=elsewhere, prefix=f"{number:02d}", partners=partners
        )
        # Not one transaction: each service commits its own (durable) one, as in production.
        with notifications_suppressed(), jobs_held(), clock.replay(now) as builder.replay:
            statuses.update(builder.build(index, start).status for index, start in enumerate(builder.starts(share)))
    # Flag what is late or due today now, quietly, so the staff find the notices in the app.
    with notifications_suppressed(), jobs_held(), clock.replay(now):
        services.deadlines_scan(now=now)
    return dict(statuses)


class _Builder:
    def __init__(
        self,
        *,
        agency: Agency,
        now: datetime,
        rng: random.Random,
        staff: dict[str, str] | None = None,
        elsewhere: list[str] | None = None,
        prefix: str = "",
        partners: dict[int, dict[str, str]] | None = None,
    ):
        self.agency = agency
        self.now = now
        self.rng = rng
        self.prefix = prefix
        self.calendar = agency_calendar(agency)
        self.replay: clock.Replay | None = None  # the past being replayed, while `load_demo_dossiers` runs
        staff = staff or dict(zip(_ROLES, _STAFF, strict=True))
        elsewhere = elsewhere or []
        partners = partners or {}
        partner_names = [name for team in partners.values() for name in team.values()]
        names = [*staff.values(), *elsewhere, *_APPLICANTS, *partner_names]
        users = {u.username: u for u in User.objects.filter(username__in=names)}
        missing = set(names) - set(users)
        if missing:
            raise RuntimeError(f"demo accounts missing: {sorted(missing)}; run load_demo first")
        self.users = users
        self.by_role = {role: users[username] for role, username in staff.items()}
        # The departments whose people do the steps of an inter-agency (liên thông) process.
        self.partners = {
            agency_id: {role: users[username] for role, username in team.items()}
            for agency_id, team in partners.items()
        }
        # Counter officers of other one-stop points who receive walk-ins for this agency.
        self.elsewhere = [users[username] for username in elsewhere]
        self.versions = self._staffed_versions()
        if not self.versions:
            raise RuntimeError("no published procedure handled by the demo units; run load_demo first")

    # ------------------------------------------------------------ set-up

    def _staffed_versions(self) -> list[tuple[ProcedureVersion, float]]:
        """The versions in force whose every step is in a unit with demo staff, weighted by volume."""
        chosen = []
        procedures = (
            Procedure.objects.filter(offered_by(agency_code=self.agency.code), current_version__isnull=False)
            .select_related("current_version")
            .prefetch_related("current_version__steps__unit", "current_version__components")
            .order_by("code")
        )
        for procedure in procedures:
            version = procedure.current_version
            steps = [s for s in version.steps.all() if s.offering_id is None]
            own = [s for s in steps if s.agency_id in (None, self.agency.pk)]
            # A template step without a unit is done by the agency's own people in its role; a step
            # of another agency by that agency's demo people, if it has some.
            if len(steps) < 3 or any(s.unit is not None and s.unit.code not in STAFFED_UNITS for s in own):
                continue
            if any(s.role not in self.partners.get(s.agency_id, {}) for s in steps if s not in own):
                continue
            version.procedure = procedure
            chosen.append((version, math.sqrt(max(procedure.annual_volume, 1))))
        return chosen

    def starts(self, count: int) -> list[datetime]:
        """`count` moments during office hours over the last `HISTORY_DAYS` days, oldest first."""
        begin = self.calendar.counting_start(self.now - timedelta(days=HISTORY_DAYS))
        total = self.calendar.working_minutes_between(begin, self.now)
        offsets = sorted(self.rng.uniform(0, total * 0.995) for _ in range(count))
        return [
            self.calendar.add_working_minutes(begin, int(o)) + timedelta(seconds=self.rng.randint(0, 59))
            for o in offsets
        ]

    def _plan(self, index: int, version: ProcedureVersion) -> _Plan:
        rng = self.rng
        fate = rng.choices(
            ("return", "not_approve", "refuse", "withdraw", "stop", "abandon", "stuck"),
            weights=(70, 5, 5, 4, 2, 3, 6),
        )[0]
        online_possible = version.online_level >= ProcedureVersion.OnlineLevel.PARTIAL
        online = index == 0 or (online_possible and rng.random() < 0.62)
        if fate == "withdraw":
            online = online_possible  # only an account holder withdraws
            if not online:
                fate = "return"
        supplement = ""
        if fate == "abandon" or rng.random() < 0.16:
            supplement = "reception" if online and rng.random() < 0.4 else "processing"
        steps = version.steps.count()
        return _Plan(
            fate=fate,
            online=online,
            supplement=supplement,
            slow_step=rng.choice(range(2, steps)) if rng.random() < 0.18 else 0,
            send_back=rng.random() < 0.07,
            stuck_step=rng.choice(range(1, steps + 1)),
        )

    # ------------------------------------------------------------ time

    def _after(self, minutes: float) -> bool:
        """Move the clock on by `minutes` working minutes; False (clock unchanged) if that is the future."""
        moment = self.calendar.add_working_minutes(self.replay.moment, max(1, int(minutes)))
        moment += timedelta(seconds=self.rng.randint(0, 59))
        if moment >= self.now:
            return False
        self.replay.moment = moment
        return True

    def _step_minutes(self, plan: _Plan, order: int, hours: int) -> float:
        if order == plan.slow_step:
            return hours * 60 * self.rng.uniform(1.4, 3.0)
        return hours * 60 * self.rng.uniform(0.1, 0.8)

    # ------------------------------------------------------------ applicants and files

    def _account_applicant(self, user: User) -> ApplicantData:
        if user.role == Role.BUSINESS:
            return ApplicantData(
                kind="business",
                name="Công ty TNHH Vận tải Sơn Hà",
                tax_code="2900123456",
                phone=user.phone,
                email=user.email,
                address="Số 12 đường Lê Lợi, phường Đông Thành, thành phố Bình Sơn",
            )
        number = "001090001234" if user.username == "congdan" else "001192005678"
        return ApplicantData(
            kind="citizen",
            name=user.full_name,
            id_number=number,
            phone=user.phone,
            email=user.email,
            address="Số 45 đường Nguyễn Huệ, phường Tây Sơn, thành phố Bình Sơn",
        )

    def _walk_in_applicant(self, business: bool) -> ApplicantData:
        rng = self.rng
        address = f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}, {rng.choice(WARDS)}, tỉnh Bình Sơn"
        phone = "09" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        if business:
            name = f"{rng.choice(COMPANY_FORMS)} {rng.choice(COMPANY_NAMES)}"
            tax_code = "29" + "".join(str(rng.randint(0, 9)) for _ in range(8))
            return ApplicantData(kind="business", name=name, tax_code=tax_code, phone=phone, address=address)
        name = f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"
        id_number = "099" + str(rng.randint(0, 3)) + f"{rng.randint(50, 99):02d}" + f"{rng.randint(0, 999999):06d}"
        email = ""
        if rng.random() < 0.3:
            email = f"{_ascii(name).lower().replace(' ', '.')}{rng.randint(1, 99)}@example.vn"
        return ApplicantData(kind="citizen", name=name, id_number=id_number, phone=phone, email=email, address=address)

    def _documents(self, version: ProcedureVersion, index: int, *, paper: bool) -> list[DocumentInput]:
        documents = []
        for component in version.components.all():
            if not component.required and self.rng.random() < 0.5:
                continue
            documents.append(DocumentInput(component_id=component.pk, file=_demo_file(component, index), paper=paper))
        return documents

    # ------------------------------------------------------------ one dossier

    def build(self, index: int, start: datetime) -> Dossier:
        rng = self.rng
        version = rng.choices([v for v, _ in self.versions], weights=[w for _, w in self.versions])[0]
        if index == 0 and version.online_level < ProcedureVersion.OnlineLevel.PARTIAL:
            # The first dossier marks the demo set (`demo_dossiers_exist`): it must be an online one.
            version = next(v for v, _ in self.versions if v.online_level >= ProcedureVersion.OnlineLevel.PARTIAL)
        plan = self._plan(index, version)
        self.replay.moment = start
        citizen = "Cá nhân" in version.applicants or ("cá nhân" in version.applicants and rng.random() < 0.5)
        counter = self.by_role[Role.ONE_STOP_OFFICER]
        if self.elsewhere and rng.random() < 0.3:  # lodged at another centre of the province
            counter = rng.choice(self.elsewhere)
        if plan.online:
            return self._online(index, version, plan, citizen)
        return self._walk_in(index, version, plan, citizen, counter)

    def _act(self, dossier: Dossier, actor: User, action: str, **data) -> Dossier:
        if action in ("receive", "return_result") and dossier.fee_amount and dossier.paid_at is None:
            # The demo applicants pay when the fee falls due: online through the gateway simulator,
            # or in cash to the officer at the counter; so the demo holds payments and receipts.
            if dossier.channel == "online" and dossier.applicant_user_id:
                demo_pay_online(dossier=dossier)
            else:
                payment_counter_cash(dossier=dossier, officer=actor)
            dossier = Dossier.objects.get(pk=dossier.pk)
        return services.dossier_act(dossier=dossier, actor=actor, action=action, data=ActionInput(**data))

    def _online(self, index: int, version: ProcedureVersion, plan: _Plan, citizen: bool) -> Dossier:
        rng = self.rng
        user = self.users[rng.choice(("congdan", "congdan2"))] if citizen else self.users["doanhnghiep"]
        if rng.random() < 0.25:  # handed in online in the evening; counted from the next opening
            evening = clock.localtime().replace(hour=rng.randint(19, 22), minute=rng.randint(0, 59))
            if evening < self.now:
                self.replay.moment = evening
        dossier, _created = services.dossier_submit_online(
            user=user,
            procedure=version.procedure,
            applicant=self._account_applicant(user),
            return_method=rng.choice(ONLINE_RETURN_METHODS),
            documents=self._documents(version, index, paper=False),
            idempotency_key=f"{DEMO_KEY_PREFIX}{self.prefix}{index:04d}",
            agency=self.agency,
        )
        counter = self.by_role[Role.ONE_STOP_OFFICER]
        if plan.fate == "withdraw" and rng.random() < 0.3:
            if self._after(rng.uniform(10, 120)):
                dossier = self._act(dossier, user, A.WITHDRAW, comment="Tôi đã nộp nhầm thủ tục, xin rút hồ sơ.")
            return dossier
        # The counter usually checks online dossiers the same day; sometimes a backlog builds up.
        if not self._after(rng.uniform(15, 600) if rng.random() < 0.6 else rng.uniform(600, 2400)):
            return dossier
        if plan.fate == "refuse":
            return self._act(dossier, counter, A.REFUSE, comment=rng.choice(REFUSAL_REASONS))
        if plan.supplement == "reception":
            dossier = self._act(
                dossier,
                counter,
                A.REQUEST_SUPPLEMENT,
                comment="Hồ sơ chưa đầy đủ, đề nghị bổ sung trước khi tiếp nhận.",
                items=[rng.choice(SUPPLEMENT_ITEMS)],
            )
            if plan.fate == "abandon" or not self._after(rng.uniform(240, 8 * 60 * 6)):
                return dossier
            files = self._one_file(version, index)
            dossier = self._act(dossier, user, A.SUPPLEMENT, comment="Đã bổ sung theo yêu cầu.", documents=files)
            if not self._after(rng.uniform(15, 480)):
                return dossier
        dossier = self._act(dossier, counter, A.RECEIVE)
        return self._process(dossier, version, plan, applicant=user, index=index)

    def _walk_in(self, index: int, version: ProcedureVersion, plan: _Plan, citizen: bool, counter: User) -> Dossier:
        rng = self.rng
        common = {
            "officer": counter,
            "procedure": version.procedure,
            "agency": self.agency,
            "applicant": self._walk_in_applicant(business=not citizen),
            "return_method": rng.choice((ReturnMethod.COUNTER, ReturnMethod.COUNTER, ReturnMethod.POST)),
            "documents": self._documents(version, index, paper=True),
        }
        if plan.fate == "refuse":
            return services.dossier_counter_intake(**common, decision="refuse", reason=rng.choice(REFUSAL_REASONS))
        dossier = services.dossier_counter_intake(**common, decision="receive", sets=rng.choice((1, 1, 1, 2)))
        return self._process(dossier, version, plan, applicant=counter, index=index)

    def _one_file(self, version: ProcedureVersion, index: int) -> list[DocumentInput]:
        component = version.components.first()
        return [DocumentInput(component_id=component.pk, file=_demo_file(component, index, extra="bo-sung"))]

    def _process(
        self, dossier: Dossier, version: ProcedureVersion, plan: _Plan, *, applicant: User, index: int
    ) -> Dossier:
        """From reception (step 1 at the counter) through the steps to the decision, then the result."""
        rng = self.rng
        steps = [s for s in version.steps.all() if s.offering_id is None]
        last = len(steps)
        decision = last - 1
        apologized = sent_back = supplemented = False
        order = 1
        while order <= decision:
            step = steps[order - 1]
            team = self._team(step)
            holder = team[step.role]
            if step.role == Role.SPECIALIST and order == 2 and not sent_back:
                if not self._after(rng.uniform(10, 180)):
                    return dossier
                dossier = self._act(dossier, self.by_role[Role.UNIT_HEAD], A.ASSIGN, assignee=holder.username)
            if plan.fate == "stuck" and order == plan.stuck_step < decision:
                return dossier  # left in a unit's tray, getting late
            if order == plan.slow_step and not apologized and rng.random() < 0.4:
                dossier, apologized = self._apologize(dossier, leader=team[Role.LEADER])
            if plan.supplement == "processing" and not supplemented and step.role == Role.SPECIALIST:
                supplemented = True
                if not self._after(rng.uniform(30, step.hours * 60 * 0.5)):
                    return dossier
                dossier = self._act(
                    dossier,
                    holder,
                    A.REQUEST_SUPPLEMENT,
                    comment="Đề nghị bổ sung để có đủ căn cứ giải quyết.",
                    items=rng.sample(SUPPLEMENT_ITEMS, k=rng.choice((1, 2))),
                )
                if plan.fate == "abandon" or not self._after(rng.uniform(240, 8 * 60 * 8)):
                    return dossier
                dossier = self._act(
                    dossier,
                    applicant,
                    A.SUPPLEMENT,
                    comment="Đã bổ sung giấy tờ theo phiếu yêu cầu.",
                    documents=self._one_file(version, index),
                )
            if order == 2 and plan.fate in ("withdraw", "stop"):
                if not self._after(rng.uniform(30, step.hours * 60 * 0.5)):
                    return dossier
                if plan.fate == "withdraw":
                    return self._act(dossier, applicant, A.WITHDRAW, comment="Xin rút hồ sơ để hoàn thiện lại giấy tờ.")
                return self._act(dossier, self.by_role[Role.LEADER], A.STOP, comment=rng.choice(STOP_REASONS))
            if not self._after(self._step_minutes(plan, order, step.hours)):
                return dossier
            if order < decision:
                if plan.send_back and not sent_back and order >= 3 and steps[order - 2].role == Role.SPECIALIST:
                    sent_back = True
                    dossier = self._act(dossier, holder, A.SEND_BACK, comment=rng.choice(COMMENTS_BACK))
                    order -= 1
                    continue
                dossier = self._act(dossier, holder, A.FORWARD, comment=rng.choice(COMMENTS_FORWARD))
                order += 1
                continue
            if plan.fate == "not_approve":
                dossier = self._act(dossier, holder, A.NOT_APPROVE, comment=rng.choice(NOT_APPROVED_REASONS))
            else:
                dossier = self._act(dossier, holder, A.APPROVE, comment="Đồng ý.")
                if dossier.procedure_version.result_type == ProcedureVersion.ResultType.ELECTRONIC:
                    # A leader signs the electronic result before it goes to the counter.
                    dossier = self._act(dossier, self.by_role[Role.LEADER], A.SIGN_RESULT)
            break
        if plan.fate == "stuck" and plan.stuck_step == decision:
            return dossier  # decided, but the result never reached the counter
        counter = self.by_role[Role.ONE_STOP_OFFICER]
        budget = steps[-1].hours * 60
        if not self._after(budget * rng.uniform(0.05, 0.4)):
            return dossier
        dossier = self._act(dossier, counter, A.RESULT_READY)
        if plan.fate == "stuck":
            return dossier  # nobody came to fetch the result
        # An electronic result goes out at once; on paper most come to fetch it in time, some days later.
        if dossier.return_method == ReturnMethod.ONLINE:
            wait = rng.uniform(5, 60)
        elif rng.random() < 0.65:
            wait = budget * rng.uniform(0.05, 0.5)
        else:
            wait = rng.uniform(480, 2880)
        if not self._after(wait):
            return dossier
        return self._act(dossier, counter, A.RETURN_RESULT)

    def _team(self, step) -> dict:
        """Who does `step`: the agency's own people, or those of the agency the step runs in."""
        if step.agency_id is None or step.agency_id == self.agency.pk:
            return self.by_role
        return self.partners[step.agency_id]

    def _apologize(self, dossier: Dossier, *, leader: User) -> tuple[Dossier, bool]:
        """The leader of the agency holding the dossier apologises and sets a new appointment, if
        there is still a working day to go."""
        if dossier.due_at is None or self.calendar.add_working_hours(self.replay.moment, 8) > dossier.due_at:
            return dossier, False
        new_due = self.calendar.add_working_hours(dossier.due_at, self.rng.choice((8, 16, 24)))
        dossier = self._act(
            dossier,
            leader,
            A.APOLOGIZE,
            comment="Hồ sơ cần xin ý kiến cơ quan liên quan nên chưa giải quyết kịp thời hạn.",
            new_due_at=new_due,
        )
        return dossier, True


_ROLES = [Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER]
_STAFF = ["motcua", "chuyenvien", "truongphong", "lanhdao"]
_APPLICANTS = ["congdan", "congdan2", "doanhnghiep"]


# ---------------------------------------------------------------- files


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c) and ord(c) < 128)


def _demo_file(component, index: int, extra: str = "") -> SimpleUploadedFile:
    """A tiny real file: a PNG scan for identity papers, a one-page PDF for the rest."""
    label = f"Ho so minh hoa so {index} - {_ascii(component.name)[:70]} {extra}".strip()
    if component.holds_personal_data:
        return SimpleUploadedFile(f"giay-to-{index}-{component.order}.png", demo_png(label), "image/png")
    return SimpleUploadedFile(f"giay-to-{index}-{component.order}.pdf", demo_pdf(label), "application/pdf")


def demo_pdf(text: str) -> bytes:
    """A valid one-page PDF showing `text` (ASCII)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii", "replace")
    stream = b"BT /F1 12 Tf 56 780 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_png(text: str) -> bytes:
    """A small grey PNG carrying `text` in a tEXt chunk (so each file is distinct)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    width, height = 32, 20
    raw = b"".join(b"\x00" + bytes([200]) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"tEXt", b"Comment\x00" + text.encode("ascii", "replace"))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
