"""The roles migration's groups, and HasRole for the API."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from skinspire.core.permissions import HasRole
from skinspire.core.roles import (
    ALL_ROLES,
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def permissions_of(role: str, app_label: str) -> set[str]:
    group = Group.objects.get(name=role)
    return set(group.permissions.filter(content_type__app_label=app_label).values_list("codename", flat=True))


def test_every_role_exists_as_a_group():
    assert set(Group.objects.filter(name__in=ALL_ROLES).values_list("name", flat=True)) == set(ALL_ROLES)


def test_gateway_admin_manages_configurations_reads_the_log_and_reprocesses_webhooks():
    assert permissions_of(ROLE_GATEWAY_ADMIN, "gateways") == {
        "add_gatewayconfiguration",
        "change_gatewayconfiguration",
        "view_gatewayconfiguration",
        "view_gatewaytransactionlog",
        "view_webhookevent",
        "reprocess_webhookevent",  # gateways 0011
    }


def test_payments_staff_only_view_configurations():
    assert permissions_of(ROLE_PAYMENTS_STAFF, "gateways") == {"view_gatewayconfiguration"}


def test_payment_approver_sees_no_gateway_configuration():
    # gateways 0003: an approver approves a payment that already names its gateway.
    assert permissions_of(ROLE_PAYMENT_APPROVER, "gateways") == set()


def test_accountant_views_the_ledger():
    ledger = permissions_of(ROLE_ACCOUNTANT, "ledger")

    assert {"view_account", "view_journalentry", "view_journalline"} <= ledger
    assert not any(codename.startswith("delete_") for codename in ledger)
    assert permissions_of(ROLE_ACCOUNTANT, "gateways") == {"view_gatewaytransactionlog"}


def test_gateway_admin_user_has_model_permissions():
    user = UserFactory(roles=[ROLE_GATEWAY_ADMIN])

    assert user.has_perm("gateways.change_gatewayconfiguration")
    assert not user.has_perm("gateways.delete_gatewayconfiguration")


class ApproverOnly(APIView):
    permission_classes = [HasRole(ROLE_PAYMENT_APPROVER)]

    def get(self, request):
        return Response({"ok": True})


@pytest.mark.parametrize(
    ("make_user", "status"),
    [
        (lambda: UserFactory(roles=[ROLE_PAYMENT_APPROVER]), 200),
        (lambda: UserFactory(roles=[ROLE_PAYMENTS_STAFF]), 403),
        (lambda: UserFactory(hospital=None, is_superuser=True), 200),
        # Unauthenticated: 401, since token authentication is listed first (settings/drf.py).
        (AnonymousUser, 401),
    ],
)
def test_has_role(make_user, status):
    user = make_user()
    request = APIRequestFactory().get("/")
    if user.is_authenticated:
        force_authenticate(request, user)

    response = ApproverOnly.as_view()(request)

    assert response.status_code == status
