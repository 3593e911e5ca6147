"""Checks the base class runs before an adapter's operation, so no request leaves when they fail.

`PaymentProvider.__init_subclass__` wraps each operation named in GUARDED_OPERATIONS once,
in whichever adapter class defines it, so every adapter (and the next one) refuses the same
situations with the same error, in one place (docs/gateways.md, "The adapter contract"):

- Capability: an operation that starts something new (a payout, an order, a link) needs its
  capability on the configuration, and in the provider's configuration schema
  (`configuration_schema.capabilities`, providers/<name>/configuration.py). Follow-ups
  of objects already made (fetch, cancel, capture, refund) are not gated: a capability
  switched off must not strand a payout in flight or a refund owed to a patient.
- Amounts: every amount an operation is given is Decimal rupees, positive and in whole
  paise. Anything else is refused, never rounded (skinspire.core.money).
"""

import dataclasses
import functools
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from skinspire.core.money import MoneyError, to_rupees
from skinspire.gateways.errors import InvalidGatewayRequestError, UnsupportedOperationError
from skinspire.gateways.models import Capability

OPERATION_CAPABILITIES: dict[str, Capability] = {
    "create_contact": Capability.PAYOUTS,
    "create_fund_account": Capability.PAYOUTS,
    "create_payout": Capability.PAYOUTS,
    "create_payout_link": Capability.PAYOUT_LINKS,
    "validate_fund_account": Capability.ACCOUNT_VALIDATION,
    "create_order": Capability.COLLECTIONS,
    "create_payment_link": Capability.PAYMENT_LINKS,
}
# Operations whose arguments carry amounts but need no capability of their own.
AMOUNT_ONLY_OPERATIONS = frozenset({"capture_payment", "create_refund"})
GUARDED_OPERATIONS = frozenset(OPERATION_CAPABILITIES) | AMOUNT_ONLY_OPERATIONS


def guard_operations(cls: type) -> None:
    """Wrap the guarded operations `cls` itself defines (inherited ones are wrapped already)."""
    for operation in GUARDED_OPERATIONS:
        method = cls.__dict__.get(operation)
        if callable(method) and not is_guarded(method):
            setattr(cls, operation, _guarded(operation, method))


def is_guarded(method: Any) -> bool:
    return getattr(method, "_skinspire_guarded", False)


def _guarded(operation: str, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def guarded(provider, *args, **kwargs):
        check_capability(provider, operation)
        for amount in _amounts(args, kwargs):
            check_amount(provider, amount)
        return method(provider, *args, **kwargs)

    guarded.__dict__["_skinspire_guarded"] = True
    return guarded


def check_capability(provider, operation: str) -> None:
    capability = OPERATION_CAPABILITIES.get(operation)
    if capability is None:
        return
    label = capability.label.lower()
    if capability not in provider.configuration_schema.capabilities:
        raise UnsupportedOperationError(
            f"{provider.configuration_schema.label} has no API for {label}.",
            provider=provider.name,
            operation=operation,
        )
    configuration = provider.configuration
    if configuration is not None and not configuration.has_capability(capability):
        raise UnsupportedOperationError(
            f"The gateway configuration '{configuration}' is not enabled for {label}; a gateway "
            "admin can enable it in admin under Gateway configurations.",
            provider=provider.name,
            operation=operation,
        )


def check_amount(provider, amount: Any) -> None:
    try:
        rupees = to_rupees(amount)  # refuses floats, non-numbers and sub-paise alike
    except MoneyError as error:
        raise _invalid_amount(provider, error.message) from error
    if rupees <= 0:
        raise _invalid_amount(provider, f"The amount must be more than zero, not {rupees}.")


def _invalid_amount(provider, message: str) -> InvalidGatewayRequestError:
    return InvalidGatewayRequestError(
        message, provider=provider.name, code="amount", extra={"field": "amount"}
    )


def _amounts(args: tuple, kwargs: dict) -> Iterator[Any]:
    """Amounts among the arguments: a request dataclass's `amount` (None = "all", as a full
    refund), or an amount passed on its own (capture_payment)."""
    for value in (*args, *kwargs.values()):
        if dataclasses.is_dataclass(value) and hasattr(value, "amount"):
            if value.amount is not None:
                yield value.amount
        elif isinstance(value, (Decimal, float, int)) and not isinstance(value, bool):
            yield value
