"""seed_demo: the demo hospital, two branches, one user per role; idempotent."""

import io

import pytest
from django.core.management import call_command

from skinspire.core.demo import DEMO_PASSWORD
from skinspire.core.models import Hospital, User
from skinspire.gateways.models import GatewayConfiguration

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "admin": [],
    "gatewayadmin": ["Gateway admin"],
    "payments": ["Payments staff"],
    "approver": ["Payment approver"],
    "accountant": ["Accountant"],
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_users_with_their_roles_twice_over():
    first, second = seed(), seed()

    assert first == second
    assert f"password for all: {DEMO_PASSWORD}" in first
    hospital = Hospital.objects.get()
    assert hospital.code == "skinspire-demo"
    assert sorted(hospital.branches.values_list("code", flat=True)) == ["city", "main"]
    users = {user.username: user for user in User.objects.prefetch_related("groups", "branches")}
    assert {
        name: [group.name for group in user.groups.all()] for name, user in users.items()
    } == EXPECTED_ROLES
    assert users["admin"].is_superuser and users["admin"].hospital is None
    for name in ("gatewayadmin", "payments", "approver", "accountant"):
        assert users[name].hospital == hospital
        assert users[name].branches.count() == 2
        assert users[name].check_password(DEMO_PASSWORD)
    assert sorted(GatewayConfiguration.objects.values_list("provider", flat=True)) == ["paytm", "razorpay"]
