"""The actions a payment's page offers: by its status and the person's role, never the
maker's own approval. (The API refuses the rest; the browser tests click them.)"""

import re
from decimal import Decimal

import pytest

from skinspire.core.roles import ROLE_PAYMENT_APPROVER, ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory, role_group
from skinspire.core.transitions import transition
from skinspire.payouts.models import PayoutPolicy, SupplierPayment
from skinspire.workspace.tests.payments_support import gateway_payout, manual_payment

pytestmark = pytest.mark.django_db


def offered(client, payment_id: int) -> list[tuple[str, str, str]]:
    html = client.get(f"/workspace/payouts/{payment_id}/").content.decode()
    return re.findall(
        r'<form method="(get|post)" action="([^"]+)" data-api-url="\2"[^>]*id="action-([a-z]+)"', html
    )


@pytest.fixture
def waiting(desk, chart, gateway, supplier, account):
    PayoutPolicy.objects.create(hospital=desk.hospital, approval_threshold=Decimal("10000.00"))
    return gateway_payout(desk.people["payments"], supplier, account)["id"]


@pytest.fixture
def processing(desk, chart, gateway, supplier, account, run_tasks):
    return run_tasks(lambda: gateway_payout(desk.people["payments"], supplier, account))["id"]


def approve(pk):
    return ("post", f"/api/payouts/payments/{pk}/approve", "approve")


def reject(pk):
    return ("post", f"/api/payouts/payments/{pk}/reject", "reject")


def cancel(pk):
    return ("post", f"/api/payouts/payments/{pk}/cancel", "cancel")


def refresh(pk):
    return ("get", f"/api/gateway/check-status/{pk}", "refresh")


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("payments", [cancel]),
        ("approver", [approve, reject]),
        ("accountant", []),
        ("superuser", [approve, reject, cancel]),
    ],
)
def test_waiting_for_approval(client, desk, waiting, person, expected):
    client.force_login(desk.people[person])
    assert offered(client, waiting) == [action(waiting) for action in expected]


def test_an_approver_who_made_the_payment_is_not_offered_its_approval(
    client, desk, chart, gateway, supplier, account
):
    PayoutPolicy.objects.create(hospital=desk.hospital, approval_threshold=Decimal("10000.00"))
    both = UserFactory(hospital=desk.hospital)
    both.groups.add(role_group(ROLE_PAYMENTS_STAFF), role_group(ROLE_PAYMENT_APPROVER))
    own = gateway_payout(both, supplier, account)["id"]
    client.force_login(both)
    assert offered(client, own) == [cancel(own)]


@pytest.mark.parametrize(
    ("person", "expected"),
    [("payments", [refresh]), ("approver", [refresh]), ("accountant", []), ("superuser", [refresh])],
)
def test_at_the_gateway_the_status_can_be_refreshed(client, desk, processing, person, expected):
    client.force_login(desk.people[person])
    assert offered(client, processing) == [action(processing) for action in expected]


def test_a_failed_payout_can_be_retried_by_payments_staff_only(client, desk, processing):
    payment = SupplierPayment.objects.get(pk=processing)
    transition(instance=payment, to="failed", reason="Beneficiary bank down", event_reference="test:failed")
    client.force_login(desk.people["payments"])
    html = client.get(f"/workspace/payouts/{processing}/").content.decode()
    assert offered(client, processing) == [("post", f"/api/payouts/payments/{processing}/retry", "retry")]
    assert 'data-next="/workspace/payouts/{id}/"' in html
    assert 'data-confirm="Send this payment again, as a new payment with a new idempotency key?"' in html
    client.force_login(desk.people["approver"])
    assert offered(client, processing) == []


def test_a_completed_manual_payment_offers_nothing(client, desk, chart, supplier):
    done = manual_payment(desk.people["payments"], supplier)["id"]
    for person in ("payments", "approver", "superuser"):
        client.force_login(desk.people[person])
        assert offered(client, done) == []


def test_reasons_are_labelled_required_fields_and_the_script_is_local(client, desk, waiting):
    client.force_login(desk.people["approver"])
    html = client.get(f"/workspace/payouts/{waiting}/").content.decode()
    assert '<label for="reason-reject">Reason (reject)</label>' in html
    assert '<input id="reason-reject" name="reason" required maxlength="1000">' in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/workspace/workspace.js" defer>']
    assert "<style" not in html and " style=" not in html
