"""The counter-payment and refund forms carry an idempotency key minted once per form, which
workspace.js posts with the other fields: sending one form twice (a double click, a retry
after no answer) records the money once; the next form gets a new key."""

import re
from decimal import Decimal

import pytest

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.collections.tests.factories import BillFactory
from skinspire.workspace.tests.payments_support import api_as, counter_payment

pytestmark = pytest.mark.django_db

KEY = re.compile(r'<input type="hidden" name="idempotency_key" value="([0-9a-f]{32})">')


def form_key(html: str, form_id: str) -> str:
    form = html.split(f'id="{form_id}"')[1].split("</form>")[0]
    found = KEY.search(form)
    assert found, f"no idempotency key in #{form_id}"
    return found.group(1)


def test_the_counter_form_posts_once_however_often_it_is_sent(client, desk, chart):
    staff = desk.people["payments"]
    bill = BillFactory(branch=desk.main, amount="1500.00")
    client.force_login(staff)
    page = f"/workspace/bills/{bill.pk}/"
    first, second = (form_key(client.get(page).content.decode(), "action-counter") for _ in range(2))
    # What workspace.js sends for the form as drawn: its fields, the empty ones left out.
    body = {"bill_id": bill.pk, "idempotency_key": first, "method": "cash", "amount": "1500.00"}

    answers = [api_as(staff).post("/api/patient-payments/manual", body, format="json") for _ in range(2)]

    assert first != second
    assert [answer.status_code for answer in answers] == [201, 200]
    assert list(PatientPayment.objects.values_list("amount", "idempotency_key")) == [
        (Decimal("1500.00"), first)
    ]


def test_the_refund_form_refunds_once_however_often_it_is_sent(client, desk, chart):
    staff = desk.people["payments"]
    payment = counter_payment(staff, BillFactory(branch=desk.main, amount="1500.00"), amount="1500.00")
    client.force_login(staff)
    page = f"/workspace/patient-payments/{payment['id']}/"
    first, second = (form_key(client.get(page).content.decode(), "action-refund") for _ in range(2))
    body = {"idempotency_key": first, "amount": "1500.00", "reason": "Procedure not done"}

    answers = [
        api_as(staff).post(f"/api/patient-payments/{payment['id']}/refunds", body, format="json")
        for _ in range(2)
    ]

    assert first != second
    assert [answer.status_code for answer in answers] == [201, 200]
    assert list(PatientRefund.objects.values_list("amount", "idempotency_key")) == [
        (Decimal("1500.00"), first)
    ]
