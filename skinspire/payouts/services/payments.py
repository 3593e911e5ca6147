"""Recording a supplier payment (draft), with its allocations, limits and idempotency key."""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from skinspire.core.idempotency import created_once, replay_or_conflict, row_with_key
from skinspire.core.models import Branch, User
from skinspire.core.money import to_rupees
from skinspire.core.tenancy import user_can_act_in_branch
from skinspire.gateways.manager import select_configurations
from skinspire.gateways.models import Capability
from skinspire.payouts.fees import fee_preview
from skinspire.payouts.limits import check_mode_limit
from skinspire.payouts.models import (
    GATEWAY_MODES,
    MANUAL_MODES,
    AccountKind,
    AccountValidation,
    PaymentMethod,
    Supplier,
    SupplierAccount,
    SupplierPayment,
)
from skinspire.payouts.services.allocations import AllocationRequest, allocations_checked, allocations_create
from skinspire.payouts.services.payout_link_checks import payout_link_check
from skinspire.payouts.services.policy import check_gateway_payouts_allowed


@dataclass(frozen=True)
class PaymentRequest:
    supplier: Supplier
    amount: Decimal | str
    method: str
    mode: str
    account: SupplierAccount | None = None
    branch: Branch | None = None
    provider: str = ""
    invoices: list[AllocationRequest] = field(default_factory=list)
    idempotency_key: str = ""
    description: str = ""
    manual_reference: str = ""
    retry_of: SupplierPayment | None = None
    # A payout link (method payout_link): how long it stays open, and whether the gateway
    # sends it to the supplier by e-mail and/or SMS.
    link_expire_hours: int | None = None
    link_send_email: bool = False
    link_send_sms: bool = False


def supplier_payment_create(*, request: PaymentRequest, maker: User) -> tuple[SupplierPayment, bool]:
    """The new draft payment and True; or, for an idempotency key already used, the first
    payment and False (a different request under the same key is a 409)."""
    amount = to_rupees(request.amount)
    hospital = request.supplier.hospital

    def same_request(existing: SupplierPayment) -> bool:
        return _same_request(existing, request, amount)

    existing = row_with_key(SupplierPayment, hospital_id=hospital.pk, key=request.idempotency_key)
    if existing is not None:
        return replay_or_conflict(
            existing, same_request=same_request(existing), noun="payment", viewer=maker
        ), False
    _check(request, amount=amount, maker=maker)
    allocations = allocations_checked(requests=request.invoices, payment_amount=amount)
    payment = SupplierPayment(
        hospital=hospital,
        branch=request.branch,
        supplier=request.supplier,
        account=request.account,
        method=request.method,
        mode=request.mode,
        amount=amount,
        reference=f"SP{uuid.uuid4().hex[:18].upper()}",
        idempotency_key=request.idempotency_key or uuid.uuid4().hex,
        requested_provider=request.provider,
        fee_preview=_fee_preview(request, amount),
        description=request.description,
        manual_reference=request.manual_reference,
        retry_of=request.retry_of,
        link_expire_hours=request.link_expire_hours,
        link_send_email=request.link_send_email,
        link_send_sms=request.link_send_sms,
        created_by=maker,
    )

    def create() -> tuple[SupplierPayment, bool]:
        payment.save(force_insert=True)
        allocations_create(payment=payment, requests=allocations)
        audit_entry_record(
            action="payouts.payment.create",
            actor=maker,
            target=payment,
            changes={
                "amount": {"from": None, "to": amount},
                "method": {"from": None, "to": request.method},
            },
        )
        return payment, True

    # A concurrent request with the same key may win the insert: then its payment.
    return created_once(
        create,
        model=SupplierPayment,
        hospital_id=hospital.pk,
        key=request.idempotency_key,
        same_request=same_request,
        noun="payment",
        viewer=maker,
    )


def _same_request(existing: SupplierPayment, request: PaymentRequest, amount: Decimal) -> bool:
    return (
        existing.supplier_id == request.supplier.pk
        and existing.branch_id == (request.branch.pk if request.branch else None)
        and existing.amount == amount
        and existing.mode == request.mode
        and existing.account_id == (request.account.pk if request.account else None)
    )


def _check(request: PaymentRequest, *, amount: Decimal, maker: User) -> None:
    if amount <= 0:
        raise ApplicationError("The amount must be more than zero.", {"fields": {"amount": ["positive"]}})
    if not request.supplier.is_active:
        raise ApplicationError("This supplier is inactive.", {"fields": {"supplier_id": ["inactive"]}})
    if request.branch is not None and (
        request.branch.hospital_id != request.supplier.hospital_id
        or not user_can_act_in_branch(maker, request.branch)
    ):
        raise PermissionDeniedError("You cannot record payments for that branch.")
    if request.method == PaymentMethod.MANUAL:
        if request.mode not in MANUAL_MODES:
            raise ApplicationError(
                "A manual payment is cash, cheque or bank transfer.", {"fields": {"mode": ["manual_mode"]}}
            )
        return
    if request.method not in (PaymentMethod.GATEWAY_PAYOUT, PaymentMethod.PAYOUT_LINK):
        raise ApplicationError(
            "Pay by gateway payout or payout link, or record a manual payment.",
            {"fields": {"method": ["invalid"]}},
        )
    check_gateway_payouts_allowed(hospital=request.supplier.hospital, branch=request.branch)
    if request.method == PaymentMethod.PAYOUT_LINK:
        payout_link_check(request)
        return
    if request.mode not in GATEWAY_MODES:
        raise ApplicationError(
            "A gateway payout is UPI, IMPS, NEFT or RTGS.", {"fields": {"mode": ["gateway_mode"]}}
        )
    _check_account(request)
    check_mode_limit(mode=request.mode, amount=amount)


def _check_account(request: PaymentRequest) -> None:
    account = request.account
    if account is None or account.supplier_id != request.supplier.pk:
        raise ApplicationError(
            "Choose one of this supplier's accounts.", {"fields": {"account_id": ["required"]}}
        )
    wants_upi = request.mode == "upi"
    if wants_upi != (account.kind == AccountKind.UPI):
        needed = "a UPI id" if wants_upi else "a bank account"
        raise ApplicationError(
            f"A {request.mode.upper()} payout goes to {needed}; choose another account or mode.",
            {"fields": {"mode": ["account_kind"]}},
        )
    if account.validation_status == AccountValidation.INVALID:
        raise ApplicationError(
            "The bank says this account is invalid; correct its details before paying it.",
            {"fields": {"account_id": ["invalid_account"]}},
        )
    if not account.is_payable():
        when = (
            f" It can be paid from {timezone.localtime(account.payable_after):%d %b %Y %H:%M} India time."
            if account.payable_after
            else ""
        )
        raise ConflictError(
            "This account's details changed recently: it needs a Payment approver's approval and its "
            f"cooling-off period before it can be paid.{when}",
            {"fields": {"account_id": ["cooling_off"]}, "approval_status": account.approval_status},
        )


def _fee_preview(request: PaymentRequest, amount: Decimal) -> Decimal | None:
    # A payout link's fee depends on the mode the supplier picks: known only once paid.
    if request.method != PaymentMethod.GATEWAY_PAYOUT:
        return None
    candidates = select_configurations(
        hospital=request.supplier.hospital,
        branch=request.branch,
        capability=Capability.PAYOUTS,
        provider=request.provider or None,
    )
    return fee_preview(provider=candidates[0].provider, mode=request.mode, amount=amount).fee
