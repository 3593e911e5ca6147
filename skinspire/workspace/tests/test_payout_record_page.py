"""The record-a-supplier-payment page: who may open it, and what it offers before any API call."""

import re
from decimal import Decimal

import pytest

from skinspire.payouts.models import PayoutPolicy
from skinspire.payouts.tests.factories import SupplierFactory
from skinspire.workspace.tests.support import EVERY_PERSON, accounts_desk

pytestmark = pytest.mark.django_db

STATUS = {"payments": 200, "approver": 403, "accountant": 403, "gatewayadmin": 403, "superuser": 200}


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_only_payments_staff_and_superusers_record_payments(client, desk, person):
    client.force_login(desk.people[person])
    assert client.get("/workspace/payouts/new/").status_code == STATUS[person]


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/workspace/payouts/new/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/workspace/payouts/new/")


def test_the_form_offers_own_suppliers_limits_threshold_and_a_fresh_key(client, desk, supplier):
    SupplierFactory(hospital=accounts_desk("Bharat Hospital").hospital, name="Elsewhere Pharma")
    SupplierFactory(hospital=desk.hospital, name="Gone Ltd", is_active=False)
    PayoutPolicy.objects.create(hospital=desk.hospital, approval_threshold=Decimal("50000.00"))
    client.force_login(desk.people["payments"])

    first = client.get("/workspace/payouts/new/").content.decode()
    second = client.get("/workspace/payouts/new/").content.decode()

    assert re.findall(
        r'<option value="(\d+)">([^<]+)</option>', first.split('id="supplier"')[1].split("</select>")[0]
    ) == [(str(supplier.pk), "Acme Surgicals")]
    assert "Payments of <strong>₹50,000.00</strong> or more wait for a Payment approver" in first
    assert re.findall(r'name="mode" value="(\w+)"[^>]*> (\w+) <span class="muted">\(([^)]+)\)', first) == [
        ("upi", "UPI", "up to ₹1,00,000.00"),
        ("imps", "IMPS", "up to ₹5,00,000.00"),
        ("neft", "NEFT", "up to ₹2,00,00,000.00"),
        ("rtgs", "RTGS", "₹2,00,000.00 to ₹2,00,00,000.00"),
    ]
    keys = [
        re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html).group(1) for html in (first, second)
    ]
    assert keys[0] != keys[1]
    assert '<label for="amount">Amount (₹)</label>' in first
    assert re.findall(r"<script[^>]*>", first) == [
        '<script src="/static/workspace/workspace.js" defer>',
        '<script src="/static/workspace/payout-form.js" defer>',
    ]


def test_when_the_payout_policy_switches_gateway_payouts_off_the_form_says_so_and_starts_on_manual(
    client, desk
):
    client.force_login(desk.people["payments"])
    assert 'id="payouts-off"' not in client.get("/workspace/payouts/new/").content.decode()

    PayoutPolicy.objects.create(
        hospital=desk.hospital, approval_threshold=Decimal("50000.00"), gateway_payouts_enabled=False
    )
    html = client.get("/workspace/payouts/new/").content.decode()

    assert (
        '<div class="banner banner-warning" id="payouts-off" role="status">Gateway payouts are switched off '
        "for this hospital; record a manual payment instead, or ask a gateway admin to switch them back on "
        "(admin, Payout policies).</div>"
    ) in html
    assert '<input type="radio" name="method" value="manual" checked>' in html
    assert '<input type="radio" name="method" value="gateway_payout">' in html
