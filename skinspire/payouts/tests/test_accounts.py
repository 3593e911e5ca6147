"""Supplier accounts: format checks, encryption at rest, masking, re-approval and cooling-off."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from skinspire.core.audit import AuditEntry
from skinspire.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from skinspire.payouts.models import AccountApproval, SupplierAccount
from skinspire.payouts.services.accounts import (
    supplier_account_approve,
    supplier_account_change_details,
    supplier_account_create,
    supplier_account_reject,
)
from skinspire.payouts.tests.factories import bank_account, upi_account

pytestmark = pytest.mark.django_db


def test_a_bank_account_is_stored_encrypted_and_shown_masked(supplier):
    account = bank_account(supplier, account_number="50100012345678")

    with connection.cursor() as cursor:
        cursor.execute("SELECT account_number, vpa FROM payouts_supplieraccount WHERE id = %s", [account.pk])
        stored_number, stored_vpa = cursor.fetchone()
    assert stored_number.startswith("gAAAA") and "50100012345678" not in stored_number
    assert stored_vpa == ""
    assert SupplierAccount.objects.get(pk=account.pk).account_number == "50100012345678"
    assert account.masked == "XXXX5678 (HDFC0000123)"
    entry = AuditEntry.objects.get(action="payouts.account.create")
    assert "50100012345678" not in str(entry.changes) + entry.object_repr
    assert entry.changes["masked"] == {"from": None, "to": "XXXX5678 (HDFC0000123)"}


def test_a_upi_account_is_masked_and_needs_no_ifsc(supplier):
    account = upi_account(supplier, vpa="medisupply@okhdfc")

    assert (account.kind, account.ifsc, account.account_number, account.masked) == (
        "upi",
        "",
        "",
        "me***@okhdfc",
    )


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"kind": "bank", "account_number": "50100012345678", "ifsc": "HDFC123"}, "ifsc"),
        ({"kind": "bank", "account_number": "50100012345678", "ifsc": "HDFC1000123"}, "ifsc"),
        ({"kind": "bank", "account_number": "1234", "ifsc": "HDFC0000123"}, "account_number"),
        ({"kind": "bank", "account_number": "5010-0012", "ifsc": "HDFC0000123"}, "account_number"),
        ({"kind": "upi", "vpa": "no-at-sign"}, "vpa"),
        ({"kind": "upi", "vpa": "two@at@signs"}, "vpa"),
        ({"kind": "upi", "vpa": "spa ce@okhdfc"}, "vpa"),
    ],
)
def test_bad_formats_are_refused_and_nothing_is_written(supplier, details, field):
    with pytest.raises(ApplicationError) as refused:
        supplier_account_create(supplier=supplier, holder_name="Acme Surgicals", actor=None, **details)

    assert list(refused.value.extra["fields"]) == [field]
    assert SupplierAccount.objects.count() == 0
    assert not AuditEntry.objects.filter(action="payouts.account.create").exists()


def test_changed_details_wait_for_approval_and_cooling_off(supplier, maker, approver, settings):
    settings.PAYOUT_ACCOUNT_COOLING_OFF_HOURS = 24
    account = bank_account(supplier)
    assert account.is_payable()

    changed = supplier_account_change_details(
        account=account,
        holder_name="Acme Surgicals",
        account_number="60200098765432",
        ifsc="ICIC0000456",
        actor=maker,
    )

    assert (changed.approval_status, changed.masked) == (AccountApproval.PENDING, "XXXX5432 (ICIC0000456)")
    assert changed.payable_after == changed.details_changed_at + timedelta(hours=24)
    assert not changed.is_payable()
    change_entry = AuditEntry.objects.get(action="payouts.account.details_change")
    assert change_entry.changes == {
        "ifsc": {"from": "HDFC0000123", "to": "ICIC0000456"},
        "account_number": "changed",
    }

    approved = supplier_account_approve(account=changed, approver=approver)

    assert approved.approval_status == AccountApproval.APPROVED and approved.approved_by == approver
    assert not approved.is_payable()  # still cooling off
    assert approved.is_payable(at=changed.details_changed_at + timedelta(hours=24))
    assert AuditEntry.objects.filter(action="payouts.account.approve", actor=approver).count() == 1


def test_the_person_who_changed_the_details_cannot_approve_them(supplier, approver):
    account = bank_account(supplier)
    changed = supplier_account_change_details(
        account=account,
        holder_name="Acme Surgicals",
        account_number="60200098765432",
        ifsc="ICIC0000456",
        actor=approver,
    )

    with pytest.raises(PermissionDeniedError, match="changed the account details cannot approve"):
        supplier_account_approve(account=changed, approver=approver)

    assert SupplierAccount.objects.get(pk=account.pk).approval_status == AccountApproval.PENDING


def test_only_a_payment_approver_approves(supplier, maker, hospital):
    from skinspire.core.tests.factories import UserFactory

    other_staff = UserFactory(hospital=hospital, roles=["Payments staff"])
    changed = supplier_account_change_details(
        account=bank_account(supplier),
        holder_name="X Y Z",
        account_number="60200098765432",
        ifsc="ICIC0000456",
        actor=maker,
    )

    with pytest.raises(PermissionDeniedError, match="Only a Payment approver"):
        supplier_account_approve(account=changed, approver=other_staff)


def test_rejection_needs_a_reason_and_leaves_the_account_unpayable(supplier, maker, approver):
    changed = supplier_account_change_details(
        account=upi_account(supplier), holder_name="Acme Surgicals", vpa="acme.new@okaxis", actor=maker
    )

    with pytest.raises(ApplicationError, match="Say why"):
        supplier_account_reject(account=changed, approver=approver, reason="  ")
    rejected = supplier_account_reject(
        account=changed, approver=approver, reason="Supplier did not ask for this"
    )

    assert rejected.approval_status == AccountApproval.REJECTED and not rejected.is_payable()
    entry = AuditEntry.objects.get(action="payouts.account.reject")
    assert (entry.message, entry.changes["approval_status"]["to"]) == (
        "Supplier did not ask for this",
        "rejected",
    )
    with pytest.raises(ConflictError):
        supplier_account_approve(account=rejected, approver=approver)


def test_unchanged_details_need_no_reapproval(supplier, maker):
    account = bank_account(supplier)

    same = supplier_account_change_details(
        account=account,
        holder_name=account.holder_name,
        account_number="50100012345678",
        ifsc="hdfc0000123",
        actor=maker,
    )

    assert same.approval_status == AccountApproval.APPROVED and same.payable_after is None
    assert same.is_payable(at=timezone.now())
