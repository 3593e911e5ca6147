"""A gateway configuration never moves to another hospital, nor does a branch: the service
refuses with a message, admin shows the hospital read-only once the row exists, and the
database refuses it however it is written (core 0007, gateways 0012; PostgreSQL and SQLite)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from skinspire.core.errors import ApplicationError
from skinspire.core.models import Branch
from skinspire.core.tests.factories import BranchFactory, HospitalFactory, UserFactory
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.rules import MOVE_REFUSED
from skinspire.gateways.services import gateway_configuration_update
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db


def refused(label: str, reason: str):
    """PostgreSQL names the row (#id), SQLite cannot."""
    return pytest.raises(IntegrityError, match=rf"{label} (#\d+ )?refused: {reason}")


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital, name="Razorpay main")


def test_the_service_refuses_to_move_a_configuration(configuration):
    with pytest.raises(ApplicationError) as error:
        gateway_configuration_update(configuration=configuration, changes={"hospital": HospitalFactory()})

    assert error.value.extra["fields"] == {"hospital": [MOVE_REFUSED]}
    configuration.refresh_from_db()
    assert configuration.hospital_id == configuration.hospital.pk


def test_the_database_refuses_to_move_a_configuration(configuration):
    with refused("gateways: gateway configuration", "its id and hospital never change"), transaction.atomic():
        GatewayConfiguration.objects.filter(pk=configuration.pk).update(hospital=HospitalFactory())

    # Everything else about it still changes.
    GatewayConfiguration.objects.filter(pk=configuration.pk).update(name="Razorpay renamed")
    assert GatewayConfiguration.objects.values_list("name", flat=True).get(pk=configuration.pk) == (
        "Razorpay renamed"
    )


def test_the_database_refuses_a_configuration_for_another_hospitals_branch(hospital):
    with (
        refused("gateways: gateway configuration", "its branch belongs to another hospital"),
        transaction.atomic(),
    ):
        GatewayConfigurationFactory(hospital=hospital, branch=BranchFactory())


def test_the_database_refuses_to_move_a_branch(branch):
    with refused("core: branch", "its id and hospital never change"), transaction.atomic():
        Branch.objects.filter(pk=branch.pk).update(hospital=HospitalFactory())

    Branch.objects.filter(pk=branch.pk).update(name="City Clinic")
    assert Branch.objects.values_list("name", flat=True).get(pk=branch.pk) == "City Clinic"


@pytest.mark.parametrize(
    ("make", "page"),
    [
        (lambda hospital: GatewayConfigurationFactory(hospital=hospital), "gateways_gatewayconfiguration"),
        (lambda hospital: BranchFactory(hospital=hospital), "core_branch"),
    ],
    ids=["configuration", "branch"],
)
def test_a_superuser_cannot_change_the_hospital_once_the_row_exists(client, hospital, make, page):
    client.force_login(UserFactory(hospital=None, is_superuser=True))
    row = make(hospital)

    changing = client.get(reverse(f"admin:{page}_change", args=[row.pk]))
    adding = client.get(reverse(f"admin:{page}_add"))

    assert changing.status_code == 200 and adding.status_code == 200
    assert changing.context["adminform"].form.fields["hospital"].disabled  # shown, not posted
    assert changing.context["adminform"].form.initial["hospital"] == hospital.pk
    assert not adding.context["adminform"].form.fields["hospital"].disabled


def test_a_branch_change_keeps_its_hospital_and_its_code_unique_there(client, hospital, branch):
    client.force_login(UserFactory(hospital=None, is_superuser=True))
    other = BranchFactory(hospital=hospital, code="CITY")
    url = reverse("admin:core_branch_change", args=[branch.pk])

    moved = client.post(url, {"hospital": HospitalFactory().pk, "name": "Renamed", "code": branch.code})
    clash = client.post(url, {"hospital": hospital.pk, "name": branch.name, "code": other.code})

    assert moved.status_code == 302  # saved, the posted hospital ignored
    assert clash.status_code == 200
    assert clash.context["adminform"].form.non_field_errors() == [
        "Branch with this Hospital and Code already exists."
    ]
    branch.refresh_from_db()
    assert (branch.hospital_id, branch.name) == (hospital.pk, "Renamed")
