"""Account validation through the sandbox RazorpayX: penny drop, VPA check, name mismatch."""

import pytest

from skinspire.core.audit import AuditEntry
from skinspire.gateways.errors import UnsupportedOperationError
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.payouts.models import AccountValidation, SupplierAccount, SupplierAccountGatewayLink
from skinspire.payouts.services.validation import names_match, supplier_account_validate
from skinspire.payouts.tests.factories import bank_account, upi_account
from skinspire.sandbox.models import SandboxObject

pytestmark = pytest.mark.django_db


def _validate(account, captured, actor=None):
    with captured(execute=True):  # the sandbox completes the validation after commit; we read it
        supplier_account_validate(account=account, actor=actor)
    return SupplierAccount.objects.get(pk=account.pk)


@pytest.mark.parametrize(
    ("number", "status", "registered_name", "mismatch"),
    [
        ("50100012345678", AccountValidation.ACTIVE, "Acme Surgicals", False),
        ("50100012341111", AccountValidation.ACTIVE, "RAVI KUMAR SHARMA", True),
        ("50100012340000", AccountValidation.INVALID, "", False),
        ("50100012342222", AccountValidation.FAILED, "", False),
    ],
)
def test_a_bank_account_penny_drop(
    configuration,
    supplier,
    maker,
    django_capture_on_commit_callbacks,
    number,
    status,
    registered_name,
    mismatch,
):
    account = bank_account(supplier, account_number=number)

    validated = _validate(account, django_capture_on_commit_callbacks, actor=maker)

    assert (validated.validation_status, validated.registered_name, validated.name_mismatch) == (
        status,
        registered_name,
        mismatch,
    )
    assert validated.validation_configuration == configuration
    link = SupplierAccountGatewayLink.objects.get(account=account)
    assert link.contact_id.startswith("cont_") and link.fund_account_id.startswith("fa_")
    assert validated.validation_id.startswith("fav_")
    entries = AuditEntry.objects.filter(action="payouts.account.validation").order_by("sequence")
    assert [entry.changes["validation_status"]["to"] for entry in entries] == ["pending", status]


def test_a_upi_check_reuses_the_suppliers_contact(
    configuration, supplier, django_capture_on_commit_callbacks
):
    first = _validate(bank_account(supplier), django_capture_on_commit_callbacks)
    second = _validate(upi_account(supplier, vpa="acme@okhdfc"), django_capture_on_commit_callbacks)

    assert (second.validation_status, second.registered_name, second.name_mismatch) == (
        AccountValidation.ACTIVE,
        "Acme Surgicals",
        False,
    )
    links = SupplierAccountGatewayLink.objects.order_by("id")
    assert links[0].account == first and links[0].contact_id == links[1].contact_id
    assert SandboxObject.objects.filter(entity="contact").count() == 1


def test_no_account_number_reaches_the_transaction_log_in_clear(
    configuration, supplier, django_capture_on_commit_callbacks
):
    _validate(bank_account(supplier, account_number="50100012345678"), django_capture_on_commit_callbacks)

    logged = " ".join(
        str(log.request_body) + str(log.response_body) for log in GatewayTransactionLog.objects.all()
    )
    assert GatewayTransactionLog.objects.filter(operation="validate_fund_account").count() == 1
    assert "50100012345678" not in logged


def test_paytm_refuses_validation_through_the_capability_guard(hospital, supplier):
    GatewayConfigurationFactory(paytm=True, hospital=hospital, is_default=True)
    account = bank_account(supplier)

    with pytest.raises(UnsupportedOperationError, match="^Paytm has no API for account validation.$"):
        supplier_account_validate(account=account, actor=None)

    assert SupplierAccount.objects.get(pk=account.pk).validation_status == AccountValidation.NOT_VALIDATED
    assert not SupplierAccountGatewayLink.objects.exists()


@pytest.mark.parametrize(
    ("held", "returned", "same"),
    [
        ("Acme Surgicals Pvt Ltd", "ACME SURGICALS PRIVATE LIMITED", True),
        ("Acme Surgicals", "acme  surgicals.", True),
        ("Acme Surgicals", "RAVI KUMAR SHARMA", False),
        ("Acme Surgicals", "", False),
    ],
)
def test_name_comparison(held, returned, same):
    assert names_match(held, returned) is same
