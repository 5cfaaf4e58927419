"""Roles and what each may do. Plain data, no database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Đại diện doanh nghiệp, tổ chức")
    ONE_STOP_OFFICER = "one_stop_officer", _("Cán bộ Bộ phận Một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    UNIT_HEAD = "unit_head", _("Trưởng phòng, đơn vị")
    LEADER = "leader", _("Lãnh đạo Sở")
    REFORM_OFFICER = "reform_officer", _("Cán bộ phụ trách cải cách hành chính")
    ADMIN = "admin", _("Quản trị hệ thống")


APPLICANT_ROLES = frozenset({Role.CITIZEN, Role.BUSINESS})
STAFF_ROLES = frozenset(set(Role) - APPLICANT_ROLES)
# Roles that a process step may name as responsible.
PROCESS_ROLES = frozenset({Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER})
# Who maintains the procedure catalogue (publishes versions, imports and exports it).
CATALOGUE_EDITORS = frozenset({Role.REFORM_OFFICER, Role.ADMIN})
# Who maintains the organisation and the working calendar.
ORGANISATION_EDITORS = frozenset({Role.ADMIN})
CALENDAR_EDITORS = frozenset({Role.ADMIN})
# Who enters the service-index figures only the national public service portal measures.
NATIONAL_FIGURE_EDITORS = frozenset({Role.REFORM_OFFICER, Role.ADMIN})
# Who watches the connections to the national systems (the DVCQG outbox, retries, pulls).
INTEGRATION_OPERATORS = frozenset({Role.REFORM_OFFICER, Role.ADMIN})


def is_staff_role(role: str) -> bool:
    return role in STAFF_ROLES
