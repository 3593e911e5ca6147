"""Account validation through the gateway (RazorpayX fund account validation, a penny drop
for a bank account, a VPA check for a UPI id), with the name the bank returned shown beside
the name we hold and a mismatch flagged. The gateway answers later: the account is
`pending` until supplier_account_validation_refresh reads the outcome."""

import re

from django.db import transaction
from django.utils import timezone

from skinspire.core import locks
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ConflictError
from skinspire.core.models import User
from skinspire.gateways.manager import run_with_fallback
from skinspire.gateways.models import Capability, GatewayConfiguration
from skinspire.gateways.providers.interface import (
    FundAccountValidationRequest,
    FundAccountValidationResult,
    PaymentProvider,
)
from skinspire.gateways.providers.interface.guards import check_capability
from skinspire.gateways.providers.registry import provider_for
from skinspire.payouts.models import AccountValidation, SupplierAccount
from skinspire.payouts.services.gateway_links import gateway_link_ensure

NAME_NOISE = re.compile(r"[^a-z0-9 ]")
NAME_SUFFIXES = {"pvt", "private", "ltd", "limited", "llp", "co", "m/s", "ms"}


def names_match(held: str, returned: str) -> bool:
    """Same words, ignoring case, punctuation and company suffixes (banks abbreviate them)."""

    def words(name: str) -> set[str]:
        return set(NAME_NOISE.sub(" ", name.casefold()).split()) - NAME_SUFFIXES

    return bool(returned) and words(held) == words(returned)


def supplier_account_validate(*, account: SupplierAccount, actor: User | None) -> SupplierAccount:
    """Start a validation at the hospital's gateway that offers it. Not while one is running."""
    if account.validation_status == AccountValidation.PENDING:
        raise ConflictError("A validation of this account is already running; its result comes shortly.")

    def start(provider: PaymentProvider, configuration: GatewayConfiguration) -> FundAccountValidationResult:
        # Refused before a contact or fund account is made at a gateway that cannot validate.
        check_capability(provider, "validate_fund_account")
        link = gateway_link_ensure(account=account, provider=provider, configuration=configuration)
        return provider.validate_fund_account(
            FundAccountValidationRequest(
                fund_account_id=link.fund_account_id, reference_id=f"SA-{account.pk}"
            )
        )

    result, configuration = run_with_fallback(
        hospital=account.supplier.hospital, capability=Capability.ACCOUNT_VALIDATION, operation=start
    )
    with transaction.atomic():
        account = locks.lock_instance(account)
        account.validation_id, account.validation_configuration = result.validation_id, configuration
        _record_result(account, result, actor=actor)
    transaction.on_commit(lambda: _schedule_refresh(account.pk))
    return account


def supplier_account_validation_refresh(*, account_id: int) -> SupplierAccount:
    """Read a running validation's outcome from the gateway (idempotent; a task and the API call it)."""
    account = SupplierAccount.objects.select_related("validation_configuration").get(pk=account_id)
    if account.validation_status != AccountValidation.PENDING or account.validation_configuration is None:
        return account
    result = provider_for(account.validation_configuration).fetch_fund_account_validation(
        account.validation_id
    )
    with transaction.atomic():
        account = locks.lock_instance(account)
        if (
            account.validation_status == AccountValidation.PENDING
            and account.validation_id == result.validation_id
        ):
            _record_result(account, result, actor=None)
    return account


def _record_result(
    account: SupplierAccount, result: FundAccountValidationResult, *, actor: User | None
) -> None:
    before = account.validation_status
    if not result.is_finished:
        account.validation_status = AccountValidation.PENDING
    elif result.status == "failed":
        account.validation_status = AccountValidation.FAILED
    elif result.account_status == "active":
        account.validation_status = AccountValidation.ACTIVE
    else:
        account.validation_status = AccountValidation.INVALID
    account.registered_name = result.registered_name
    account.name_mismatch = account.validation_status == AccountValidation.ACTIVE and not names_match(
        account.holder_name, result.registered_name
    )
    account.validated_at = timezone.now() if result.is_finished else None
    account.save()
    audit_entry_record(
        action="payouts.account.validation",
        actor=actor,
        target=account,
        changes={"validation_status": {"from": before, "to": account.validation_status}},
        message=_summary(account),
    )


def _summary(account: SupplierAccount) -> str:
    if account.validation_status != AccountValidation.ACTIVE:
        return f"Validation {account.get_validation_status_display().lower()}."
    flag = " — NAME MISMATCH" if account.name_mismatch else ""
    return f"Bank name '{account.registered_name}', held name '{account.holder_name}'{flag}."


def _schedule_refresh(account_id: int) -> None:
    from skinspire.payouts.tasks import supplier_account_validation_refresh_task

    supplier_account_validation_refresh_task.apply_async(args=[account_id], countdown=VALIDATION_POLL_SECONDS)


VALIDATION_POLL_SECONDS = 30
