"""Tenancy writes: hospitals, branches, staff users."""

from collections.abc import Callable, Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from skinspire.core.models import Branch, Hospital, User

# Apps that keep per-hospital set-up (the ledger's chart of accounts) register a function
# here from AppConfig.ready(); hospital_create calls each in the same transaction. An
# explicit registry rather than a post_save signal, so the side effect is visible here.
hospital_setup_hooks: list[Callable[[Hospital], None]] = []


def register_hospital_setup(hook: Callable[[Hospital], None]) -> None:
    if hook not in hospital_setup_hooks:
        hospital_setup_hooks.append(hook)


@transaction.atomic
def hospital_create(*, name: str, code: str) -> Hospital:
    hospital = Hospital.objects.create(name=name, code=code)
    hospital_setup(hospital=hospital)
    return hospital


def hospital_setup(*, hospital: Hospital) -> None:
    """Run every app's per-hospital set-up. Each hook is idempotent."""
    for hook in hospital_setup_hooks:
        hook(hospital)


def branch_create(*, hospital: Hospital, code: str, name: str) -> Branch:
    return Branch.objects.create(hospital=hospital, code=code, name=name)


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    password: str,
    email: str = "",
    hospital: Hospital | None,
    branches: Iterable[Branch] = (),
    role: str | None = None,
    is_superuser: bool = False,
) -> User:
    """A staff user (admin access) of `hospital` and `branches`, in the `role` group
    (skinspire.core.roles); a superuser belongs to no hospital."""
    if is_superuser and hospital is not None:
        raise ValueError("A superuser belongs to no hospital.")
    user = User(username=username, email=email, hospital=hospital, is_staff=True, is_superuser=is_superuser)
    user.set_password(password)
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    user.branches.set(branches)
    return user
