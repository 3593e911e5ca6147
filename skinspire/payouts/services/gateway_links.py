"""The gateway's contact and fund account for a supplier account, made once per configuration."""

from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import (
    BankAccount,
    ContactRequest,
    Destination,
    FundAccountRequest,
    PaymentProvider,
    UpiAddress,
)
from skinspire.payouts.models import AccountKind, SupplierAccount, SupplierAccountGatewayLink


def destination_of(account: SupplierAccount) -> Destination:
    if account.kind == AccountKind.UPI:
        return UpiAddress(holder_name=account.holder_name, vpa=account.vpa)
    return BankAccount(
        holder_name=account.holder_name, ifsc=account.ifsc, account_number=account.account_number
    )


def contact_of(account: SupplierAccount) -> ContactRequest:
    supplier = account.supplier
    return ContactRequest(
        name=supplier.name, reference_id=f"SUP-{supplier.pk}", email=supplier.email, phone=supplier.phone
    )


def gateway_link_ensure(
    *, account: SupplierAccount, provider: PaymentProvider, configuration: GatewayConfiguration
) -> SupplierAccountGatewayLink:
    """The stored link, or a new contact (reusing the supplier's, if another of its accounts
    has one at this gateway) and fund account. Both creations are deduplicated by the gateway
    (same details, same object), so a crash between them and a retry make no duplicates."""
    found = SupplierAccountGatewayLink.objects.filter(account=account, configuration=configuration).first()
    if found:
        return found
    sibling = (
        SupplierAccountGatewayLink.objects.filter(
            account__supplier_id=account.supplier_id, configuration=configuration
        )
        .values_list("contact_id", flat=True)
        .first()
    )
    contact_id = sibling or provider.create_contact(contact_of(account)).contact_id
    fund_account = provider.create_fund_account(
        FundAccountRequest(contact_id=contact_id, destination=destination_of(account))
    )
    link, _ = SupplierAccountGatewayLink.objects.get_or_create(
        account=account,
        configuration=configuration,
        defaults={"contact_id": contact_id, "fund_account_id": fund_account.fund_account_id},
    )
    return link
