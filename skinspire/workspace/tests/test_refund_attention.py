"""A gateway refund pending too long (services/gateway_refunds_overdue.py) says so to the people
who must act: on the payment's page, above everything and in its row, and in admin's refund
list, which filters by it; once the gateway answers, it says so no more."""

from datetime import timedelta
from decimal import Decimal
from typing import cast

import pytest
from django.utils import timezone
from django.utils.html import escape

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.collections.services.gateway_refunds_overdue import patient_refunds_overdue_watch
from skinspire.collections.services.refunds import patient_refund_apply_result
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.gateways.providers.interface import RefundResult, RefundStatus
from skinspire.workspace.tests.test_refund_states import refund_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(desk, chart, gateway) -> PatientRefund:
    """A ₹300 Razorpay refund recorded twelve days ago, still pending, marked by the watch."""
    bill = BillFactory(branch=desk.main, number="OPD-2001", amount="900.00")
    payment = cast(PatientPayment, PatientPaymentFactory(bill=bill, amount="900.00", status="captured",
                   configuration=gateway, gateway_order_id="order_A1", gateway_payment_id="pay_A1"))  # fmt: skip
    refund = PatientRefund.objects.create(hospital=desk.hospital, branch=desk.main, payment=payment,
                                          amount="300.00", reason="Overcharged", gateway_refund_id="rfnd_A1")  # fmt: skip
    PatientRefund.objects.filter(pk=refund.pk).update(created_at=timezone.now() - timedelta(days=12))
    patient_refunds_overdue_watch()
    refund.refresh_from_db()
    assert refund.attention_reason
    return refund


def page(client, refund) -> str:
    return client.get(f"/workspace/patient-payments/{refund.payment_id}/").content.decode()


def test_the_payment_page_says_the_refund_needs_attention_and_why(client, desk, overdue):
    client.force_login(desk.people["accountant"])

    html = page(client, overdue)

    assert f'<div class="banner banner-warning" id="refund-attention-{overdue.pk}">' in html
    assert (
        f"<strong>Refund {overdue.reference} needs attention:</strong> {escape(overdue.attention_reason)}"
        in html
    )
    assert "Ask Razorpay&#x27;s support about refund rfnd_A1 (₹300.00, our reference" in html
    since = timezone.localtime(overdue.attention_since).strftime("%-d %b %Y")
    assert (
        f'<small class="attention">Needs attention since {since}: pending at the gateway too long.</small>'
        in refund_row(html, overdue)
    )


def test_once_the_gateway_answers_the_page_says_so_no_more(client, desk, overdue):
    patient_refund_apply_result(
        refund=overdue,
        result=RefundResult(gateway_refund_id="rfnd_A1", gateway_payment_id="pay_A1", status=RefundStatus.PROCESSED,
                            gateway_status="processed", amount=Decimal("300.00")),
        reason="Gateway event refund.processed", event_reference="webhook:razorpay:evt_A1",
    )  # fmt: skip
    client.force_login(desk.people["accountant"])

    html = page(client, overdue)

    assert "needs attention" not in html.lower()
    assert '<span class="badge badge-success" data-status="processed">Processed</span>' in refund_row(
        html, overdue
    )


def test_admin_lists_and_filters_refunds_that_need_attention(client, desk, overdue):
    calm = PatientRefund.objects.create(hospital=desk.hospital, branch=desk.main, payment=overdue.payment,
                                        amount="100.00", reason="Second thoughts")  # fmt: skip
    client.force_login(desk.people["superuser"])
    url = "/admin/collections/patientrefund/"

    needing = client.get(url, {"attention": "yes"}).content.decode()
    others = client.get(url, {"attention": "no"}).content.decode()

    assert (overdue.reference in needing, calm.reference in needing) == (True, False)
    assert escape(overdue.attention_reason) in needing
    assert (overdue.reference in others, calm.reference in others) == (False, True)
    assert "By needs attention" in client.get(url).content.decode()
