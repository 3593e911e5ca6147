"""Recording supplier payments: allocations, mode limits, account checks, idempotency."""

from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.core.audit import AuditEntry
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.payouts.models import PaymentAllocation, SupplierInvoice, SupplierPayment
from skinspire.payouts.services.accounts import supplier_account_change_details
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.tests.factories import SupplierInvoiceFactory, bank_account, upi_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoices(supplier):
    return [
        SupplierInvoiceFactory(supplier=supplier, number="INV-1", amount=Decimal("10000.00")),
        SupplierInvoiceFactory(supplier=supplier, number="INV-2", amount=Decimal("4000.00")),
    ]


def gateway_request(supplier, account, amount, mode="imps", **extra):
    return PaymentRequest(
        supplier=supplier, account=account, amount=amount, method="gateway_payout", mode=mode, **extra
    )


def test_a_split_payment_reserves_partial_amounts_of_several_invoices(
    configuration, supplier, maker, invoices
):
    account = bank_account(supplier)
    split = [
        AllocationRequest(invoices[0].pk, Decimal("6000.00")),
        AllocationRequest(invoices[1].pk, Decimal("4000.00")),
    ]

    payment, created = supplier_payment_create(
        request=gateway_request(supplier, account, "10000.00", invoices=split), maker=maker
    )

    assert created and (payment.status, payment.amount, payment.fee_preview) == (
        "draft",
        Decimal("10000.00"),
        Decimal("5.90"),
    )
    assert payment.reference.startswith("SP") and len(payment.reference) == 20
    assert [(line.invoice.number, line.amount) for line in payment.allocations.all()] == [
        ("INV-1", Decimal("6000.00")),
        ("INV-2", Decimal("4000.00")),
    ]
    assert [
        (invoice.amount_allocated, invoice.amount_open, invoice.status)
        for invoice in SupplierInvoice.objects.order_by("number")
    ] == [
        (Decimal("6000.00"), Decimal("4000.00"), "open"),
        (Decimal("4000.00"), Decimal("0.00"), "open"),
    ]
    assert AuditEntry.objects.filter(action="payouts.payment.create", actor=maker).count() == 1


def test_more_than_is_open_is_refused_and_nothing_is_written(configuration, supplier, maker, invoices):
    account = bank_account(supplier)
    supplier_payment_create(
        request=gateway_request(
            supplier, account, "7000.00", invoices=[AllocationRequest(invoices[0].pk, Decimal("7000.00"))]
        ),
        maker=maker,
    )

    with pytest.raises(
        ConflictError, match=r"Invoice INV-1 has ₹3,000.00 open; ₹3,000.01 cannot be allocated"
    ):
        supplier_payment_create(
            request=gateway_request(
                supplier,
                account,
                "4000.01",
                invoices=[
                    AllocationRequest(invoices[1].pk, Decimal("1000.00")),
                    AllocationRequest(invoices[0].pk, Decimal("3000.01")),
                ],
            ),
            maker=maker,
        )

    assert SupplierPayment.objects.count() == 1 and PaymentAllocation.objects.count() == 1
    assert SupplierInvoice.objects.get(number="INV-2").amount_allocated == Decimal("0.00")


@pytest.mark.parametrize(
    ("split", "message"),
    [
        ([("INV-1", "600.00")], "The invoices add up to ₹600.00 but the payment is ₹1,000.00."),
        ([("INV-1", "500.00"), ("INV-1", "500.00")], "An invoice is listed twice."),
        ([("INV-1", "1000.00"), ("INV-2", "0.00")], "Each invoice's amount must be more than zero."),
        ([("INV-1", "999.999"), ("INV-2", "0.001")], "has more than 2 decimal places"),
    ],
)
def test_bad_allocations_are_refused(configuration, supplier, maker, invoices, split, message):
    by_number = {invoice.number: invoice.pk for invoice in invoices}
    requests = [AllocationRequest(by_number[number], Decimal(amount)) for number, amount in split]

    with pytest.raises(ApplicationError, match=message):
        supplier_payment_create(
            request=gateway_request(supplier, bank_account(supplier), "1000.00", invoices=requests),
            maker=maker,
        )
    assert not SupplierPayment.objects.exists()


def test_another_suppliers_invoice_cannot_be_allocated(configuration, supplier, maker, hospital):
    from skinspire.payouts.tests.factories import SupplierFactory

    foreign = SupplierInvoiceFactory(supplier=SupplierFactory(hospital=hospital), amount=Decimal("500.00"))

    with pytest.raises(ApplicationError, match="not this supplier's open invoices"):
        supplier_payment_create(
            request=gateway_request(
                supplier,
                bank_account(supplier),
                "500.00",
                invoices=[AllocationRequest(foreign.pk, Decimal("500.00"))],
            ),
            maker=maker,
        )
    assert not SupplierPayment.objects.exists()


