"""Supplier accounts: create, change details (re-approval + cooling-off), approve, reject.

A change of where money goes is the classic supplier-fraud move, so changed details are not
payable until a Payment approver other than the person who changed them approves, and the
cooling-off period (PAYOUT_ACCOUNT_COOLING_OFF_HOURS, default 24) since the change has passed.
Both steps are audited; account numbers and UPI ids appear in the audit log only as "changed".
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from skinspire.core import locks
from skinspire.core.audit import SECRET_CHANGED, audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from skinspire.core.models import User
from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_PAYMENT_APPROVER
from skinspire.payouts import validators
from skinspire.payouts.conf import cooling_off_period
from skinspire.payouts.models import (
    AccountApproval,
    AccountKind,
    AccountValidation,
    Supplier,
    SupplierAccount,
)

SECRET_DETAILS = ("account_number", "vpa")
PLAIN_DETAILS = ("holder_name", "ifsc")


def account_details_checked(*, kind: str, holder_name: str, account_number: str, ifsc: str, vpa: str) -> dict:
    errors: dict[str, list[str]] = {}
    holder_name = " ".join((holder_name or "").split())
    if not 3 <= len(holder_name) <= 120:
        errors["holder_name"] = ["The holder's name is 3 to 120 characters."]
    checks = {
        "bank": {"account_number": validators.validate_account_number, "ifsc": validators.validate_ifsc}
    }
    checks["upi"] = {"vpa": validators.validate_vpa}
    if kind not in checks:
        raise ApplicationError("An account is a bank account or a UPI id.", {"fields": {"kind": ["invalid"]}})
    values = {"account_number": (account_number or "").strip(), "ifsc": (ifsc or "").strip().upper()}
    values["vpa"] = (vpa or "").strip()
    for name, check in checks[kind].items():
        try:
            check(values[name])
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ApplicationError("Please correct the account details.", {"fields": errors})
    if kind == AccountKind.UPI:
        values.update(account_number="", ifsc="")
    else:
        values["vpa"] = ""
    return {"holder_name": holder_name, **values}


def supplier_account_create(
    *,
    supplier: Supplier,
    kind: str,
    holder_name: str,
    account_number: str = "",
    ifsc: str = "",
    vpa: str = "",
    actor: User | None,
) -> SupplierAccount:
    details = account_details_checked(
        kind=kind, holder_name=holder_name, account_number=account_number, ifsc=ifsc, vpa=vpa
    )
    account = SupplierAccount(hospital_id=supplier.hospital_id, supplier=supplier, kind=kind, **details)
    account.refresh_masked()
    with transaction.atomic():
        account.save()
        audit_entry_record(
            action="payouts.account.create",
            actor=actor,
            target=account,
            hospital=supplier.hospital,
            changes={"kind": {"from": None, "to": kind}, "masked": {"from": None, "to": account.masked}},
        )
    return account


def supplier_account_change_details(
    *,
    account: SupplierAccount,
    holder_name: str,
    account_number: str = "",
    ifsc: str = "",
    vpa: str = "",
    actor: User,
) -> SupplierAccount:
    """New details: validation starts over, the gateway's fund accounts are dropped (they
    cannot be edited), and the account waits for re-approval and its cooling-off period."""
    details = account_details_checked(
        kind=account.kind, holder_name=holder_name, account_number=account_number, ifsc=ifsc, vpa=vpa
    )
    with transaction.atomic():
        account = locks.lock_instance(account)
        changes = _changes(account, details)
        if not changes:
            return account
        now = timezone.now()
        for name, value in details.items():
            setattr(account, name, value)
        account.refresh_masked()
        account.approval_status = AccountApproval.PENDING
        account.details_changed_at, account.details_changed_by = now, actor
        account.approved_by, account.approved_at = None, None
        account.payable_after = now + cooling_off_period()
        _reset_validation(account)
        account.save()
        account.gateway_links.all().delete()
        audit_entry_record(
            action="payouts.account.details_change", actor=actor, target=account, changes=changes
        )
    return account


def _changes(account: SupplierAccount, details: dict) -> dict:
    changes: dict = {}
    for name in PLAIN_DETAILS:
        if getattr(account, name) != details[name]:
            changes[name] = {"from": getattr(account, name), "to": details[name]}
    for name in SECRET_DETAILS:
        if getattr(account, name) != details[name]:
            changes[name] = SECRET_CHANGED
    return changes


def _reset_validation(account: SupplierAccount) -> None:
    account.validation_status = AccountValidation.NOT_VALIDATED
    account.validation_id, account.validation_configuration = "", None
    account.registered_name, account.name_mismatch, account.validated_at = "", False, None


def supplier_account_approve(*, account: SupplierAccount, approver: User) -> SupplierAccount:
    with transaction.atomic():
        account = _pending_for_review(account, reviewer=approver)
        account.approval_status = AccountApproval.APPROVED
        account.approved_by, account.approved_at = approver, timezone.now()
        account.save(update_fields=["approval_status", "approved_by", "approved_at", "updated_at"])
        audit_entry_record(
            action="payouts.account.approve",
            actor=approver,
            target=account,
            changes={"approval_status": {"from": AccountApproval.PENDING, "to": AccountApproval.APPROVED}},
            message=f"Payable after {account.payable_after.isoformat() if account.payable_after else 'now'}.",
        )
    return account


def supplier_account_reject(*, account: SupplierAccount, approver: User, reason: str) -> SupplierAccount:
    if not (reason or "").strip():
        raise ApplicationError("Say why the change is rejected.", {"fields": {"reason": ["required"]}})
    with transaction.atomic():
        account = _pending_for_review(account, reviewer=approver)
        account.approval_status = AccountApproval.REJECTED
        account.save(update_fields=["approval_status", "updated_at"])
        audit_entry_record(
            action="payouts.account.reject",
            actor=approver,
            target=account,
            changes={"approval_status": {"from": AccountApproval.PENDING, "to": AccountApproval.REJECTED}},
            message=reason.strip(),
        )
    return account


def _pending_for_review(account: SupplierAccount, *, reviewer: User) -> SupplierAccount:
    if not user_has_role(reviewer, ROLE_PAYMENT_APPROVER):
        raise PermissionDeniedError("Only a Payment approver can approve or reject changed account details.")
    account = locks.lock_instance(account)
    if account.approval_status != AccountApproval.PENDING:
        raise ConflictError(
            f"This account is {account.get_approval_status_display().lower()}; there is no change to review.",
            {"approval_status": account.approval_status},
        )
    if account.details_changed_by_id == reviewer.pk:
        raise PermissionDeniedError("The person who changed the account details cannot approve them.")
    return account
