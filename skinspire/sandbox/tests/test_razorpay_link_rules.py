"""Payment link rules: expire_by at least 15 minutes ahead, and notify_by/{sms|email}."""

from datetime import timedelta

import pytest
import razorpay
from django.utils import timezone

from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

TOO_SOON = "^timestamp must be atleast 15 minutes in future$"


@pytest.fixture
def client():
    return razorpay_client(SandboxMerchantFactory())


def _at(minutes: int) -> int:
    return int((timezone.now() + timedelta(minutes=minutes)).timestamp())


@pytest.mark.parametrize("minutes", [-60, 0, 14])
def test_expire_by_less_than_15_minutes_ahead_is_refused(client, minutes):
    with pytest.raises(razorpay.errors.BadRequestError, match=TOO_SOON):
        client.payment_link.create({"amount": 1000, "currency": "INR", "expire_by": _at(minutes)})
    assert not SandboxObject.objects.exists()


def test_expire_by_15_minutes_ahead_is_taken_and_edits_follow_the_same_rule(client):
    expire_by = _at(16)
    link = client.payment_link.create({"amount": 1000, "currency": "INR", "expire_by": expire_by})
    assert link["expire_by"] == expire_by

    with pytest.raises(razorpay.errors.BadRequestError, match=TOO_SOON):
        client.payment_link.edit(link["id"], {"expire_by": _at(5)})
    assert client.payment_link.fetch(link["id"])["expire_by"] == link["expire_by"]


@pytest.mark.parametrize("medium", ["sms", "email"])
def test_the_sdk_resends_a_link_by_sms_or_email(client, medium):
    link = client.payment_link.create({"amount": 1000, "currency": "INR"})

    assert client.payment_link.notifyBy(link["id"], medium) == {"success": True}

    stored = SandboxObject.objects.get(object_id=link["id"])
    assert [sent["medium"] for sent in stored.meta["notifications"]] == [medium]
    assert client.payment_link.fetch(link["id"]) == link


def test_an_unknown_medium_or_a_closed_link_is_refused(client):
    link = client.payment_link.create({"amount": 1000, "currency": "INR"})

    with pytest.raises(razorpay.errors.BadRequestError, match="^not a valid notification medium$"):
        client.payment_link.notifyBy(link["id"], "whatsapp")
    with pytest.raises(razorpay.errors.BadRequestError, match="^The id provided does not exist$"):
        client.payment_link.notifyBy("plink_DoesNotExist01", "sms")
    client.payment_link.cancel(link["id"])
    with pytest.raises(razorpay.errors.BadRequestError, match="cannot be notified in cancelled state"):
        client.payment_link.notifyBy(link["id"], "sms")
    assert "notifications" not in SandboxObject.objects.get(object_id=link["id"]).meta
