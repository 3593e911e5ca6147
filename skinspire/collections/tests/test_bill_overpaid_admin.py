"""Admin's bill list shows what an overpaid bill has to refund and filters such bills, so an
accountant finds every patient owed the excess (services/overpaid.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from skinspire.collections.services.payments import patient_payment_capture
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory

pytestmark = pytest.mark.django_db


def test_the_bill_list_shows_and_filters_the_excess_to_refund(client, user_with_role, bill, branch):
    for tab in range(2):
        paid(PatientPaymentFactory(bill=bill, amount=Decimal("1000.00")), f"webhook:{tab}")
    paid_once = BillFactory(branch=branch)
    paid(PatientPaymentFactory(bill=paid_once), "webhook:2")
    client.force_login(user_with_role("accountant"))

    everything = client.get(reverse("admin:collections_bill_changelist")).content.decode()
    overpaid = client.get(reverse("admin:collections_bill_changelist"), {"overpaid": "yes"}).content.decode()

    assert '<td class="field-excess">₹500.00</td>' in everything
    assert bill.number in overpaid and paid_once.number not in overpaid


def paid(payment, event_reference: str) -> None:
    patient_payment_capture(
        payment=payment, reason="Gateway event payment.captured", event_reference=event_reference
    )
