"""Patient payments: the bill's paid amount, counter collections, and reaching "captured".

Lock order, everywhere: the payment row, then its bill's row (skinspire.core.locks). A new
payment is created under its bill's lock, and no other transaction can see it until commit.
"""

import functools
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from skinspire.collections.models import (
    RECEIVED_STATUSES,
    Bill,
    ManualMethod,
    PatientPayment,
    PaymentCategory,
    PaymentSource,
)
from skinspire.collections.services.bills import bill_status_for
from skinspire.collections.services.links_beyond_open import links_beyond_open_cancel_after_commit
from skinspire.collections.services.postings import payment_received_post
from skinspire.collections.tasks import patient_payment_receipt_send_task
from skinspire.core import locks
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError
from skinspire.core.idempotency import created_once, replay_or_conflict, row_with_key
from skinspire.core.models import StatusTransition, User
from skinspire.core.money import format_inr, to_rupees
from skinspire.core.transitions import transition

ZERO = Decimal("0.00")


def bill_paid_amount_refresh(*, bill_id: int) -> Bill:
    """amount_paid = what its payments brought in minus what went back; locks the bill."""
    bill = locks.lock_row(Bill, pk=bill_id)
    received = PatientPayment.objects.filter(bill_id=bill_id, status__in=RECEIVED_STATUSES).aggregate(
        total=Coalesce(
            Sum(F("amount") - F("amount_refunded")),
            Value(ZERO),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )["total"]
    if received > bill.amount and received > bill.amount_paid:
        _overpaid_alert(bill=bill, received=received)
    came_in = received > bill.amount_paid
    bill.amount_paid = received
    bill.status = bill_status_for(amount=bill.amount, amount_paid=received)
    bill.save(update_fields=["amount_paid", "status", "updated_at"])
    if came_in:
        links_beyond_open_cancel_after_commit(bill=bill)
    return bill


def _overpaid_alert(*, bill: Bill, received: Decimal) -> None:
    """Money received always lands (two tabs each paying the whole bill, a link paid after
    the counter took part of it), so a bill can receive more than it is for. Then it reads
    paid with nothing open, and only this entry in the audit log, where staff and
    accountants see alerts, says a patient is owed a refund."""
    audit_entry_record(
        action="bill.overpaid_alert",
        target=bill,
        changes={"amount_paid": {"from": bill.amount_paid, "to": received}},
        message=(
            f"Bill {bill.number} is for {format_inr(bill.amount)} and has received {format_inr(received)}: "
            f"{format_inr(received - bill.amount)} more. Refund the extra to the patient."
        ),
    )


def amount_within_open(*, bill: Bill, amount: Decimal | str | None) -> Decimal:
    """The amount asked for (all that is open when None), if the bill has that much open."""
    open_amount = bill.amount_open
    if open_amount <= 0:
        raise ApplicationError(f"Bill {bill.number} is already paid.", {"bill_id": bill.pk})
    wanted = open_amount if amount is None else to_rupees(amount)
    if wanted <= 0 or wanted > open_amount:
        raise ApplicationError(
            f"The amount must be more than zero and at most {format_inr(open_amount)}, what is open on bill {bill.number}.",
            {"fields": {"amount": [f"At most {open_amount}."]}},
        )
    return wanted


def patient_payment_manual_record(
    *,
    actor: User,
    bill: Bill,
    amount: Decimal | str,
    method: str,
    instrument_reference: str = "",
    notes: str = "",
    idempotency_key: str = "",
) -> PatientPayment:
    """Cash, cheque or a card swiped at reception: received at once, receivable settled."""
    payment, _ = patient_payment_manual_record_once(
        actor=actor, bill=bill, amount=amount, method=method,
        instrument_reference=instrument_reference, notes=notes, idempotency_key=idempotency_key,
    )  # fmt: skip
    return payment


def patient_payment_manual_record_once(
    *,
    actor: User,
    bill: Bill,
    amount: Decimal | str,
    method: str,
    instrument_reference: str = "",
    notes: str = "",
    idempotency_key: str = "",
) -> tuple[PatientPayment, bool]:
    """The new counter payment and True; or, for an idempotency key already used in the
    hospital, the first payment and False (a different bill, amount or method is a 409)."""
    if method not in ManualMethod.values:
        raise ApplicationError(
            f"'{method}' is not a counter payment method.", {"fields": {"method": ["Unknown."]}}
        )
    wanted = to_rupees(amount)

    def same_request(existing: PatientPayment) -> bool:
        return (existing.bill_id, existing.amount, existing.method) == (bill.pk, wanted, method)

    def record() -> tuple[PatientPayment, bool]:
        # The key is looked up under the bill's lock: a second submit of the same form waits
        # for the first and finds its payment, instead of a bill that is now paid.
        locked_bill = locks.lock_row(Bill, pk=bill.pk)
        existing = row_with_key(PatientPayment, hospital_id=locked_bill.hospital_id, key=idempotency_key)
        if existing is not None:
            answer = replay_or_conflict(
                existing, same_request=same_request(existing), noun="payment", viewer=actor
            )
            return answer, False
        payment = _manual_payment_create(
            actor=actor, bill=locked_bill, amount=wanted, method=method,
            instrument_reference=instrument_reference, notes=notes, idempotency_key=idempotency_key,
        )  # fmt: skip
        return payment, True

    return created_once(
        record, model=PatientPayment, hospital_id=bill.hospital_id, key=idempotency_key,
        same_request=same_request, noun="payment", viewer=actor,
    )  # fmt: skip


def _manual_payment_create(
    *, actor: User, bill: Bill, amount: Decimal, method: str, instrument_reference: str, notes: str,
    idempotency_key: str,
) -> PatientPayment:  # fmt: skip
    payment = PatientPayment.objects.create(
        hospital_id=bill.hospital_id,
        branch_id=bill.branch_id,
        bill=bill,
        amount=amount_within_open(bill=bill, amount=amount),
        category=PaymentCategory.MANUAL,
        source=PaymentSource.INTERNAL,
        method=method,
        bank_transaction_id=instrument_reference,
        notes=notes,
        idempotency_key=idempotency_key or None,
        created_by=actor,
    )
    patient_payment_capture(
        payment=payment,
        reason=f"Collected at the counter ({ManualMethod(method).label.lower()})",
        actor=actor,
    )
    audit_entry_record(
        action="patient_payment.manual_record",
        actor=actor,
        target=payment,
        changes={"amount": {"from": None, "to": payment.amount}, "method": {"from": None, "to": method}},
    )
    return payment


@transaction.atomic
def patient_payment_capture(
    *,
    payment: PatientPayment,
    reason: str,
    actor: User | None = None,
    event_reference: str = "",
    gateway_payment_id: str = "",
    method: str = "",
    bank_transaction_id: str = "",
    fee: Decimal | None = None,
    tax: Decimal | None = None,
    captured_at: datetime | None = None,
) -> StatusTransition:
    """Move the payment to captured (once: a repeat or a late arrival is recorded and ignored),
    fill in what the gateway said, refresh the bill and post the ledger entry."""
    record = transition(
        instance=payment, to="captured", reason=reason, actor=actor, event_reference=event_reference
    )
    if not record.applied:
        return record
    details = {
        "gateway_payment_id": gateway_payment_id,
        "method": method,
        "bank_transaction_id": bank_transaction_id,
        "fee": fee,
        "tax": tax,
    }
    for name, value in details.items():
        if value not in ("", None):
            setattr(payment, name, value)
    payment.captured_at = captured_at or timezone.now()
    # Money on an attempt that had failed (a declined try the patient retried, an order staff
    # released): the failure no longer describes the payment. Its history keeps it.
    payment.failure_code, payment.failure_reason = "", ""
    payment.save(update_fields=[*details, "captured_at", "failure_code", "failure_reason", "updated_at"])
    bill_paid_amount_refresh(bill_id=payment.bill_id)
    payment_received_post(payment=payment)
    transaction.on_commit(functools.partial(patient_payment_receipt_send_task.delay, payment.pk))
    return record


@transaction.atomic
def patient_payment_fees_from_settlement(
    *, configuration_id: int, fees: Mapping[int, tuple[Decimal, Decimal]], source: str
) -> int:
    """Fill in the fee and GST of gateway payments the gateway captured without reporting one,
    from the settlement line that paid each out ({payment id: (fee with GST, GST)}). How many.

    Paytm gives a payment's commission and GST only on its settlement list (its status API
    and webhooks carry none), so until then the fee report counts the payment as "fee not
    reported". A fee already known is never replaced (the database keeps fee and tax
    write-once, collections migration 0011); each one filled in is audited, naming `source`.
    """
    ids = sorted(fees)  # one lock order for every caller
    payments = [
        payment
        for start in range(0, len(ids), 500)  # SQLite takes a bounded number of parameters
        for payment in PatientPayment.objects.select_for_update()
        .filter(pk__in=ids[start : start + 500], configuration_id=configuration_id, fee=None)
        .order_by("pk")
    ]
    now = timezone.now()
    for payment in payments:
        payment.fee, payment.tax = fees[payment.pk]
        payment.updated_at = now
        audit_entry_record(
            action="patient_payment.fee_settled",
            target=payment,
            changes={"fee": {"from": None, "to": payment.fee}, "tax": {"from": None, "to": payment.tax}},
            message=f"Fee {format_inr(payment.fee)} (GST {format_inr(payment.tax)}) from {source}.",
        )
    PatientPayment.objects.bulk_update(payments, ["fee", "tax", "updated_at"], batch_size=500)
    return len(payments)
