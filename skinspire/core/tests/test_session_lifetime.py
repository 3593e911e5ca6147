"""A signed-in page session ends after a working day, as an API token does (10 hours), not
after Django's default two weeks: staff sign in on shared hospital desks, and the same
session opens the admin where gateway keys and supplier accounts are changed."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from skinspire.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEN_HOURS = 10 * 60 * 60


def test_an_admin_login_session_lasts_ten_hours(client):
    UserFactory(username="asha")

    response = client.post(
        "/admin/login/", {"username": "asha", "password": "correct-horse-battery", "next": "/admin/"}
    )

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert response.cookies["sessionid"]["max-age"] == TEN_HOURS
    left = Session.objects.get().expire_date - timezone.now()
    assert timedelta(seconds=TEN_HOURS - 60) < left <= timedelta(seconds=TEN_HOURS)
