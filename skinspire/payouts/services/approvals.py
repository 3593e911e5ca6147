"""Maker-checker: submit, approve, reject, cancel (all audited).

A payment at or above its hospital's approval threshold (PayoutPolicy, else
PAYOUT_APPROVAL_THRESHOLD) waits for a Payment approver who is not its maker; below it, the
maker's submit approves it. An approved gateway payout is sent by a task enqueued after
commit; an approved manual payment (money already handed over) is completed at once.
"""

from django.db import transaction
from django.utils import timezone

from skinspire.core import locks
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from skinspire.core.models import StatusTransition, User
from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_PAYMENT_APPROVER
from skinspire.core.transitions import transition
from skinspire.payouts.conf import default_approval_threshold
from skinspire.payouts.models import PaymentMethod, PayoutBatch, PayoutPolicy, SupplierPayment
from skinspire.payouts.services.allocations import allocations_release, allocations_settle
from skinspire.payouts.services.postings import payment_completion_post

# Before the gateway has it; a payout link also while issued (see supplier_payment_cancel).
CANCELLABLE = ("draft", "pending_approval", "approved")


def approval_threshold(*, hospital_id: int):
    policy = PayoutPolicy.objects.filter(hospital_id=hospital_id).first()
    return policy.approval_threshold if policy else default_approval_threshold()


def supplier_payment_submit(*, payment: SupplierPayment, actor: User) -> SupplierPayment:
    needs_approval = payment.amount >= approval_threshold(hospital_id=payment.hospital_id)
    with transaction.atomic():
        if needs_approval:
            transition(
                instance=payment,
                to="pending_approval",
                reason="At or above the approval threshold",
                actor=actor,
            )
        else:
            transition(instance=payment, to="approved", reason="Below the approval threshold", actor=actor)
            _approved(payment, actor=actor)
        audit_entry_record(
            action="payouts.payment.submit",
            actor=actor,
            target=payment,
            changes={"status": {"from": "draft", "to": payment.status}},
        )
    return payment


def supplier_payment_approve(*, payment: SupplierPayment, approver: User) -> SupplierPayment:
    _check_checker(payment, approver)
    with transaction.atomic():
        _moved(transition(instance=payment, to="approved", reason="Approved", actor=approver), payment)
        payment.approved_by, payment.approved_at = approver, timezone.now()
        payment.save(update_fields=["approved_by", "approved_at", "updated_at"])
        audit_entry_record(
            action="payouts.payment.approve",
            actor=approver,
            target=payment,
            changes={"status": {"from": "pending_approval", "to": "approved"}},
        )
        _approved(payment, actor=approver)
    return payment


def supplier_payment_reject(*, payment: SupplierPayment, approver: User, reason: str) -> SupplierPayment:
    if not (reason or "").strip():
        raise ApplicationError("Say why the payment is rejected.", {"fields": {"reason": ["required"]}})
    _check_checker(payment, approver)
    with transaction.atomic():
        _moved(transition(instance=payment, to="rejected", reason=reason.strip(), actor=approver), payment)
        payment.rejection_reason = reason.strip()
        payment.save(update_fields=["rejection_reason", "updated_at"])
        allocations_release(payment=payment)
        audit_entry_record(
            action="payouts.payment.reject",
            actor=approver,
            target=payment,
            changes={"status": {"from": "pending_approval", "to": "rejected"}},
            message=reason.strip(),
        )
    return payment


def supplier_payment_cancel(*, payment: SupplierPayment, actor: User, reason: str) -> SupplierPayment:
    """Before the gateway has it: a draft, or one waiting for approval or for its task. An
    issued payout link is cancelled at the gateway (services/payout_links.py)."""
    if not (reason or "").strip():
        raise ApplicationError("Say why the payment is cancelled.", {"fields": {"reason": ["required"]}})
    if payment.method == PaymentMethod.PAYOUT_LINK and payment.status == "processing":
        from skinspire.payouts.services.payout_links import supplier_payout_link_cancel

        return supplier_payout_link_cancel(payment=payment, actor=actor, reason=reason.strip())
    with transaction.atomic():
        # Judged on the row as it is now: the payout task may have sent it since `payment`
        # was read, and the table lets a submitted payment be cancelled (by the gateway).
        before = locks.lock_instance(payment).status
        if before not in (*CANCELLABLE, "cancelled", "rejected"):  # those two: said by the move below
            raise ConflictError(
                f"A payment that is {SupplierPayment.state_machine.label(before).lower()} cannot be "
                "cancelled: the gateway has it (or had it) already.",
                {"status": before},
            )
        _moved(transition(instance=payment, to="cancelled", reason=reason.strip(), actor=actor), payment)
        allocations_release(payment=payment)
        audit_entry_record(
            action="payouts.payment.cancel",
            actor=actor,
            target=payment,
            changes={"status": {"from": before, "to": "cancelled"}},
            message=reason.strip(),
        )
    return payment


def _moved(record: StatusTransition, row: SupplierPayment | PayoutBatch) -> None:
    """A person's approve, reject or cancel that did not move the row (a second click, or
    another approver who got there first) is refused: what follows the move (an invoice's
    paid or reserved amount, the dispatch, the audit) must happen once. Raised inside the
    caller's transaction, so the ignored attempt leaves nothing behind."""
    if not record.applied:
        name = f"Payment {row.reference}" if isinstance(row, SupplierPayment) else f"Batch {row.name}"
        raise ConflictError(
            f"{name} is already {row.get_status_display().lower()}; nothing was changed. "
            "Reload it to see who acted on it.",
            {"id": row.pk, "status": row.status},
        )


def _check_checker(payment: SupplierPayment | PayoutBatch, approver: User) -> None:
    if not user_has_role(approver, ROLE_PAYMENT_APPROVER):
        raise PermissionDeniedError("Only a Payment approver can approve or reject payments.")
    if payment.created_by_id == approver.pk:
        raise PermissionDeniedError(
            "The maker of a payment cannot approve or reject it; another approver must."
        )


def _approved(payment: SupplierPayment, *, actor: User) -> None:
    if payment.method == PaymentMethod.MANUAL:
        transition(instance=payment, to="completed", reason="Manual payment, already made", actor=actor)
        payment.completed_at = timezone.now()
        payment.save(update_fields=["completed_at", "updated_at"])
        allocations_settle(payment=payment)
        payment_completion_post(payment=payment)
        return
    payment_id = payment.pk
    transaction.on_commit(lambda: _enqueue_dispatch(payment_id))


def _enqueue_dispatch(payment_id: int) -> None:
    from skinspire.payouts.tasks import supplier_payment_dispatch_task

    supplier_payment_dispatch_task.delay(payment_id)
