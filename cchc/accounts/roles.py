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


def staff_role_label(role: str) -> str:
    """The label of a staff role as an applicant may read it on their timeline; "" for anyone else."""
    return str(Role(role).label) if role in Role.values and is_staff_role(role) else ""


def applicant_kind(role: str) -> str:
    """The kind of applicant a person lodges as: a business representative or a citizen."""
    return Role.BUSINESS.value if role in REPRESENTS_BUSINESS else Role.CITIZEN.value


# ---- Capabilities over dossiers and reports, named once; every app's policies read these names.
# See a whole agency's dossiers (the agency that resolves them).
SEES_AGENCY_DOSSIERS = frozenset({Role.ONE_STOP_OFFICER, Role.LEADER, Role.REFORM_OFFICER, Role.ADMIN})
# See the dossiers that passed through one's unit.
SEES_UNIT_DOSSIERS = frozenset({Role.SPECIALIST, Role.UNIT_HEAD})
# Take dossiers at a one-stop counter (and see what one's centre received or returns).
RECEIVES_AT_COUNTER = frozenset({Role.ONE_STOP_OFFICER})
# Read the whole province, never act on it: a leader or the reform office of the provincial
# People's Committee (an agency of level "province").
OVERSEES_PROVINCE = frozenset({Role.LEADER, Role.REFORM_OFFICER})

# Read an agency's reports, plans, initiatives and reviews, whole.
READS_AGENCY_REPORTS = frozenset({Role.LEADER, Role.REFORM_OFFICER, Role.ADMIN})
# Read the same for one's own unit too (the unit head).
READS_UNIT_REPORTS = READS_AGENCY_REPORTS | {Role.UNIT_HEAD}
# Read the service index in some scope: the above, and a counter officer over what they received.
READS_SERVICE_INDEX = READS_UNIT_REPORTS | {Role.ONE_STOP_OFFICER}
# Read the statutory report on dossier handling.
READS_STATUTORY_REPORT = READS_AGENCY_REPORTS | {Role.ONE_STOP_OFFICER}
# Run the reform work: plans, commitments, initiatives, simplification reviews, the PAR Index.
MANAGES_REFORM = frozenset({Role.REFORM_OFFICER, Role.ADMIN})
# Work in a unit and answer for it (its tasks, its complaints).
WORKS_IN_UNIT = frozenset({Role.UNIT_HEAD, Role.SPECIALIST, Role.ONE_STOP_OFFICER})
# Keep the dossier tracking book.
KEEPS_TRACKING_BOOK = frozenset({Role.ONE_STOP_OFFICER, Role.LEADER, Role.REFORM_OFFICER, Role.ADMIN, Role.UNIT_HEAD})
# See the desk without acting on dossiers.
DESK_READ_ONLY = frozenset({Role.REFORM_OFFICER, Role.ADMIN})
# Import an agency's historical paper results (scans and a spreadsheet) into applicants' data stores.
DIGITISES_ARCHIVES = frozenset({Role.ONE_STOP_OFFICER, Role.REFORM_OFFICER})
# Compose an electronic result.
COMPOSES_RESULTS = frozenset({Role.LEADER, Role.UNIT_HEAD, Role.SPECIALIST})
# Follow up low satisfaction ratings.
FOLLOWS_UP_RATINGS = frozenset({Role.UNIT_HEAD, Role.LEADER})
# Head a unit: hand out its work, act for it on its steps, answer for its dossiers, tasks,
# commitments and reviews.
HEADS_UNIT = frozenset({Role.UNIT_HEAD})
# Lead the agency: take any leadership step, assign, stop or extend any dossier, countersign
# commitments, answer complaints.
LEADS_AGENCY = frozenset({Role.LEADER})
# Sign decisions and electronic results in the agency's name.
SIGNS_DECISIONS = frozenset({Role.LEADER})
# Process steps a unit's head may take or hand to a person of the unit.
UNIT_STEP_ROLES = frozenset({Role.SPECIALIST, Role.UNIT_HEAD})
# Process steps whose work a head hands to a person (the counter's and the specialist's).
ASSIGNABLE_STEP_ROLES = frozenset({Role.SPECIALIST, Role.ONE_STOP_OFFICER})
# Administer the whole installation: every agency's integrations, no agency of one's own needed.
ADMINISTERS_SYSTEM = frozenset({Role.ADMIN})
# Handle personal-data requests (Law 91/2025): correction, deletion, the breach register.
HANDLES_PRIVACY_REQUESTS = frozenset({Role.REFORM_OFFICER})
# Lodge as a business or an organisation (rather than as a citizen).
REPRESENTS_BUSINESS = frozenset({Role.BUSINESS})
