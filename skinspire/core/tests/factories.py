import importlib
import warnings

import factory
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from skinspire.core.models import Branch, Hospital, User


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
        or made again by role_group() where an earlier transactional test's flush left the
        groups table empty (seen in the full suite: the user then had no role and got 403)."""
        if create and extracted:
            groups = list(Group.objects.filter(name__in=extracted))
            missing = set(extracted) - {group.name for group in groups}
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
    """The role's group with the permissions core's roles migration gives it.

    A transactional test's flush empties the groups table for every later transactional
    test in the same process, so those tests make their roles with this.
    """
    roles = importlib.import_module("skinspire.core.migrations.0002_roles")
    wanted = Q(pk__in=[])
    for app_label, codename in roles.ROLE_PERMISSIONS[role]:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    if role == "Accountant":
        wanted |= Q(
            content_type__app_label__in=roles.ACCOUNTANT_APP_VIEW_PERMISSIONS, codename__startswith="view_"
        )
    group, _ = Group.objects.get_or_create(name=role)
    group.permissions.set(Permission.objects.filter(wanted))
    return group
