"""Capabilities are named once, in `accounts/roles.py`: no app writes its own set of roles."""

import ast
import re
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


# ---- No inline role comparison anywhere but roles.py; views, API and forms ask policies.

ROLE_VALUES = frozenset(Role.values)
# `Role.values` and the like name the whole enumeration (validation), not a set of roles.
WHOLE_ENUM = frozenset({"values", "choices", "names", "labels"})
# The demo generators play the people of a process step by step (matching a step's role to the
# person who holds it); they decide nobody's access.
NOT_ACCESS_CODE = ("demo",)


def _is_role_member(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
        and node.attr not in WHOLE_ENUM
    )


def _names_roles_inline(node) -> bool:
    """`Role.X`, a literal tuple/list/set of them, `frozenset({...})`, or a role's value as text."""
    if _is_role_member(node):
        return True
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_names_roles_inline(item) for item in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"set", "frozenset"}:
        return any(_names_roles_inline(arg) for arg in node.args)
    if isinstance(node, ast.BinOp):
        return _names_roles_inline(node.left) or _names_roles_inline(node.right)
    return isinstance(node, ast.Constant) and node.value in ROLE_VALUES


def _mentions_role(node) -> bool:
    return "role" in ast.unparse(node).lower()


def _source_files():
    for path in APPS.rglob("*.py"):
        parts = path.relative_to(APPS).parts
        if "tests" in parts or "migrations" in parts or path.name == "roles.py":
            continue
        yield path, parts


def _inline_role_comparisons() -> list[str]:
    found = []
    for path, parts in _source_files():
        if parts[0] in NOT_ACCESS_CODE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            inline = [o for o in operands if _names_roles_inline(o)]
            others = [o for o in operands if o not in inline]
            if inline and any(_mentions_role(o) for o in others):
                found.append(f"{path.relative_to(APPS)}:{node.lineno}: {ast.unparse(node)}")
    return found


def _is_edge_module(parts) -> bool:
    name = parts[-1]
    return "views" in parts[:-1] or name.startswith(("views", "api", "forms"))


# What a view, an API endpoint or a form may take from roles.py: the enumeration (labels,
# choices) and helpers that decide nobody's access.
EDGE_MAY_IMPORT = frozenset({"Role", "applicant_kind", "staff_role_label"})


def _rules_at_the_edge() -> list[str]:
    """Views, API endpoints and forms carry no access rule: no role compared, no capability read."""
    found = []
    for path, parts in _source_files():
        if not _is_edge_module(parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("accounts.roles"):
                names = {alias.name for alias in node.names} - EDGE_MAY_IMPORT
                if names:
                    found.append(f"{path.relative_to(APPS)}:{node.lineno}: imports {sorted(names)}")
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                if any(isinstance(o, ast.Attribute) and o.attr == "role" for o in operands):
                    found.append(f"{path.relative_to(APPS)}:{node.lineno}: {ast.unparse(node)}")
    return found


ROLE_TEST_IN_TEMPLATE = re.compile(r"\{%[^%]*\brole\s*(==|!=|\bin\b|\bnot in\b)[^%]*%\}")


def _role_tests_in_templates() -> list[str]:
    found = []
    for path in APPS.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ROLE_TEST_IN_TEMPLATE.search(line):
                found.append(f"{path.relative_to(APPS)}:{number}")
    return found


def test_no_role_is_compared_inline_outside_roles_py():
    assert _inline_role_comparisons() == []


def test_views_api_and_forms_ask_policies_never_roles():
    assert _rules_at_the_edge() == []


def test_templates_ask_can_never_the_role():
    assert _role_tests_in_templates() == []


def test_the_guards_catch_what_they_guard_against(tmp_path):
    """The scanners see the shapes they refuse (so the tests above cannot pass by looking nowhere)."""
    shapes = [
        "user.role == Role.LEADER",
        "user.role in (Role.CITIZEN, Role.BUSINESS)",
        "request.user.role != 'one_stop_officer'",
        "run.role not in {Role.SPECIALIST, Role.UNIT_HEAD}",
    ]
    for shape in shapes:
        compare = ast.parse(shape, mode="eval").body
        operands = [compare.left, *compare.comparators]
        assert any(_names_roles_inline(o) for o in operands), shape
    assert not _names_roles_inline(ast.parse("Role.values", mode="eval").body)
    assert ROLE_TEST_IN_TEMPLATE.search('{% if user.role == "leader" %}')
    assert ROLE_TEST_IN_TEMPLATE.search('{% if user.role in "leader admin" %}')
    assert not ROLE_TEST_IN_TEMPLATE.search("{% if can.receive_at_counter %}")
    assert _is_edge_module(("dossiers", "views", "office.py")) and _is_edge_module(("plans", "api.py"))
    assert not _is_edge_module(("plans", "policies.py"))
