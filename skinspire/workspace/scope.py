"""The hospital and branch a person works in, kept in their session.

It is a default, not a permission: it pre-selects the hospital and branch pages show, and
every choice is checked against skinspire.core.tenancy on each request (a branch taken
away since, or a hand-edited session, falls back to the default). Querysets stay scoped
by tenancy whatever the session says.
"""

from dataclasses import dataclass

from django.http import HttpRequest

from skinspire.core.models import Branch, Hospital
from skinspire.core.tenancy import user_branches, user_hospitals

SESSION_KEY = "workspace_scope"


@dataclass(frozen=True)
class WorkingScope:
    hospital: Hospital | None  # None: every hospital (superusers only)
    branch: Branch | None  # None: every branch the person may act in
    hospitals: list[Hospital]
    branches: list[Branch]  # the choices within `hospital`

    @property
    def switchable(self) -> bool:
        return len(self.hospitals) > 1 or len(self.branches) > 1

    @property
    def label(self) -> str:
        hospital = self.hospital.name if self.hospital else "All hospitals"
        branch = self.branch.name if self.branch else "all branches"
        return f"{hospital} · {branch}"


def _branch_choices(user, hospital: Hospital | None) -> list[Branch]:
    if hospital is None:
        return []
    return list(user_branches(user).filter(hospital=hospital).select_related("hospital"))


def _default_hospital(user, hospitals: list[Hospital]) -> Hospital | None:
    if user.hospital_id:
        return next((item for item in hospitals if item.pk == user.hospital_id), None)
    return hospitals[0] if len(hospitals) == 1 else None


def working_scope(request: HttpRequest) -> WorkingScope:
    """The person's scope: what their session chose, if still allowed; else the default
    (their hospital, and their branch when they have exactly one)."""
    user = request.user
    hospitals = list(user_hospitals(user))
    chosen = request.session.get(SESSION_KEY) or {}
    hospital = next((item for item in hospitals if item.pk == chosen.get("hospital")), None)
    if hospital is None and not (user.is_superuser and "hospital" in chosen):
        hospital = _default_hospital(user, hospitals)
    branches = _branch_choices(user, hospital)
    branch = next((item for item in branches if item.pk == chosen.get("branch")), None)
    explicitly_all = "branch" in chosen and chosen["branch"] is None
    if branch is None and not explicitly_all and len(branches) == 1:
        branch = branches[0]
    return WorkingScope(hospital=hospital, branch=branch, hospitals=hospitals, branches=branches)


class ScopeRefused(Exception):
    """The hospital or branch asked for is not one this person may work in."""


def working_scope_choose(request: HttpRequest, *, hospital_id: int | None, branch_id: int | None) -> None:
    """Keep the person's choice in their session, after checking tenancy allows it."""
    user = request.user
    if not user.is_authenticated:
        raise ScopeRefused("Sign in to choose where you work.")
    hospitals = {item.pk: item for item in user_hospitals(user)}
    if hospital_id is None:
        if not user.is_superuser:
            hospital_id = user.hospital_id
    elif hospital_id not in hospitals:
        raise ScopeRefused("You do not work in that hospital.")
    if branch_id is not None:
        allowed = {item.pk for item in _branch_choices(user, hospitals.get(hospital_id))}
        if branch_id not in allowed:
            raise ScopeRefused("You do not work in that branch.")
    request.session[SESSION_KEY] = {"hospital": hospital_id, "branch": branch_id}


@dataclass(frozen=True)
class ScopeChoice:
    value: str  # "<hospital id>:<branch id>", either empty for "all"
    label: str
    selected: bool


def scope_choices(user, scope: WorkingScope) -> list[ScopeChoice]:
    """The options of the one "Working in" select: per hospital, all its branches, then
    each branch (a superuser also gets "All hospitals")."""
    current = _value(scope.hospital, scope.branch)
    choices = []
    if user.is_superuser:
        choices.append(ScopeChoice(":", "All hospitals", current == ":"))
    for hospital in scope.hospitals:
        branches = _branch_choices(user, hospital)
        options = [(_value(hospital, None), f"{hospital.name} · all branches")]
        options += [(_value(hospital, branch), f"{hospital.name} · {branch.name}") for branch in branches]
        choices += [ScopeChoice(value, label, value == current) for value, label in options]
    return choices


def _value(hospital: Hospital | None, branch: Branch | None) -> str:
    return f"{hospital.pk if hospital else ''}:{branch.pk if branch else ''}"
