"""Payout settings, read in one place (defaults apply when a setting is absent)."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings

DEFAULT_COOLING_OFF_HOURS = 24
DEFAULT_APPROVAL_THRESHOLD = Decimal("50000.00")


def cooling_off_period() -> timedelta:
    """How long changed account details wait, after approval, before they can be paid."""
    return timedelta(hours=getattr(settings, "PAYOUT_ACCOUNT_COOLING_OFF_HOURS", DEFAULT_COOLING_OFF_HOURS))


def default_approval_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "PAYOUT_APPROVAL_THRESHOLD", DEFAULT_APPROVAL_THRESHOLD)))


def payout_callback_url() -> str:
    """Where a gateway that takes a per-payout callback URL (Paytm's `callbackUrl`) posts the
    payout's outcome: the webhook inbox's address for it, e.g.
    https://payments.hospital.example/api/gateway/webhook/paytm. Empty: no callback, the
    outcome is learnt by status query."""
    return str(getattr(settings, "PAYOUT_CALLBACK_URL", "") or "")
