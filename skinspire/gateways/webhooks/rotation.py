"""Keeping the previous webhook secret when a new one is typed (the grace window)."""

from typing import Any

from django.utils import timezone

from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.registry import provider_class


def webhook_secret_rotation(*, configuration: GatewayConfiguration, typed: dict[str, str]) -> dict[str, Any]:
    """The fields to save beside a typed secret: if it replaces the stored webhook secret
    of this provider, the old value and the moment of the change (routing.previous_secret)."""
    field = provider_class(configuration.provider).webhook_secret_field
    if not field or field not in typed or configuration.pk is None:
        return {}
    stored = GatewayConfiguration.objects.filter(pk=configuration.pk).values_list(field, flat=True).get()
    if not stored or stored == typed[field]:
        return {}
    return {"webhook_secret_previous": stored, "webhook_secret_rotated_at": timezone.now()}
