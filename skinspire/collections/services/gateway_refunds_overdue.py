"""Gateway refunds the gateway keeps pending past its own bound: marked for a person.

A gateway refund is pending until the gateway says processed or failed, and the status sync
asks about it for as long as it is pending (status_sources.py). Razorpay's normal refunds
take 5-7 working days (reference/razorpay.md §3.3); one still pending after that is stuck
at the gateway or the bank, and asking every few minutes will not move it: a person must
ask the gateway's support and tell the patient. So a refund pending longer than
PATIENT_REFUND_OVERDUE_WORKING_DAYS is marked (attention_reason, attention_since), shown on
the payment page and in admin, and written once to the audit log
(`patient_refund.overdue_alert`).

From then on the status sync leaves it to this job, which asks again after as long as it has
been marked (at least PATIENT_REFUND_OVERDUE_ASK_MIN_SECONDS, at most ..._MAX_SECONDS), so
the gateway is asked less and less often but never stops being asked. Its answer is applied
like any other (services/refunds.py), and a processed or failed refund loses the mark there.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from skinspire.collections.models import PatientRefund, PaymentCategory
from skinspire.collections.services.refunds import patient_refund_apply_result
from skinspire.core import locks
from skinspire.core.audit import audit_entry_record
from skinspire.core.money import format_inr
from skinspire.gateways.errors import GatewayError
from skinspire.gateways.providers.interface import RefundStatus
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.providers.schemas import provider_choices

BATCH = 200
ALERT = "patient_refund.overdue_alert"


def patient_refunds_overdue_watch(*, now: datetime | None = None) -> dict[str, int]:
    """Counted: marked (newly overdue); asked (marked ones due to be asked again); resolved
    (processed or failed, the mark gone); still_pending; unanswered (the gateway could not
    say: asked again later, never dropped)."""
    now = now or timezone.now()
    counts = {
        "marked": _overdue_mark(now=now),
        "asked": 0,
        "resolved": 0,
        "still_pending": 0,
        "unanswered": 0,
    }
    # A marked refund without a next time (none is written so) is due rather than never asked.
    due = PatientRefund.objects.filter(
        Q(status_next_ask_at__lte=now) | Q(status_next_ask_at__isnull=True),
        status="pending",
        attention_since__isnull=False,
    ).order_by(F("status_next_ask_at").asc(nulls_first=True), "pk")
    for refund_id in list(due.values_list("pk", flat=True)[:BATCH]):
        counts["asked"] += 1
        counts[_ask(refund_id, now=now)] += 1
    return counts


def working_days_before(moment: datetime, days: int) -> datetime:
    """`moment` moved back over `days` working days (Monday to Friday, in local time): the
    gateways count refund times in working days. Bank holidays are not known here."""
    local = timezone.localtime(moment)
    while days > 0:
        local -= timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    return local


def _overdue_mark(*, now: datetime) -> int:
    cutoff = working_days_before(now, settings.PATIENT_REFUND_OVERDUE_WORKING_DAYS)
    overdue = PatientRefund.objects.filter(
        status="pending",
        attention_since__isnull=True,
        payment__category=PaymentCategory.GATEWAY,
        payment__configuration__isnull=False,
        created_at__lt=cutoff,
    ).values_list("pk", flat=True)
    return sum(_mark(refund_id, now=now) for refund_id in list(overdue[:BATCH]))


def _mark(refund_id: int, *, now: datetime) -> bool:
    with transaction.atomic():
        # Locked and read again: one resolved (or marked) meanwhile is left as it is.
        refund = locks.lock_row(PatientRefund, pk=refund_id, related=("payment",))
        if refund.status != "pending" or refund.attention_since is not None:
            return False
        reason = _reason(refund)
        PatientRefund.objects.filter(pk=refund.pk).update(
            attention_reason=reason,
            attention_since=now,
            status_next_ask_at=now + _ask_interval(marked_for=timedelta(0)),
            updated_at=now,
        )
        audit_entry_record(action=ALERT, target=refund, message=reason,
                           changes={"attention": {"from": None, "to": reason}})  # fmt: skip
    return True


def _reason(refund: PatientRefund) -> str:
    gateway = dict(provider_choices()).get(refund.payment.source, refund.payment.source)
    recorded = timezone.localtime(refund.created_at).strftime("%d %b %Y")
    days = settings.PATIENT_REFUND_OVERDUE_WORKING_DAYS
    named = refund.gateway_refund_id or refund.reference
    return (
        f"Still pending at {gateway} more than {days} working days after it was asked for on {recorded}; "
        f"refunds normally complete within 5-7 working days. Ask {gateway}'s support about refund {named} "
        f"({format_inr(refund.amount)}, our reference {refund.reference}) and tell the patient."
    )[:500]


def _ask_interval(*, marked_for: timedelta) -> timedelta:
    """As long as it has been marked, within the bounds: an hour, two, four... up to a day."""
    low = timedelta(seconds=settings.PATIENT_REFUND_OVERDUE_ASK_MIN_SECONDS)
    high = timedelta(seconds=settings.PATIENT_REFUND_OVERDUE_ASK_MAX_SECONDS)
    return min(max(marked_for, low), high)


def _ask(refund_id: int, *, now: datetime) -> str:
    refund = PatientRefund.objects.select_related("payment__configuration").get(pk=refund_id)
    try:
        result = provider_for(refund.payment.configuration).fetch_refund(
            gateway_refund_id=refund.gateway_refund_id,
            refund_reference=refund.reference,
            gateway_order_id=refund.payment.gateway_order_id,
        )
    except GatewayError:
        _next_ask(refund, now=now)
        return "unanswered"
    patient_refund_apply_result(refund=refund, result=result, reason="The gateway's answer about an overdue refund",
                                event_reference=f"sweep:refund-overdue:{refund.reference}")  # fmt: skip
    if result.status == RefundStatus.PENDING:
        _next_ask(refund, now=now)
        return "still_pending"
    return "resolved"


def _next_ask(refund: PatientRefund, *, now: datetime) -> None:
    interval = _ask_interval(marked_for=now - (refund.attention_since or now))
    PatientRefund.objects.filter(pk=refund.pk, status="pending").update(status_next_ask_at=now + interval)
