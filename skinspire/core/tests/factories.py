import importlib
import warnings

import factory
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from skinspire.core.models import Branch, Hospital, User
from skinspire.core.roles import ALL_ROLES


class HospitalFactory(factory.django.DjangoModelFactory[Hospital]):
    class Meta:
        model = Hospital

    name = factory.Sequence(lambda n: f"Hospital {n}")
    code = factory.Sequence(lambda n: f"hosp-{n}")


class BranchFactory(factory.django.DjangoModelFactory[Branch]):
    class Meta:
        model = Branch

    hospital = factory.SubFactory(HospitalFactory)
    name = factory.Sequence(lambda n: f"Branch {n}")
    code = factory.Sequence(lambda n: f"br-{n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    hospital = factory.SubFactory(HospitalFactory)
    password = factory.django.Password("correct-horse-battery")
    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(roles=[ROLE_GATEWAY_ADMIN]): groups created by core's roles migration,
        or made again by role_group(), with a warning, if a transactional test starts with the
        groups table empty. That was a transactional test after a browser test on the same
        worker, which skipped its restore (fixed: conftest.django_db_setup); the warning is
        there to show it if it ever comes back."""
        if create and extracted:
            groups = list(Group.objects.filter(name__in=extracted))
            # Only the staff roles are made again; a group a test names for itself is its own.
            missing = set(extracted) & set(ALL_ROLES) - {group.name for group in groups}
            if missing:
                _note_missing_roles(missing)
            self.groups.add(*groups, *(role_group(role) for role in sorted(missing)))

    @factory.post_generation
    def branches(self, create, extracted, **kwargs):
        if create and extracted:
            self.branches.add(*extracted)


def _note_missing_roles(missing: set[str]) -> None:
    """Shown in pytest's warnings summary with the test that found the role groups gone."""
    warnings.warn(f"Role groups missing, made again: {sorted(missing)}", stacklevel=3)


def role_group(role: str) -> Group:
    """The role's group: the migrated one, with every permission the apps' migrations gave it,
    or, if a transactional test's flush emptied the groups table, made again with the
    permissions core's roles migration gives it (the other apps' grants are not made again).
    """
    group = Group.objects.filter(name=role).first()
    if group is not None:
        return group
    roles = importlib.import_module("skinspire.core.migrations.0002_roles")
    wanted = Q(pk__in=[])
    for app_label, codename in roles.ROLE_PERMISSIONS[role]:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    if role == "Accountant":
        wanted |= Q(
            content_type__app_label__in=roles.ACCOUNTANT_APP_VIEW_PERMISSIONS, codename__startswith="view_"
        )
    group = Group.objects.create(name=role)
    group.permissions.set(Permission.objects.filter(wanted))
    return group
