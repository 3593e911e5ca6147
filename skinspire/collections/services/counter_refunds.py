"""Counter refunds left pending: failed by the sweep, with a reason a person can act on.

A counter refund (cash, cheque, card at the desk) is recorded pending and marked processed
in the same request (services/refunds.py): the staff member's submit is their word that
the money was handed back. A process that ends between the two (a worker killed, a
deploy) leaves it pending, and a pending refund counts against what may still be refunded,
so the patient's refundable amount would stay reduced for ever, unseen.

Such a refund is failed, not processed: nothing confirmed the hand-back, and the ledger's
reversal is posted only when a refund is processed (services/postings.py), so failing it
leaves the books as they are and frees the amount. The reason tells staff to record the
refund again if the patient was in fact paid, which posts the reversal then, under their
name. A person's word is the only evidence of cash leaving a desk; the system never
supplies it.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from skinspire.collections.models import PatientRefund, PaymentCategory
from skinspire.collections.services.refunds import patient_refund_failed
from skinspire.core import locks

# The request takes well under a second; ten minutes leaves room for a slow one still running.
COUNTER_REFUND_CONFIRM_WITHIN = timedelta(minutes=10)
FAILURE_CODE = "counter_unconfirmed"


def patient_refunds_counter_unconfirmed_fail(*, now: datetime | None = None) -> list[int]:
    """Counter refunds still pending COUNTER_REFUND_CONFIRM_WITHIN after they were recorded,
    each failed with its reason and history row. Returns their ids."""
    cutoff = (now or timezone.now()) - COUNTER_REFUND_CONFIRM_WITHIN
    stale = PatientRefund.objects.filter(
        status="pending", payment__category=PaymentCategory.MANUAL, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    return [refund_id for refund_id in list(stale) if _fail_if_pending(refund_id)]


def _fail_if_pending(refund_id: int) -> bool:
    with transaction.atomic():
        # Locked and read again: one processed meanwhile (the request finishing late) stays so.
        refund = locks.lock_row(PatientRefund, pk=refund_id)
        if refund.status != "pending":
            return False
        recorded = timezone.localtime(refund.created_at).strftime("%d %b %Y %H:%M")
        patient_refund_failed(
            refund=refund,
            reason=(
                f"Recorded at the counter on {recorded}, but the request stopped before the refund was "
                "confirmed, so no money is recorded as paid back. If the patient was paid, record the "
                "refund again."
            ),
            event_reference=f"sweep:counter-refund:{refund.reference}",
            failure_code=FAILURE_CODE,
        )
    return True
