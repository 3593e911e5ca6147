"""Which configuration a delivery is for, and whether that configuration signed it.

The delivery names its merchant account (Razorpay's envelope `account_id`, Paytm's MID);
that picks exactly one configuration, and only its secret is tried, so one hospital's
secret never validates another's webhook and no secret is tried in turn across hospitals.
Within the grace window after a rotation the configuration's previous secret is tried
too (retries of older events arrive signed with it).

Routing is cached per process for GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS (a query per
merchant account every few seconds instead of one per delivery). A configuration saved
or deleted clears this process's cache at once and again when the change commits;
another process sees the change when its entry lapses (at most that many seconds), so a
deactivated configuration, or a secret replaced, stops validating within that bound.
Writes that go around the models' save() (QuerySet.update) are seen only on lapse.
"""

import dataclasses
import ipaddress
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from skinspire.core import json_input
from skinspire.gateways import selectors
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import PaymentProvider
from skinspire.gateways.providers.registry import provider_class, provider_for

ROUTING_FIELDS = (
    "id",
    "hospital_id",
    "provider",
    "mode",
    "base_url",
    "payout_base_url",
    "updated_at",
    "webhook_secret_rotated_at",
    "webhook_allowed_ips",
)


def webhook_candidates(*, provider: str, body: bytes, headers: dict[str, str]) -> list[GatewayConfiguration]:
    """The active configurations of the merchant account the delivery names (usually one;
    several when one account serves several hospitals or branches). Empty if it names none."""
    merchant_id = provider_class(provider).webhook_merchant_id(body=body, headers=headers)
    if not merchant_id or not json_input.storable(merchant_id):  # NUL: no account is named so
        return []
    key = (provider, merchant_id)
    now = time.monotonic()
    cached = _routing_cache.get(key)
    if cached is not None and cached[0] > now:
        return list(cached[1])
    generation = _routing_generation[0]
    # Only what routing and the adapter cache read; anything else loads if an adapter is built.
    candidates = selectors.configuration_for_webhook(provider=provider, merchant_id=merchant_id)
    found = tuple(candidates.only(*ROUTING_FIELDS))
    seconds = settings.GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS
    # Not kept if a configuration changed while it was read (the read may predate the change).
    if seconds > 0 and generation == _routing_generation[0]:
        if len(_routing_cache) >= ROUTING_CACHE_SIZE:  # unknown accounts cannot grow it without bound
            _routing_cache.clear()
        _routing_cache[key] = (now + seconds, found)
    return list(found)


# (provider, merchant id) -> (expiry on the monotonic clock, the candidates); see the module doc.
_routing_cache: dict[tuple[str, str], tuple[float, tuple[GatewayConfiguration, ...]]] = {}
_routing_generation = [0]
ROUTING_CACHE_SIZE = 1024


def routing_cache_clear() -> None:
    """Forget every cached route in this process (a configuration changed)."""
    _routing_generation[0] += 1
    _routing_cache.clear()


def _configuration_changed(sender, **kwargs) -> None:
    routing_cache_clear()
    # Again once the change is visible to other connections: a delivery routed in between
    # may have read (and cached) the row as it was before the commit.
    transaction.on_commit(routing_cache_clear)


post_save.connect(_configuration_changed, sender=GatewayConfiguration, dispatch_uid="webhook-routing-cache")
post_delete.connect(_configuration_changed, sender=GatewayConfiguration, dispatch_uid="webhook-routing-cache")


def address_allowed(*, configuration: GatewayConfiguration, remote_ip: str) -> bool:
    """The configuration's IP allow list (addresses or CIDR networks); empty allows any."""
    allowed = configuration.webhook_allowed_ips or []
    if not allowed:
        return True
    try:
        address = ipaddress.ip_address(remote_ip)
    except ValueError:
        return False
    return any(address in network for network in _networks(allowed))


def _networks(entries: list) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The entries that are networks (the model validates them; a row written around it
    with a bad entry refuses through that entry rather than failing the request)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry), strict=False))
        except ValueError:
            continue
    return networks


def webhook_verifier(
    *, configuration: GatewayConfiguration, body: bytes, headers: dict[str, str]
) -> PaymentProvider | None:
    """The adapter whose secret verifies the delivery (the current one, else the previous
    one within the grace window), or None. Comparison is constant-time in the adapter."""
    for adapter in _adapters(configuration):
        if adapter.verify_webhook(body=body, headers=headers):
            return adapter
    return None


def webhook_adapter(configuration: GatewayConfiguration) -> PaymentProvider:
    """The configuration's adapter (current secret), built once per configuration version."""
    return _adapters(configuration)[0]


# Adapters per configuration version, per process: building one reads and decrypts the
# credentials and makes SDK clients, which would otherwise be most of a delivery's cost.
# The key holds `updated_at` (every change through the services stamps it) and the rotation
# time, so an edited configuration is never verified with what it was before.
_adapter_cache: dict[tuple, list[PaymentProvider]] = {}
ADAPTER_CACHE_SIZE = 256


def _adapters(configuration: GatewayConfiguration) -> list[PaymentProvider]:
    key = (
        configuration.pk,
        configuration.updated_at,
        configuration.webhook_secret_rotated_at,
        _grace_open(configuration),
    )
    adapters = _adapter_cache.get(key)
    if adapters is None:
        adapters = _built_adapters(configuration)
        if len(_adapter_cache) >= ADAPTER_CACHE_SIZE:
            _adapter_cache.clear()
        _adapter_cache[key] = adapters
    return adapters


def _built_adapters(configuration: GatewayConfiguration) -> list[PaymentProvider]:
    current = provider_for(configuration)
    adapters = [current]
    previous = previous_secret(configuration)
    field = type(current).webhook_secret_field
    if previous and field:
        secrets = {**current.credentials.secrets, field: previous}
        credentials = dataclasses.replace(current.credentials, secrets=secrets)
        adapters.append(
            type(current)(configuration=configuration, credentials=credentials, session=current.session)
        )
    return adapters


def _grace_open(configuration: GatewayConfiguration) -> bool:
    rotated_at = configuration.webhook_secret_rotated_at
    grace = timedelta(seconds=settings.GATEWAY_WEBHOOK_SECRET_GRACE_SECONDS)
    return rotated_at is not None and timezone.now() < rotated_at + grace


def previous_secret(configuration: GatewayConfiguration) -> str:
    """The replaced webhook secret while its grace window lasts, else ""."""
    if not _grace_open(configuration):
        return ""
    stored = GatewayConfiguration.objects.filter(pk=configuration.pk).values_list(
        "webhook_secret_previous", flat=True
    )
    return stored.get() or ""
