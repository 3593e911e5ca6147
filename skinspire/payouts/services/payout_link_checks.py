"""What a payout link needs before it is recorded: a gateway that offers payout links, a
supplier the gateway can send it to, and an expiry it accepts."""

from typing import TYPE_CHECKING

from skinspire.core.errors import ApplicationError
from skinspire.gateways.errors import GatewayConfigurationError
from skinspire.gateways.manager import select_configurations
from skinspire.gateways.models import Capability
from skinspire.gateways.providers.schemas import schema_for
from skinspire.payouts.models import TransferMode

if TYPE_CHECKING:
    from skinspire.payouts.services.payments import PaymentRequest

# Hours a link stays open. Razorpay wants expire_by at least 15 minutes ahead (reference §2.9).
LINK_EXPIRY_HOURS = (24, 48, 72, 168)


def payout_link_check(request: "PaymentRequest") -> None:
    if request.mode != TransferMode.SUPPLIER_CHOICE:
        raise ApplicationError(
            "A payout link's mode is the supplier's choice.", {"fields": {"mode": ["supplier_choice"]}}
        )
    if request.account is not None:
        raise ApplicationError(
            "A payout link goes to the supplier, who enters their own account; do not choose one.",
            {"fields": {"account_id": ["not_for_links"]}},
        )
    if request.link_expire_hours not in LINK_EXPIRY_HOURS:
        raise ApplicationError(
            f"A payout link stays open for {', '.join(map(str, LINK_EXPIRY_HOURS))} hours.",
            {"fields": {"expire_in_hours": ["invalid"]}},
        )
    supplier = request.supplier
    if not (supplier.email or supplier.phone):
        raise ApplicationError(
            "The supplier has no e-mail address or phone number to send the link to; add one first.",
            {"fields": {"supplier_id": ["no_contact"]}},
        )
    if (request.link_send_email and not supplier.email) or (request.link_send_sms and not supplier.phone):
        raise ApplicationError(
            "The supplier has no e-mail address (or phone number) for that notice.",
            {"fields": {"notify": ["no_address"]}},
        )
    try:
        candidates = select_configurations(
            hospital=supplier.hospital,
            branch=request.branch,
            capability=Capability.PAYOUT_LINKS,
            provider=request.provider or None,
        )
    except GatewayConfigurationError:
        candidates = []
    # The provider itself must have the API, whatever a configuration row claims.
    if not any(Capability.PAYOUT_LINKS in schema_for(item.provider).capabilities for item in candidates):
        raise ApplicationError(
            "No active gateway of this hospital offers payout links"
            + (f" as {request.provider}" if request.provider else "")
            + ". Not every gateway has them (Paytm Payouts has no payout-link API); a gateway admin "
            "can enable the payout links capability on one that does, or pay by gateway payout.",
            {"fields": {"provider": ["no_payout_links"]}},
        )
