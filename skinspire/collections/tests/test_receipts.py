"""Receipts: e-mailed once when a payment is received, and a receipt page by reference."""

import io
import smtplib
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from pypdf import PdfReader

from skinspire.collections.services.payments import patient_payment_capture, patient_payment_manual_record
from skinspire.collections.services.receipts import patient_payment_receipt_send
from skinspire.collections.tasks import patient_payment_receipt_send_task
from skinspire.collections.tests.factories import PatientPaymentFactory

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The text a reader extracts (pypdf), lines joined with spaces."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_received_payment_is_e_mailed_once(bill, staff_user, django_capture_on_commit_callbacks):
    bill.amount = Decimal("123456.00")
    bill.save()
    with django_capture_on_commit_callbacks(execute=True):
        payment = patient_payment_manual_record(
            actor=staff_user, bill=bill, amount="100000.50", method="cash"
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [bill.patient.email]
    assert message.subject == f"Receipt {payment.reference} — {bill.hospital}"
    assert "received ₹1,00,000.50 for bill" in message.body
    assert "still open ₹23,455.50" in message.body
    html = message.alternatives[0][0]
    assert payment.reference in html and "₹1,00,000.50" in html
    ((filename, pdf, mimetype),) = message.attachments
    assert (filename, mimetype) == (f"receipt-{payment.reference}.pdf", "application/pdf")
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for expected in (
        payment.reference,
        "Amount received ₹1,00,000.50",
        "Still open on the bill ₹23,455.50",
        f"{bill.number} - Consultation",
        f"{bill.patient.name} ({bill.patient.patient_number})",
        "Method Cash",
    ):
        assert expected in text, expected
    assert "Rs." not in text
    assert patient_payment_receipt_send(payment_id=payment.pk) is False  # sent already
    assert len(mail.outbox) == 1


def test_the_pdf_prints_the_rupee_sign_and_names_as_written(bill, staff_user):
    from skinspire.collections.services.receipt_pdf import receipt_pdf

    bill.patient.name = "Zoë Łukasz Śarmā"
    bill.patient.save()
    payment = patient_payment_manual_record(actor=staff_user, bill=bill, amount="1500.00", method="cash")

    text = pdf_text(receipt_pdf(payment=payment))

    assert "Amount received ₹1,500.00" in text
    assert "Zoë Łukasz Śarmā" in text


def test_verify_and_webhook_both_capturing_send_one_receipt(bill, django_capture_on_commit_callbacks):
    payment = PatientPaymentFactory(bill=bill)
    with django_capture_on_commit_callbacks(execute=True):
        patient_payment_capture(
            payment=payment, reason="verify", event_reference="verify:1", gateway_payment_id="pay_9"
        )
        patient_payment_capture(payment=payment, reason="webhook", event_reference="webhook:1")

    assert len(mail.outbox) == 1
    assert "Gateway payment id: pay_9" in mail.outbox[0].body


def test_the_receipt_names_a_gateway_method_by_its_label(bill, django_capture_on_commit_callbacks):
    payment = PatientPaymentFactory(bill=bill, method="upi")
    with django_capture_on_commit_callbacks(execute=True):
        patient_payment_capture(
            payment=payment, reason="verify", event_reference="verify:1", gateway_payment_id="pay_9"
        )

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert '<th scope="row">Method</th><td>UPI</td>' in html
    assert "Method: UPI" in message.body
    assert "Method UPI" in pdf_text(message.attachments[0][1])
    # The e-mail carries its own styles: a mail reader loads nothing from the site.
    assert "<style>" in html and "site.css" not in html


def test_a_method_without_a_label_is_shown_as_the_gateway_gave_it(bill):
    assert PatientPaymentFactory.build(bill=bill, method="netbanking").get_method_display() == "Net banking"
    assert PatientPaymentFactory.build(bill=bill, method="NB").get_method_display() == "Net banking"
    assert PatientPaymentFactory.build(bill=bill, method="card_swipe").get_method_display() == "Card swipe"
    assert PatientPaymentFactory.build(bill=bill, method="bnpl_x").get_method_display() == "bnpl_x"


def test_no_e_mail_address_no_receipt(bill, staff_user, django_capture_on_commit_callbacks):
    bill.patient.email = ""
    bill.patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        patient_payment_manual_record(actor=staff_user, bill=bill, amount="10.00", method="cash")

    assert mail.outbox == []


def test_the_receipt_page_by_reference(client, bill, staff_user):
    payment = patient_payment_manual_record(
        actor=staff_user, bill=bill, amount="1500.00", method="card_swipe"
    )
    pending = PatientPaymentFactory(bill=bill)

    page = client.get(f"/pay/receipt/{payment.reference}")

    assert page.status_code == 200
    html = page.content.decode()
    assert "₹1,500.00" in html
    assert '<th scope="row">Method</th><td>Card swipe</td>' in html
    # Styled by the site's stylesheet, as the link pages are: the CSP allows no inline style.
    assert 'rel="stylesheet" href="/static/skinspire/site.css"' in html
    assert "style=" not in html and "<style" not in html
    assert 'class="patient-receipt"' in html
    assert bill.patient.name in page.content.decode()
    assert client.get(f"/pay/receipt/{pending.reference}").status_code == 404
    assert client.get("/pay/receipt/PPNOTAREALREFERENCE0").status_code == 404


def test_a_mail_server_that_refuses_once_still_gets_the_receipt_sent(
    bill, staff_user, django_capture_on_commit_callbacks, monkeypatch
):
    send = locmem.EmailBackend.send_messages
    refusals = []

    def refuse_once(self, messages):
        if not refusals:
            refusals.append(messages)
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return send(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse_once)
    with django_capture_on_commit_callbacks(execute=False):
        payment = patient_payment_manual_record(actor=staff_user, bill=bill, amount="500.00", method="cash")

    # Eagerly, Celery runs the retry at once, without its countdown.
    patient_payment_receipt_send_task.apply(args=[payment.pk], throw=False)

    payment.refresh_from_db()
    assert len(refusals) == 1
    assert [message.subject for message in mail.outbox] == [f"Receipt {payment.reference} — {bill.hospital}"]
    assert payment.receipt_sent_at is not None
