"""Keeping the previous webhook secret when a new one is saved (the grace window)."""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.registry import provider_class


def webhook_secret_rotation(
    *, stored: GatewayConfiguration, provider: str, secrets: Mapping[str, str], cleared: bool
) -> dict[str, Any]:
    """The fields to save beside the new secrets: if they replace the stored webhook secret
    of the same provider (and nothing was cleared by a move to another mode or host), the
    old value and the moment of the change (routing.previous_secret)."""
    if cleared or provider != stored.provider:
        return {}
    field = provider_class(provider).webhook_secret_field
    old, new = (stored.secrets or {}).get(field, ""), secrets.get(field, "")
    if not (field and old and new) or old == new:
        return {}
    return {"webhook_secret_previous": old, "webhook_secret_rotated_at": timezone.now()}
