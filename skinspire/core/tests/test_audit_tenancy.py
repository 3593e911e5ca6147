"""A hospital's staff see their hospital's audit entries only; superusers see every entry."""

import pytest
from django.urls import reverse

from skinspire.core.audit import audit_entry_record
from skinspire.core.models import AuditEntry
from skinspire.core.roles import ROLE_ACCOUNTANT, ROLE_GATEWAY_ADMIN
from skinspire.core.tests.factories import HospitalFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:core_auditentry_changelist")


@pytest.fixture
def hospitals():
    return HospitalFactory(name="Hospital A"), HospitalFactory(name="Hospital B")


@pytest.fixture
def entries(hospitals):
    hospital_a, hospital_b = hospitals
    actor_a = UserFactory(username="actor-of-a", hospital=hospital_a)
    actor_b = UserFactory(username="actor-of-b", hospital=hospital_b)
    return {
        "a": audit_entry_record(action="a.change", actor=actor_a),
        "b": audit_entry_record(action="b.change", actor=actor_b),
        "global": audit_entry_record(action="encryption_keys.rotate"),
    }


def listed(client) -> set[int]:
    response = client.get(CHANGELIST_URL)
    assert response.status_code == 200
    return {entry.pk for entry in response.context["cl"].result_list}


def login(client, user) -> AuditEntry:
    client.force_login(user)
    return AuditEntry.objects.get(action="auth.login", actor=user)


@pytest.mark.parametrize("role", [ROLE_GATEWAY_ADMIN, ROLE_ACCOUNTANT])
def test_hospital_staff_see_only_their_hospital(client, hospitals, entries, role):
    viewer = UserFactory(hospital=hospitals[0], roles=[role])
    own_login = login(client, viewer)

    assert listed(client) == {entries["a"].pk, own_login.pk}
    html = client.get(CHANGELIST_URL).content.decode()
    assert "actor-of-a" in html  # the actor filter and the list name A's staff
    assert "actor-of-b" not in html and "Hospital B" not in html


def test_another_hospitals_entry_cannot_be_opened(client, hospitals, entries):
    login(client, UserFactory(hospital=hospitals[0], roles=[ROLE_GATEWAY_ADMIN]))

    for other in (entries["b"], entries["global"]):
        response = client.get(reverse("admin:core_auditentry_change", args=[other.pk]))
        assert response.status_code == 302  # admin's "does not exist" redirect, as for a missing id
        assert response["Location"] == reverse("admin:index")


def test_superusers_see_every_hospital_and_the_global_chain(client, entries):
    own_login = login(client, UserFactory(hospital=None, is_superuser=True))

    assert listed(client) == {entries["a"].pk, entries["b"].pk, entries["global"].pk, own_login.pk}
