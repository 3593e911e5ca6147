"""Payments, payouts and a reconciled run with chosen figures, for the report tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.money_rows import create_in
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, bank_account
from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus
from skinspire.reconciliation.services.runs import reconciliation_run_start
from skinspire.reconciliation.tests.source_app.models import TrialPayment


def figures(hospital, branch):
    """Razorpay: two UPI payments received (₹1,000 fee ₹23.60, ₹500 fee ₹11.80), one UPI
    payment failed, one card payment pending; one IMPS payout completed (₹2,400 fee ₹5.90),
    one NEFT payout failed. A run of today matches a payment paid two days ago."""
    configuration = GatewayConfigurationFactory(hospital=hospital, name="Razorpay main")
    now = timezone.now()
    bill = BillFactory(hospital=hospital, branch=branch, amount=Decimal("5000.00"))
    for amount, fee, tax, status, method in [
        ("1000.00", "23.60", "3.60", "captured", "upi"),
        ("500.00", "11.80", "1.80", "captured", "upi"),
        ("300.00", None, None, "failed", "upi"),
        ("200.00", None, None, "pending", "card"),
    ]:
        PatientPaymentFactory(
            bill=bill, configuration=configuration, amount=Decimal(amount), status=status, method=method,
            fee=fee and Decimal(fee), tax=tax and Decimal(tax), captured_at=now if status == "captured" else None,
            gateway_payment_id=f"pay_{hospital.pk}_{amount}",
        )  # fmt: skip
    supplier = SupplierFactory(hospital=hospital)
    account, maker = bank_account(supplier), UserFactory(hospital=hospital)
    for number, (mode, status, fee, tax) in enumerate(
        [("imps", "completed", "5.90", "0.90"), ("neft", "failed", None, None)]
    ):
        create_in(
            SupplierPayment, hospital=hospital, supplier=supplier, account=account, method="gateway_payout", mode=mode,
            amount=Decimal("2400.00"), status=status, reference=f"SP-R{hospital.pk}-{number}", idempotency_key=f"r-{number}",
            created_by=maker, configuration=configuration, gateway_payout_id=f"pout_{hospital.pk}_{number}",
            fee=fee and Decimal(fee), tax=tax and Decimal(tax), completed_at=now if status == "completed" else None,
        )  # fmt: skip
    today = timezone.localdate()
    TrialPayment.objects.create(
        configuration_id=configuration.pk,
        gateway_id="pay_T",
        amount=Decimal("100.00"),
        paid_on=today - timedelta(days=2),
    )
    line = GatewayRow(key="setl_1/pay_T", gateway_id="pay_T", utr="", amount=Decimal("100.00"), fee=Decimal("0.00"),
                      tax=Decimal("0.00"), status=RowStatus.SUCCESS, date=today - timedelta(days=2),
                      kind=Kind.COLLECTION, settlement_id="setl_1", settled_on=today)  # fmt: skip
    reconciliation_run_start(
        configuration=configuration, run_date=today, trigger="upload", gateway_rows=[line]
    )
    return configuration
