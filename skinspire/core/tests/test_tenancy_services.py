"""branch_create and staff_user_create: the writes demo data (core/demo.py) goes through."""

import pytest

from skinspire.core.models import Branch, User
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.services import branch_create, staff_user_create

pytestmark = pytest.mark.django_db


def test_branch_create(hospital):
    branch = branch_create(hospital=hospital, code="north", name="North Wing")

    assert Branch.objects.filter(hospital=hospital, code="north").get() == branch
    assert branch.name == "North Wing"


def test_staff_user_create_hashes_the_password_and_sets_role_and_branches(hospital, branch):
    user = staff_user_create(
        username="pay1",
        password="a-long-demo-password",
        email="pay1@example.test",
        hospital=hospital,
        branches=[branch],
        role=ROLE_PAYMENTS_STAFF,
    )

    stored = User.objects.get(username="pay1")
    assert stored == user
    assert stored.check_password("a-long-demo-password")
    assert stored.password != "a-long-demo-password"
    assert (stored.hospital, stored.is_staff, stored.is_superuser) == (hospital, True, False)
    assert list(stored.groups.values_list("name", flat=True)) == [ROLE_PAYMENTS_STAFF]
    assert list(stored.branches.all()) == [branch]


def test_a_superuser_of_a_hospital_is_refused_and_nothing_is_written(hospital):
    with pytest.raises(ValueError, match="A superuser belongs to no hospital"):
        staff_user_create(username="root2", password="x" * 20, hospital=hospital, is_superuser=True)

    assert not User.objects.filter(username="root2").exists()
