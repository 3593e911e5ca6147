"""Receipts: an e-mail to the patient once a payment is received (Django's e-mail backend:
the console in development), with the receipt as HTML and as a PDF attached, sent once
however many times it is asked for."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.receipt_pdf import receipt_pdf
from skinspire.core.money import format_inr


def receipt_context(*, payment: PatientPayment) -> dict:
    bill = payment.bill
    return {
        "payment": payment,
        "bill": bill,
        "patient": bill.patient,
        "hospital": payment.hospital,
        "amount": format_inr(payment.amount),
        "bill_amount": format_inr(bill.amount),
        "bill_open": format_inr(bill.amount_open),
    }


def patient_payment_receipt_send(*, payment_id: int) -> bool:
    """Send the receipt of a received payment to the patient's e-mail; False when there is
    nothing to send (no e-mail, not received) or it has been sent already."""
    with transaction.atomic():
        payment = (
            PatientPayment.objects.select_for_update(of=("self",))
            .select_related("bill", "bill__patient", "hospital")
            .get(pk=payment_id)
        )
        if payment.receipt_sent_at or payment.status != "captured" or not payment.bill.patient.email:
            return False
        context = receipt_context(payment=payment)
        message = EmailMultiAlternatives(
            subject=f"Receipt {payment.reference} — {payment.hospital}",
            body=render_to_string("collections/receipt_email.txt", context),
            to=[payment.bill.patient.email],
        )
        message.attach_alternative(render_to_string("collections/receipt_email.html", context), "text/html")
        message.attach(f"receipt-{payment.reference}.pdf", receipt_pdf(payment=payment), "application/pdf")
        message.send()
        payment.receipt_sent_at = timezone.now()
        payment.save(update_fields=["receipt_sent_at", "updated_at"])
    return True
