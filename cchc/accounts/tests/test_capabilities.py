"""Capabilities are named once, in `accounts/roles.py`: no app writes its own set of roles."""

import ast
from pathlib import Path

import pytest

from cchc.accounts import roles
from cchc.accounts.roles import Role

APPS = Path(__file__).resolve().parents[2]


def _role_sets_defined_outside_roles() -> list[str]:
    """Module-level names bound to a set/frozenset of `Role.X` members, anywhere but roles.py."""
    found = []
    for path in APPS.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "roles.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.Assign):
                continue
            source = ast.unparse(node.value)
            if "Role." in source and ("frozenset(" in source or source.startswith("{")):
                found.append(f"{path.relative_to(APPS)}: {ast.unparse(node.targets[0])}")
    return found


def test_no_app_names_its_own_set_of_roles():
    assert _role_sets_defined_outside_roles() == []


@pytest.mark.parametrize(
    ("capability", "inside", "outside"),
    [
        (roles.SEES_AGENCY_DOSSIERS, Role.ONE_STOP_OFFICER, Role.SPECIALIST),
        (roles.SEES_UNIT_DOSSIERS, Role.UNIT_HEAD, Role.LEADER),
        (roles.RECEIVES_AT_COUNTER, Role.ONE_STOP_OFFICER, Role.LEADER),
        (roles.OVERSEES_PROVINCE, Role.LEADER, Role.ONE_STOP_OFFICER),
        (roles.READS_AGENCY_REPORTS, Role.REFORM_OFFICER, Role.UNIT_HEAD),
        (roles.READS_UNIT_REPORTS, Role.UNIT_HEAD, Role.SPECIALIST),
        (roles.MANAGES_REFORM, Role.REFORM_OFFICER, Role.LEADER),
    ],
)
def test_each_capability_holds_its_roles_and_no_applicant(capability, inside, outside):
    assert inside in capability
    assert outside not in capability
    assert not capability & roles.APPLICANT_ROLES
