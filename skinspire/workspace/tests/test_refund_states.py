"""One payment's refunds say where each stands: a counter refund a stopped request left
pending says it is not yet confirmed; once the sweep fails it, its reason is shown (to staff
on the workspace page and in admin's list) and the amount is refundable again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientRefund
from skinspire.collections.services import refunds
from skinspire.collections.services.counter_refunds import patient_refunds_counter_unconfirmed_fail
from skinspire.collections.tests.factories import BillFactory, PatientFactory, PatientPaymentFactory
from skinspire.workspace.tests.payments_support import api_as, counter_payment

pytestmark = pytest.mark.django_db

REASON = (
    "but the request stopped before the refund was confirmed, so no money is recorded as paid back. "
    "If the patient was paid, record the refund again."
)


class RequestStopped(BaseException):
    """The worker ending between recording the refund and marking it paid back."""


def stop_request(**kwargs):
    raise RequestStopped


@pytest.fixture
def stranded(desk, chart, monkeypatch) -> PatientRefund:
    """A ₹400 refund of a ₹1,500 cash payment, recorded an hour ago by a request that stopped."""
    patient = PatientFactory(hospital=desk.hospital, name="Asha Verma", patient_number="UHID-111")
    bill = BillFactory(branch=desk.main, patient=patient, number="OPD-1001", amount="1500.00")
    payment_id = counter_payment(desk.people["payments"], bill)["id"]
    with monkeypatch.context() as patched:
        patched.setattr(refunds, "patient_refund_processed", stop_request)
        with pytest.raises(RequestStopped):
            api_as(desk.people["payments"]).post(
                f"/api/patient-payments/{payment_id}/refunds",
                {"amount": "400.00", "reason": "Duplicate charge"},
                format="json",
            )
    refund = PatientRefund.objects.get(payment_id=payment_id)
    PatientRefund.objects.filter(pk=refund.pk).update(created_at=timezone.now() - timedelta(hours=1))
    return refund


def refund_row(html: str, refund: PatientRefund) -> str:
    start = html.index(f'<tr id="refund-{refund.pk}">')
    return html[start : html.index("</tr>", start)]


def test_the_page_says_a_pending_counter_refund_is_not_confirmed_then_why_it_failed(client, desk, stranded):
    client.force_login(desk.people["payments"])
    url = f"/workspace/patient-payments/{stranded.payment_id}/"

    html = client.get(url).content.decode()
    assert '<strong id="refundable">₹1,100.00</strong>' in html
    row = refund_row(html, stranded)
    assert '<span class="badge badge-waiting" data-status="pending">Pending</span>' in row
    assert '<small class="muted">Not yet confirmed as paid back at the counter.</small>' in row

    patient_refunds_counter_unconfirmed_fail()

    html = client.get(url).content.decode()
    assert '<strong id="refundable">₹1,500.00</strong>' in html
    row = refund_row(html, stranded)
    assert '<span class="badge badge-danger" data-status="failed">Failed</span>' in row
    assert REASON in row
    assert "<td>Duplicate charge</td>" in row


def test_admin_lists_the_failed_refund_with_its_reason(client, desk, stranded):
    patient_refunds_counter_unconfirmed_fail()
    client.force_login(desk.people["superuser"])

    html = client.get("/admin/collections/patientrefund/", {"status__exact": "failed"}).content.decode()

    assert stranded.reference in html
    assert REASON in html


def test_a_pending_gateway_refund_says_it_waits_for_the_gateway(client, desk, chart):
    bill = BillFactory(branch=desk.main, number="OPD-1002", amount="900.00")
    online = PatientPaymentFactory(bill=bill, amount="900.00", status="captured", gateway_order_id="order_W2")
    waiting = PatientRefund.objects.create(hospital=desk.hospital, branch=desk.main, payment=online,
                                           amount="100.00", reason="Overcharged")  # fmt: skip
    client.force_login(desk.people["accountant"])

    row = refund_row(client.get(f"/workspace/patient-payments/{online.pk}/").content.decode(), waiting)

    assert '<small class="muted">Waiting for the gateway\'s answer.</small>' in row
