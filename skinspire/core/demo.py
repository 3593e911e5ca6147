"""Demo tenancy and users. The README lists these credentials; change nothing here silently."""

from django.contrib.auth.models import Group

from skinspire.core.models import Branch, Hospital, User
from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.services import hospital_create, hospital_setup

DEMO_HOSPITAL_CODE = "skinspire-demo"
DEMO_HOSPITAL_NAME = "Skinspire Demo Hospital"
DEMO_PASSWORD = "skinspire-demo"
DEMO_USERS = [
    # username, role group, is_superuser
    ("admin", None, True),
    ("gatewayadmin", ROLE_GATEWAY_ADMIN, False),
    ("payments", ROLE_PAYMENTS_STAFF, False),
    ("approver", ROLE_PAYMENT_APPROVER, False),
    ("accountant", ROLE_ACCOUNTANT, False),
]


def demo_hospital() -> Hospital:
    """The demo hospital, made by hospital_create like any real one (so it has its chart of
    accounts). A demo database seeded before that gets the missing set-up; hooks are idempotent."""
    hospital = Hospital.objects.filter(code=DEMO_HOSPITAL_CODE).first()
    if hospital is None:
        return hospital_create(name=DEMO_HOSPITAL_NAME, code=DEMO_HOSPITAL_CODE)
    hospital_setup(hospital=hospital)
    return hospital


def seed(*, out) -> Hospital:
    hospital = demo_hospital()
    branches = [
        Branch.objects.get_or_create(hospital=hospital, code=code, defaults={"name": name})[0]
        for code, name in [("main", "Main Campus"), ("city", "City Clinic")]
    ]
    out.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
    for username, role, is_superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "hospital": None if is_superuser else hospital,
                "is_staff": True,
                "is_superuser": is_superuser,
                "email": f"{username}@demo.skinspire.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if role:
                user.groups.add(Group.objects.get(name=role))
            if not is_superuser:
                user.branches.set(branches)
        out.write(f"  {username:<14} {role or 'superuser'}")
    return hospital
