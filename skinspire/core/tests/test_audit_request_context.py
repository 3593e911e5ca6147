"""Within a request, entries name the request's user and client IP unless told otherwise."""

import pytest
from django.contrib.auth.models import AnonymousUser
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from skinspire.core.audit import audit_entry_record
from skinspire.core.audit.context import AuditContextMiddleware
from skinspire.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def record_in_request(request, **arguments):
    return AuditContextMiddleware(lambda request: audit_entry_record(action="thing.update", **arguments))(
        request
    )


def test_actor_and_ip_default_to_the_request(rf, staff_user):
    request = rf.post("/admin/thing/", REMOTE_ADDR="192.0.2.10")
    request.user = staff_user

    entry = record_in_request(request)

    assert (entry.actor, entry.ip_address, entry.hospital) == (staff_user, "192.0.2.10", staff_user.hospital)


def test_ip_is_taken_through_trusted_proxies_only(rf, staff_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    request.user = staff_user

    assert record_in_request(request).ip_address == "203.0.113.5"


def test_explicit_actor_and_ip_win_over_the_request(rf, staff_user):
    someone_else = UserFactory(hospital=staff_user.hospital)
    request = rf.post("/", REMOTE_ADDR="192.0.2.10")
    request.user = staff_user

    entry = record_in_request(request, actor=someone_else, ip_address="198.51.100.1")

    assert (entry.actor, entry.ip_address) == (someone_else, "198.51.100.1")


def test_an_anonymous_request_has_no_actor_and_nothing_leaks_after_the_request(rf, staff_user):
    request = rf.post("/", REMOTE_ADDR="192.0.2.10")
    request.user = AnonymousUser()

    during = record_in_request(request)
    after = audit_entry_record(action="thing.update")

    assert (during.actor, during.ip_address) == (None, "192.0.2.10")
    assert (after.actor, after.ip_address) == (None, "")


class AuditedAPIView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request):
        return Response({"entry": audit_entry_record(action="thing.update").pk})


def test_a_user_authenticated_by_the_api_inside_the_view_is_the_actor(rf, staff_user):
    _, token = AuthToken.objects.create(user=staff_user)
    request = rf.post("/api/thing/", REMOTE_ADDR="192.0.2.11", HTTP_AUTHORIZATION=f"Token {token}")

    response = AuditContextMiddleware(AuditedAPIView.as_view())(request)

    assert response.status_code == 200
    entry = staff_user.audit_entries.get()
    assert (entry.pk, entry.ip_address) == (response.data["entry"], "192.0.2.11")