@pytest.mark.parametrize(
    ("mode", "amount", "message"),
    [
        (
            "rtgs",
            "199999.99",
            r"RTGS payouts start at ₹2,00,000.00; this one is ₹1,99,999.99. Use NEFT or IMPS",
        ),
        ("imps", "500000.01", r"IMPS payouts go up to ₹5,00,000.00; this one is ₹5,00,000.01."),
        ("neft", "20000000.01", r"NEFT payouts go up to ₹2,00,00,000.00"),
    ],
)
def test_mode_limits(configuration, supplier, maker, mode, amount, message):
    with pytest.raises(ApplicationError, match=message):
        supplier_payment_create(
            request=gateway_request(supplier, bank_account(supplier), amount, mode=mode), maker=maker
        )
    assert not SupplierPayment.objects.exists()


def test_upi_limit_and_the_edges_that_pass(configuration, supplier, maker):
    with pytest.raises(ApplicationError, match=r"UPI payouts go up to ₹1,00,000.00"):
        supplier_payment_create(
            request=gateway_request(supplier, upi_account(supplier), "100000.01", mode="upi"), maker=maker
        )

    rtgs, _ = supplier_payment_create(
        request=gateway_request(supplier, bank_account(supplier), "200000.00", mode="rtgs"), maker=maker
    )
    upi, _ = supplier_payment_create(
        request=gateway_request(supplier, upi_account(supplier, vpa="acme@okaxis"), "100000.00", mode="upi"),
        maker=maker,
    )
    assert (rtgs.status, upi.status) == ("draft", "draft")


def test_mode_must_fit_the_account(configuration, supplier, maker):
    with pytest.raises(ApplicationError, match="A UPI payout goes to a UPI id"):
        supplier_payment_create(
            request=gateway_request(supplier, bank_account(supplier), "100.00", mode="upi"), maker=maker
        )
    with pytest.raises(ApplicationError, match="A NEFT payout goes to a bank account"):
        supplier_payment_create(
            request=gateway_request(supplier, upi_account(supplier), "100.00", mode="neft"), maker=maker
        )


def account_with_new_details(supplier, maker):
    """A bank account whose details were just changed: waiting for approval and cooling off."""
    return supplier_account_change_details(
        account=bank_account(supplier),
        holder_name="Acme Surgicals",
        account_number="60200098765432",
        ifsc="ICIC0000456",
        actor=maker,
    )


def test_an_account_still_cooling_off_is_refused(configuration, supplier, maker):
    account = account_with_new_details(supplier, maker)

    with pytest.raises(ConflictError, match="needs a Payment approver's approval and its cooling-off period"):
        supplier_payment_create(request=gateway_request(supplier, account, "100.00"), maker=maker)
    assert not SupplierPayment.objects.exists()


def test_an_account_cooling_off_says_when_it_can_be_paid_in_india_time(configuration, supplier, maker):
    """The refusal gave the time in UTC ("13:04 UTC" for 18:34 in the hospital)."""
    account = account_with_new_details(supplier, maker)
    account.refresh_from_db()
    local = timezone.localtime(account.payable_after)

    with pytest.raises(ConflictError) as refused:
        supplier_payment_create(request=gateway_request(supplier, account, "100.00"), maker=maker)

    assert refused.value.message.endswith(f" It can be paid from {local:%d %b %Y %H:%M} India time.")
    assert "UTC" not in refused.value.message


def test_the_same_idempotency_key_returns_the_first_payment(configuration, supplier, maker):
    account = bank_account(supplier)
    request = gateway_request(supplier, account, "1500.00", idempotency_key="client-key-1")

    first, first_created = supplier_payment_create(request=request, maker=maker)
    again, again_created = supplier_payment_create(request=request, maker=maker)

    assert (first_created, again_created, again.pk) == (True, False, first.pk)
    with pytest.raises(ConflictError, match="already used for a different payment"):
        supplier_payment_create(
            request=gateway_request(supplier, account, "1600.00", idempotency_key="client-key-1"), maker=maker
        )
    assert SupplierPayment.objects.count() == 1


def test_a_manual_payment_needs_no_gateway_or_account(supplier, maker, invoices):
    payment, _ = supplier_payment_create(
        request=PaymentRequest(
            supplier=supplier,
            amount="4000.00",
            method="manual",
            mode="cheque",
            manual_reference="CHQ 000123",
            invoices=[AllocationRequest(invoices[1].pk, Decimal("4000.00"))],
        ),
        maker=maker,
    )

    assert (payment.method, payment.mode, payment.account, payment.fee_preview) == (
        "manual",
        "cheque",
        None,
        None,
    )
    with pytest.raises(ApplicationError, match="A manual payment is cash, cheque or bank transfer."):
        supplier_payment_create(
            request=PaymentRequest(supplier=supplier, amount="1.00", method="manual", mode="neft"),
            maker=maker,
        )


def test_an_account_the_bank_called_invalid_is_refused(
    configuration, supplier, maker, django_capture_on_commit_callbacks
):
    from skinspire.payouts.services.validation import supplier_account_validate

    account = bank_account(supplier, account_number="50100012340000")  # the sandbox's bank: invalid
    with django_capture_on_commit_callbacks(execute=True):
        supplier_account_validate(account=account, actor=maker)
    account.refresh_from_db()
    assert account.validation_status == "invalid"

    with pytest.raises(ApplicationError, match="The bank says this account is invalid"):
        supplier_payment_create(request=gateway_request(supplier, account, "100.00"), maker=maker)
    assert not SupplierPayment.objects.exists()
