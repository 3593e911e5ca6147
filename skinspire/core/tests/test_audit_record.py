"""audit_entry_record: what one entry holds, where its hospital comes from, what it refuses."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from skinspire.core.audit import SECRET_CHANGED, audit_entry_record
from skinspire.core.models import AuditEntry, AuditLogImmutableError
from skinspire.core.tests.factories import BranchFactory, HospitalFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_entry_holds_who_what_which_object_changes_and_ip(staff_user, branch):
    entry = audit_entry_record(
        action="branch.update",
        actor=staff_user,
        target=branch,
        changes={"name": {"from": "Old", "to": "New"}, "limit": {"from": Decimal("10.50"), "to": None}},
        ip_address="203.0.113.7",
        message="Renamed",
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.actor, stored.actor_username) == (
        "branch.update",
        staff_user,
        staff_user.username,
    )
    assert stored.hospital == branch.hospital
    assert stored.content_type == ContentType.objects.get_for_model(branch)
    assert (stored.object_id, stored.object_repr) == (str(branch.pk), str(branch))
    assert stored.changes == {"name": {"from": "Old", "to": "New"}, "limit": {"from": "10.50", "to": None}}
    assert (stored.ip_address, stored.message) == ("203.0.113.7", "Renamed")


def test_a_secret_is_recorded_as_changed(staff_user):
    entry = audit_entry_record(action="thing.update", actor=staff_user, changes={"api_key": SECRET_CHANGED})

    assert AuditEntry.objects.get(pk=entry.pk).changes == {"api_key": "changed"}


@pytest.mark.parametrize("change", ["new-secret-value", {"to": "x"}, {"from": 1, "to": 2, "by": 3}])
def test_a_change_of_another_shape_is_refused_and_nothing_is_written(staff_user, change):
    with pytest.raises(ValueError, match='"api_key" must be'):
        audit_entry_record(action="thing.update", actor=staff_user, changes={"api_key": change})

    assert AuditEntry.objects.count() == 0


def test_hospital_comes_from_the_argument_then_the_target_then_the_actor(hospital, staff_user):
    other = HospitalFactory()
    other_branch = BranchFactory(hospital=other)
    superuser = UserFactory(hospital=None, is_superuser=True)

    explicit = audit_entry_record(action="a.b", actor=staff_user, target=other_branch, hospital=hospital)
    from_target = audit_entry_record(action="a.b", actor=staff_user, target=other_branch)
    target_is_hospital = audit_entry_record(action="a.b", actor=staff_user, target=other)
    from_actor = audit_entry_record(action="a.b", actor=staff_user)
    neither = audit_entry_record(action="a.b", actor=superuser)

    assert [explicit.hospital_id, from_target.hospital_id, target_is_hospital.hospital_id] == [
        hospital.pk,
        other.pk,
        other.pk,
    ]
    assert (from_actor.hospital_id, neither.hospital_id) == (hospital.pk, None)
    assert (from_actor.chain, neither.chain) == (f"hospital:{hospital.pk}", "global")


def test_an_anonymous_actor_is_no_actor_and_an_invalid_ip_is_dropped():
    entry = audit_entry_record(action="a.b", actor=AnonymousUser(), ip_address="not-an-ip")

    assert (entry.actor, entry.actor_username, entry.ip_address, entry.hospital) == (None, "", "", None)


def test_a_rolled_back_change_leaves_no_entry(staff_user):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        audit_entry_record(action="a.b", actor=staff_user)
        raise Abort

    assert AuditEntry.objects.count() == 0


def test_models_refuse_changing_or_deleting_an_entry(staff_user):
    entry = audit_entry_record(action="a.b", actor=staff_user, message="as written")
    entry.message = "edited"

    with pytest.raises(AuditLogImmutableError):
        entry.save()
    with pytest.raises(AuditLogImmutableError):
        entry.delete()
    with pytest.raises(AuditLogImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(message="edited")
    with pytest.raises(AuditLogImmutableError):
        AuditEntry.objects.all().delete()

    assert list(AuditEntry.objects.values_list("message", flat=True)) == ["as written"]
