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
