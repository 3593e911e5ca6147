"""The audit log in admin: viewable by gateway admins, accountants and superusers; read-only
for everyone; filterable by action, actor, hospital, object type and date."""

import datetime
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from skinspire.core.audit import audit_entry_record
from skinspire.core.models import AuditEntry, Branch
from skinspire.core.roles import ALL_ROLES, ROLE_ACCOUNTANT, ROLE_GATEWAY_ADMIN
from skinspire.core.tests.factories import BranchFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:core_auditentry_changelist")
VIEWER_ROLES = [ROLE_GATEWAY_ADMIN, ROLE_ACCOUNTANT]


def user_with(role: str | None, hospital):
    if role is None:
        return UserFactory(hospital=None, is_superuser=True)
    return UserFactory(hospital=hospital, roles=[role])


def entry_on(day: int, **arguments) -> AuditEntry:
    moment = datetime.datetime(2026, 1, day, 12, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return audit_entry_record(**arguments)


def listed(client, query: str = "") -> list[int]:
    response = client.get(f"{CHANGELIST_URL}{query}")
    assert response.status_code == 200
    return [entry.pk for entry in response.context["cl"].result_list]


def test_gateway_admins_and_accountants_may_view_and_nobody_may_do_more():
    granted = set(
        Permission.objects.filter(
            content_type__app_label="core", codename__endswith="_auditentry"
        ).values_list("codename", "group__name")
    )
    assert granted == {("view_auditentry", ROLE_GATEWAY_ADMIN), ("view_auditentry", ROLE_ACCOUNTANT)}
    assert set(
        Permission.objects.filter(content_type=ContentType.objects.get_for_model(AuditEntry)).values_list(
            "codename", flat=True
        )
    ) == {"view_auditentry"}


@pytest.mark.parametrize("role", [None, *ALL_ROLES], ids=["superuser", *ALL_ROLES])
def test_no_role_can_add_change_or_delete(client, hospital, staff_user, role):
    user = user_with(role, hospital)
    entry = audit_entry_record(action="a.b", actor=staff_user, message="as written")
    client.force_login(user)
    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get(CHANGELIST_URL)
    request.user = user

    change_url = reverse("admin:core_auditentry_change", args=[entry.pk])
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.post(change_url, {"action": "x.y", "message": "edited"}).status_code == 403
    assert (
        client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert (model_admin.has_add_permission(request), model_admin.has_change_permission(request, entry)) == (
        False,
        False,
    )
    assert model_admin.has_delete_permission(request, entry) is False
    assert "delete_selected" not in model_admin.get_actions(request)
    assert AuditEntry.objects.get(pk=entry.pk).message == "as written"


@pytest.mark.parametrize("role", [None, *VIEWER_ROLES], ids=["superuser", *VIEWER_ROLES])
def test_viewers_see_the_list_and_a_read_only_entry(client, hospital, staff_user, role):
    entry = audit_entry_record(action="a.b", actor=staff_user, changes={"name": {"from": "Old", "to": "New"}})
    client.force_login(user_with(role, hospital))

    assert entry.pk in listed(client)
    page = client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "&quot;from&quot;: &quot;Old&quot;" in html
    assert 'name="_save"' not in html


@pytest.mark.parametrize("role", [role for role in ALL_ROLES if role not in VIEWER_ROLES])
def test_other_roles_cannot_view(client, hospital, role):
    client.force_login(user_with(role, hospital))

    assert client.get(CHANGELIST_URL).status_code == 403


def test_list_filters_narrow_by_action_actor_hospital_object_type_and_date(client):
    alice = UserFactory()
    bob = UserFactory()
    branch = BranchFactory(hospital=alice.hospital)
    configuration_change = entry_on(10, action="gateway_configuration.update", actor=alice, target=branch)
    failed_login = entry_on(11, action="auth.login_failed", target=bob)
    entry_on(12, action="encryption_keys.rotate")
    client.force_login(UserFactory(hospital=None, is_superuser=True))
    branch_type = ContentType.objects.get_for_model(Branch)

    assert listed(client, "?action=gateway_configuration.update") == [configuration_change.pk]
    assert listed(client, f"?actor__id__exact={alice.pk}") == [configuration_change.pk]
    assert listed(client, f"?hospital__id__exact={bob.hospital_id}") == [failed_login.pk]
    assert listed(client, f"?content_type__id__exact={branch_type.pk}") == [configuration_change.pk]
    day = "?created_at__gte=2026-01-11T00:00:00%2B00:00&created_at__lt=2026-01-12T00:00:00%2B00:00"
    assert listed(client, day) == [failed_login.pk]
    # The search compares whole values through indexes (a year's log has millions of rows):
    # the action, or the id of the object acted on.
    assert listed(client, f"?q={bob.pk}") == [failed_login.pk]
    assert listed(client, "?q=AUTH.LOGIN_FAILED") == [] and listed(client, "?q=auth.login_failed") == [
        failed_login.pk
    ]


def test_the_log_is_newest_first_by_when_each_entry_was_made_also_within_a_date_range(client):
    # Appended out of order (an entry deferred to its transaction's commit is appended after
    # later ones): the list follows the time shown in its first column, ties by id.
    later = entry_on(12, action="payment.capture")
    earlier = entry_on(10, action="payment.capture")
    middle = [entry_on(11, action="payment.capture"), entry_on(11, action="bill.create")]
    client.force_login(UserFactory(hospital=None, is_superuser=True))  # itself logged, today

    since = "?created_at__gte=2026-01-10T00:00:00%2B00:00"
    assert listed(client, since + "&created_at__lt=2026-01-13T00:00:00%2B00:00") == [
        later.pk,
        middle[1].pk,
        middle[0].pk,
        earlier.pk,
    ]
    two_days = since + "&created_at__lt=2026-01-12T00:00:00%2B00:00"
    assert listed(client, two_days) == [middle[1].pk, middle[0].pk, earlier.pk]
    assert listed(client, two_days + "&o=0") == [earlier.pk, middle[1].pk, middle[0].pk]  # oldest first
