"""Two resolutions of a "missing in system" line that change more than the discrepancy
(issue 12 item 5), each with a reason, permission-checked and written to the audit log:

- link: the gateway's line is one of our payments after all (the accountant names it by its
  reference, the kind of record follows from the line's kind); the amount is checked again,
  and a payment carrying another gateway id is refused (that would hide a real difference).
  The payment row itself is not changed: the link is kept on the discrepancy and in the log;
- create the missing payment: the money moved and we have no record, so a manual payment is
  recorded through the collections or payouts services (never raw rows), with the gateway's
  id as its instrument reference.
"""

from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from skinspire.collections.models import Bill, PatientPayment, PatientRefund
from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.core.audit.services import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from skinspire.core.locks import lock_instance
from skinspire.core.models import StatusTransition
from skinspire.core.money import format_inr
from skinspire.core.transitions import transition
from skinspire.payouts.models import PaymentMethod, Supplier, SupplierPayment, TransferMode
from skinspire.payouts.services.approvals import supplier_payment_submit
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.reconciliation.engine import Category, Kind
from skinspire.reconciliation.models import Discrepancy, ReconciliationItem

ACTION_LINK = "reconciliation.discrepancy_link"
ACTION_CREATE = "reconciliation.discrepancy_payment_create"
PERMISSION = "reconciliation.change_discrepancy"
# Our records a gateway line can be linked to, per kind: (model, key prefix, gateway id field).
LINKABLE: dict[Kind, tuple[type[models.Model], str, str]] = {
    Kind.COLLECTION: (PatientPayment, "patient_payment", "gateway_payment_id"),
    Kind.REFUND: (PatientRefund, "patient_refund", "gateway_refund_id"),
    Kind.PAYOUT: (SupplierPayment, "payout", "gateway_payout_id"),
}


BOTH_GIVEN = (
    "Give a bill (and method) for a patient's payment or a supplier for a payout, not both: "
    "a payment is one or the other."
)


@dataclass(frozen=True)
class MissingPayment:
    """What the accountant chose for the payment to create: a bill and a counter method for a
    patient's payment, a supplier for a payout."""

    bill_number: str = ""
    method: str = ""
    supplier_id: int | None = None


def _checked(discrepancy: Discrepancy, *, actor, note: str) -> tuple[str, ReconciliationItem]:
    if not actor.has_perm(PERMISSION):
        raise PermissionDeniedError("Only accountants resolve discrepancies.")
    note = note.strip()
    if not note:
        raise ApplicationError(
            "Say why: a resolution needs a note.", extra={"fields": {"note": ["This field is required."]}}
        )
    if discrepancy.status != "open":
        raise ConflictError(
            f"Discrepancy {discrepancy.pk} is already {discrepancy.get_status_display().lower()}."
        )
    if discrepancy.category != Category.MISSING_IN_SYSTEM or len(discrepancy.gateway_keys) != 1:
        raise ApplicationError(
            "Only a gateway line missing in our records can be linked to a payment or have one created."
        )
    line = ReconciliationItem.objects.get(
        run=discrepancy.last_run, side=ReconciliationItem.Side.GATEWAY, key=discrepancy.gateway_keys[0]
    )
    return note, line


def discrepancy_link(*, discrepancy: Discrepancy, actor, payment_reference: str, note: str) -> Discrepancy:
    note, line = _checked(discrepancy, actor=actor, note=note)
    if Kind(line.kind) not in LINKABLE:
        raise ApplicationError(f"A {line.kind} line is not one of our payments; write it off or ignore it.")
    model, prefix, id_field = LINKABLE[Kind(line.kind)]
    payment = model._default_manager.filter(
        hospital_id=discrepancy.hospital_id, reference=payment_reference.strip()
    ).first()
    if payment is None:
        raise ApplicationError(
            f"No {model._meta.verbose_name} of this hospital has the reference '{payment_reference}'.",
            extra={"fields": {"payment_reference": ["Not found."]}},
        )
    _check_same_money(line, payment, id_field)
    key = f"{prefix}:{payment.pk}"
    with transaction.atomic():
        # The payment's row lock makes "not linked yet" hold until the link commits: two
        # accountants linking it to two lines at once would otherwise both pass the check.
        # Any line of the hospital counts, whichever gateway account its run was for.
        lock_instance(payment)
        already = Discrepancy.objects.filter(hospital_id=discrepancy.hospital_id, linked_key=key).first()
        if already is not None:
            raise ConflictError(
                f"Payment {payment_reference.strip()} already accounts for discrepancy #{already.pk}.",
                extra={"fields": {"payment_reference": ["Already linked."]}},
            )
        _resolve(discrepancy, actor=actor, resolution=Discrepancy.Resolution.LINKED, note=note, key=key)
        audit_entry_record(
            action=ACTION_LINK, actor=actor, target=discrepancy,
            changes={"linked": {"from": "", "to": key}, "gateway_id": {"from": "", "to": line.gateway_id}},
            message=note,
        )  # fmt: skip
    return discrepancy


