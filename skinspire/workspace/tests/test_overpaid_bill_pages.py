"""A bill that received more than it is for says so on its page, with the excess to refund
and a button to the payment to refund it from, whose refund form is filled in with that
amount and a reason; nothing is refunded until staff send it. Once refunded, the notice goes."""

from decimal import Decimal

import pytest

from skinspire.collections.services.payments import patient_payment_capture
from skinspire.collections.tests.factories import BillFactory, PatientFactory, PatientPaymentFactory
from skinspire.workspace.tests.payments_support import api_as, counter_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def overpaid(desk, chart):
    """OPD-1001 for ₹1,500: paid in cash at the counter, then ₹1,000 online in another tab."""
    patient = PatientFactory(hospital=desk.hospital, name="Asha Verma", patient_number="UHID-111")
    bill = BillFactory(branch=desk.main, patient=patient, number="OPD-1001", amount="1500.00")
    cash = counter_payment(desk.people["payments"], bill)["id"]
    online = PatientPaymentFactory(bill=bill, amount=Decimal("1000.00"))
    patient_payment_capture(
        payment=online, reason="Gateway event payment.captured", event_reference="webhook:1"
    )
    return bill, cash, online


def test_the_bill_page_shows_the_excess_and_the_payment_to_refund_it_from(client, desk, overpaid):
    bill, _, online = overpaid
    client.force_login(desk.people["payments"])

    html = client.get(f"/workspace/bills/{bill.pk}/").content.decode()

    assert "This bill has received <strong>₹1,000.00</strong> more than it is for." in html
    assert (
        f'href="/workspace/patient-payments/{online.pk}/#refund">Refund ₹1,000.00 from payment {online.reference}</a>'
    ) in html


def test_that_payments_refund_form_is_filled_in_with_the_excess(client, desk, overpaid):
    _, cash, online = overpaid
    client.force_login(desk.people["payments"])

    excess = client.get(f"/workspace/patient-payments/{online.pk}/").content.decode()
    other = client.get(f"/workspace/patient-payments/{cash}/").content.decode()

    assert 'name="amount" inputmode="decimal" pattern="[0-9]+(\\.[0-9]{1,2})?" value="1000.00"' in excess
    assert 'value="Bill OPD-1001 was paid ₹1,000.00 more than its ₹1,500.00."' in excess
    assert 'value="1500.00" required' in other  # all that is refundable, as before
    assert 'name="reason" required maxlength="500" value=""' in other


def test_once_the_excess_is_refunded_the_notice_goes(client, desk, overpaid):
    bill, cash, _ = overpaid
    refunded = api_as(desk.people["payments"]).post(
        f"/api/patient-payments/{cash}/refunds", {"amount": "1000.00", "reason": "Paid twice"}, format="json"
    )
    assert refunded.status_code == 201, refunded.json()
    client.force_login(desk.people["payments"])

    html = client.get(f"/workspace/bills/{bill.pk}/").content.decode()

    assert 'id="overpaid"' not in html
