"""Demo tenancy and users. The README lists these credentials; change nothing here silently."""

from skinspire.core.models import Branch, Hospital, User
from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.services import branch_create, hospital_create, hospital_setup, staff_user_create

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
    """Idempotent: what exists is kept; what is missing is made through the services."""
    hospital = demo_hospital()
    branches = [
        Branch.objects.filter(hospital=hospital, code=code).first()
        or branch_create(hospital=hospital, code=code, name=name)
        for code, name in [("main", "Main Campus"), ("city", "City Clinic")]
    ]
    out.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
    for username, role, is_superuser in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            staff_user_create(
                username=username,
                password=DEMO_PASSWORD,
                email=f"{username}@demo.skinspire.example",
                hospital=None if is_superuser else hospital,
                branches=[] if is_superuser else branches,
                role=role,
                is_superuser=is_superuser,
            )
        out.write(f"  {username:<14} {role or 'superuser'}")
    return hospital