def _check_same_money(line: ReconciliationItem, payment, id_field: str) -> None:
    if payment.amount != line.amount:
        raise ApplicationError(
            f"The gateway's line is {format_inr(line.amount)} and payment {payment.reference} is {format_inr(payment.amount)}: "
            "they are not the same money.",
            extra={"fields": {"payment_reference": ["Amount differs."]}},
        )
    carried = getattr(payment, id_field)
    if carried and carried != line.gateway_id:
        raise ApplicationError(
            f"Payment {payment.reference} carries the gateway id {carried}, not {line.gateway_id}.",
            extra={"fields": {"payment_reference": ["Another gateway id."]}},
        )


def discrepancy_payment_create(
    *, discrepancy: Discrepancy, actor, missing: MissingPayment, note: str
) -> Discrepancy:
    note, line = _checked(discrepancy, actor=actor, note=note)
    with transaction.atomic():
        if line.kind == Kind.COLLECTION:
            key = f"patient_payment:{_patient_payment(discrepancy, line, actor, missing, note).pk}"
        elif line.kind == Kind.PAYOUT:
            key = f"payout:{_supplier_payment(discrepancy, line, actor, missing, note).pk}"
        else:
            raise ApplicationError(
                f"A {line.kind} line cannot be recorded as a new payment; link it or write it off."
            )
        _resolve(
            discrepancy, actor=actor, resolution=Discrepancy.Resolution.PAYMENT_CREATED, note=note, key=key
        )
        audit_entry_record(
            action=ACTION_CREATE, actor=actor, target=discrepancy,
            changes={"created": {"from": "", "to": key}, "amount": {"from": None, "to": line.amount}},
            message=note,
        )  # fmt: skip
    return discrepancy


def _patient_payment(discrepancy, line, actor, missing: MissingPayment, note: str) -> PatientPayment:
    # Said here, by field: collections' own refusals of a blank ("No bill ... number ''")
    # are written for a wrong value, not a missing one.
    if missing.supplier_id:
        raise ApplicationError(
            "This gateway line is a patient's payment: it is recorded against a bill; leave the supplier empty.",
            extra={"fields": {"supplier_id": ["Not for a patient's payment."]}},
        )
    if not missing.bill_number.strip():
        raise ApplicationError(
            "Give the number of the bill this payment was for.",
            extra={"fields": {"bill_number": ["This field is required."]}},
        )
    if not missing.method:
        raise ApplicationError(
            "Choose how the payment is recorded: cash, cheque or card swipe.",
            extra={"fields": {"method": ["This field is required."]}},
        )
    bill = Bill.objects.filter(
        hospital_id=discrepancy.hospital_id, number=missing.bill_number.strip()
    ).first()
    if bill is None:
        raise ApplicationError(
            f"No bill of this hospital has the number '{missing.bill_number}'.",
            extra={"fields": {"bill_number": ["Not found."]}},
        )
    return patient_payment_manual_record(
        actor=actor,
        bill=bill,
        amount=line.amount,
        method=missing.method,
        instrument_reference=line.gateway_id,
        notes=f"Recorded from reconciliation (discrepancy #{discrepancy.pk}): {note}",
    )


def _supplier_payment(discrepancy, line, actor, missing: MissingPayment, note: str) -> SupplierPayment:
    if missing.bill_number.strip() or missing.method:
        raise ApplicationError(
            "This gateway line is a supplier payout: it is recorded for a supplier; leave the bill and method empty.",
            extra={"fields": {"bill_number": ["Not for a payout."]}},
        )
    suppliers = Supplier.objects.filter(hospital_id=discrepancy.hospital_id)
    supplier = suppliers.filter(pk=missing.supplier_id).first() if missing.supplier_id else None
    if supplier is None:
        raise ApplicationError(
            "Choose the supplier this payout paid.", extra={"fields": {"supplier_id": ["Not found."]}}
        )
    payment, _ = supplier_payment_create(
        request=PaymentRequest(
            supplier=supplier,
            amount=line.amount,
            method=PaymentMethod.MANUAL,
            mode=TransferMode.BANK_TRANSFER,
            idempotency_key=f"reconciliation:{discrepancy.pk}",
            description=f"Recorded from reconciliation (discrepancy #{discrepancy.pk})"[:200],
            manual_reference=" ".join(part for part in (line.gateway_id, line.utr) if part)[:100],
        ),
        maker=actor,
    )
    # Submitted as any manual payment is: completed at once below the approval threshold,
    # else waiting for a payment approver (the maker never approves their own).
    return supplier_payment_submit(payment=payment, actor=actor)


def _resolve(discrepancy: Discrepancy, *, actor, resolution: str, note: str, key: str) -> None:
    record = transition(instance=discrepancy, to="resolved", reason=note, actor=actor)
    if record.outcome != StatusTransition.Outcome.APPLIED:
        raise ConflictError(
            f"Discrepancy {discrepancy.pk} is already {discrepancy.get_status_display().lower()}."
        )
    discrepancy.resolution, discrepancy.resolution_note, discrepancy.linked_key = resolution, note, key
    discrepancy.resolved_by, discrepancy.resolved_at = actor, timezone.now()
    discrepancy.save(
        update_fields=["resolution", "resolution_note", "linked_key", "resolved_by", "resolved_at"]
    )
