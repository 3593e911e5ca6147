"""Choosing a gateway for a hospital (and branch), and falling back when one provably fails.

Order of candidates (only active configurations of the hospital that have the capability,
all in one mode):
1. the branch's default, 2. the hospital-wide default, 3. the rest by priority (lower
first; a branch's own configuration before a hospital-wide one of equal priority).
An explicitly requested provider narrows the candidates to that provider's configurations.

Mode: the one asked for; else the mode of the default configuration that applies (branch
default, then hospital default); else live if any live configuration exists, else test.
Live and test configurations are never mixed in one list.

Fallback: only when the caller allows it, and only on an error with `provably_failed` —
the gateway answered with a definite failure, or the request never left. Never on an
unknown outcome (timeout after sending, 5xx), because the first gateway may still pay.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.db.models import Q

from skinspire.core.models import Branch, Hospital
from skinspire.gateways.errors import GatewayConfigurationError, GatewayError
from skinspire.gateways.models import Capability, GatewayConfiguration, Mode
from skinspire.gateways.providers.interface import PaymentProvider
from skinspire.gateways.providers.registry import provider_for

logger = logging.getLogger(__name__)

T = TypeVar("T")


def _rank(configuration: GatewayConfiguration) -> tuple[int, int, int, int]:
    branch_specific = configuration.branch_id is not None
    tier = (0 if branch_specific else 1) if configuration.is_default else 2
    return tier, configuration.priority, 0 if branch_specific else 1, configuration.pk


def _choose_mode(configurations: list[GatewayConfiguration]) -> str:
    ranked = sorted(configurations, key=_rank)
    if ranked and ranked[0].is_default:
        return ranked[0].mode
    return Mode.LIVE if any(item.mode == Mode.LIVE for item in configurations) else Mode.TEST


def select_configurations(
    *,
    hospital: Hospital,
    branch: Branch | None = None,
    capability: str,
    provider: str | None = None,
    mode: str | None = None,
) -> list[GatewayConfiguration]:
    """The configurations to try, best first. Secrets stay unread (and encrypted)."""
    scope = Q(branch__isnull=True) | Q(branch=branch) if branch else Q(branch__isnull=True)
    # Unordered: the candidates are ranked below (_rank ends in the pk, so the order is total);
    # the model's default ordering would join the hospital only to sort by its name.
    queryset = (
        GatewayConfiguration.objects.without_secrets().active().filter(scope, hospital=hospital).order_by()
    )
    if provider:
        queryset = queryset.filter(provider=provider)
    # Capabilities are a JSON list; SQLite has no JSON `contains`, so filter here.
    usable = [item for item in queryset if item.has_capability(capability)]
    chosen_mode = mode or _choose_mode(usable)
    candidates = sorted((item for item in usable if item.mode == chosen_mode), key=_rank)
    if not candidates:
        raise GatewayConfigurationError(
            _nothing_configured(hospital, branch, capability, provider, mode), code="not_configured"
        )
    return candidates


def _nothing_configured(hospital, branch, capability, provider, mode) -> str:
    where = f"{hospital}" + (f" ({branch})" if branch else "")
    which = f"{provider} " if provider else ""
    in_mode = f" in {mode} mode" if mode else ""
    # In words ("payment links"), not the stored code ("payment_links"): staff read this.
    said = Capability(capability).label.lower() if capability in Capability.values else capability
    return (
        f"No active {which}gateway that can do {said} is configured for {where}{in_mode}. "
        "A gateway admin can add or enable one in admin under Gateway configurations."
    )


def run_with_fallback(
    *,
    hospital: Hospital,
    branch: Branch | None = None,
    capability: str,
    operation: Callable[[PaymentProvider, GatewayConfiguration], T],
    provider: str | None = None,
    mode: str | None = None,
    allow_fallback: bool = False,
) -> tuple[T, GatewayConfiguration]:
    """Run `operation` on the best candidate; on a provable failure, and if allowed, the next.

    The raised error's `extra["tried"]` lists every configuration tried and how it failed.
    """
    candidates = select_configurations(
        hospital=hospital, branch=branch, capability=capability, provider=provider, mode=mode
    )
    tried: list[dict] = []
    for position, configuration in enumerate(candidates):
        try:
            return operation(provider_for(configuration), configuration), configuration
        except GatewayError as error:
            tried.append(_attempt(configuration, error))
            is_last = position == len(candidates) - 1
            if is_last or not (allow_fallback and error.provably_failed):
                error.extra["tried"] = tried
                raise
            logger.warning(
                "Gateway %s (configuration %s) failed provably (%s); trying the next one.",
                configuration.provider,
                configuration.pk,
                error.code or type(error).__name__,
            )
    raise AssertionError("unreachable: candidates is never empty")  # pragma: no cover


def _attempt(configuration: GatewayConfiguration, error: GatewayError) -> dict:
    return {
        "configuration_id": configuration.pk,
        "provider": configuration.provider,
        "error": type(error).__name__,
        "code": error.code,
        "provably_failed": error.provably_failed,
    }
