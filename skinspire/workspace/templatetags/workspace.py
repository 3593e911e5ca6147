"""Template helpers used on every workspace page: amounts and status badges."""

from decimal import Decimal

from django import template

from skinspire.core.errors import ApplicationError
from skinspire.core.money import format_inr
from skinspire.workspace.timeline import timeline_of

register = template.Library()

# Tones by meaning, so a new status reads right wherever it appears: finished well,
# waiting on someone or something, ended badly; anything else is neutral.
SUCCESS = {"active", "completed", "processed", "captured", "paid", "settled", "validated"}
WAITING = {
    "pending",
    "queued",
    "processing",
    "submitted",
    "awaiting_approval",
    "pending_approval",
    "approved",
    "created",
    "issued",
    "partially_paid",
    "partly_paid",
    "unpaid",
    "unknown",
    "cooling_off",
    "sending",
}
DANGER = {"failed", "rejected", "reversed", "cancelled", "expired", "inactive", "finished_with_failures"}


def status_tone(status: str) -> str:
    if status in SUCCESS:
        return "success"
    if status in WAITING:
        return "waiting"
    if status in DANGER:
        return "danger"
    return "neutral"


@register.filter
def inr(value: Decimal | int | str | None) -> str:
    """`{{ amount|inr }}` → ₹1,23,456.78 (Indian grouping, skinspire.core.money)."""
    if value is None or value == "":
        return ""
    try:
        return format_inr(value)
    except ApplicationError:
        return str(value)


@register.inclusion_tag("workspace/status_badge.html")
def status_badge(status: str, label: str = "") -> dict:
    """`{% status_badge payment.status %}`: one look for every status on every page."""
    status = str(status or "")
    return {
        "status": status,
        "label": label or status.replace("_", " ").capitalize(),
        "tone": status_tone(status),
    }


@register.inclusion_tag("workspace/timeline.html")
def status_timeline(instance) -> dict:
    """`{% status_timeline payment %}`: the payment's transitions, oldest first."""
    return {"entries": timeline_of(instance)}
