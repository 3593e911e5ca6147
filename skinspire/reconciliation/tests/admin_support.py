"""A finished run with one matched pair and one open discrepancy, for the admin tests."""

from datetime import date, timedelta
from decimal import Decimal

from skinspire.core.tests.factories import UserFactory
from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus
from skinspire.reconciliation.services.runs import reconciliation_run_start
from skinspire.reconciliation.tests.source_app.models import TrialPayment

DAY = date(2026, 4, 20)


def user_with(role: str | None, hospital):
    if role is None:
        return UserFactory(hospital=None, is_superuser=True)
    return UserFactory(hospital=hospital, roles=[role])


def finished_run(configuration, *, lost_reference: str = "BILL-7"):
    TrialPayment.objects.create(
        configuration_id=configuration.pk,
        gateway_id="pay_ok",
        amount=Decimal("100.00"),
        expected_fee=None,
        paid_on=DAY,
    )
    TrialPayment.objects.create(
        configuration_id=configuration.pk,
        gateway_id="pay_lost",
        amount=Decimal("40.00"),
        paid_on=DAY - timedelta(days=4),
        reference=lost_reference,
    )
    line = GatewayRow(
        key="setl_1/pay_ok", gateway_id="pay_ok", utr="UTR1", amount=Decimal("100.00"), fee=Decimal("2.36"),
        tax=Decimal("0.36"), status=RowStatus.SUCCESS, date=DAY, kind=Kind.COLLECTION, settlement_id="setl_1",
    )  # fmt: skip
    return reconciliation_run_start(
        configuration=configuration, run_date=DAY, trigger="manual", gateway_rows=[line]
    )
