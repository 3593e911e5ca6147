"""Which pairs give a payment the fee of its settlement line (services/settled_fees.py): only
one payment matched with its line by the gateway's id. A rupee apart (amount mismatch), paired
by UTR + amount (our row has no id), or one line for two payments (its fee cannot be divided):
left unknown, since a fee is written once and for good. A fee known already is never replaced."""

from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.tests.factories import BranchFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.reconciliation.engine import Category, GatewayRow, Kind, Pass, RowStatus, SystemRow, reconcile
from skinspire.reconciliation.models import ReconciliationRun
from skinspire.reconciliation.services.settled_fees import settled_fees_record

pytestmark = pytest.mark.django_db

D = Decimal


def line(key: str, gateway_id: str, amount: str, *, utr: str = "") -> GatewayRow:
    return GatewayRow(key, gateway_id, utr, D(amount), D("35.40"), D("5.40"), RowStatus.SUCCESS,
                      timezone.localdate(), Kind.COLLECTION)  # fmt: skip


def ours(payment: PatientPayment, gateway_id: str, *, utr: str = "") -> SystemRow:
    return SystemRow(f"patient_payment:{payment.pk}", gateway_id, utr, payment.amount, payment.fee,
                     RowStatus.SUCCESS, timezone.localdate(), Kind.COLLECTION)  # fmt: skip


def test_only_one_payment_matched_by_the_gateways_id_gives_its_fee(hospital):
    bill = BillFactory(branch=BranchFactory(hospital=hospital), amount=D("9000.00"))
    configuration = GatewayConfigurationFactory(hospital=hospital, paytm=True)

    def payment(**fields):
        return PatientPaymentFactory(bill=bill, configuration=configuration, status="captured", **fields)

    by_id, differing, by_utr, first_of_two, second_of_two = (payment() for _ in range(5))
    fee_known = payment(fee=D("20.00"), tax=D("3.05"))
    gateway_rows = [
        line("g1", "T1", "1500.00"),
        line("g2", "T2", "1501.00"),
        line("g3", "T3", "1500.00", utr="UTR3"),
        line("g4", "T4", "3000.00", utr="UTR4"),
        line("g5", "T5", "1500.00"),
    ]
    system_rows = [
        ours(by_id, "T1"),
        ours(differing, "T2"),
        ours(by_utr, "", utr="UTR3"),
        ours(first_of_two, "", utr="UTR4"),
        ours(second_of_two, "", utr="UTR4"),
        ours(fee_known, "T5"),
    ]
    result = reconcile(gateway_rows=gateway_rows, system_rows=system_rows, as_of=timezone.localdate())
    assert sorted((outcome.match_pass, outcome.category) for outcome in result.outcomes) == sorted(
        [
            (Pass.GATEWAY_ID, Category.MATCHED),
            (Pass.GATEWAY_ID, Category.AMOUNT_MISMATCH),
            (Pass.GATEWAY_ID, Category.FEE_MISMATCH),  # ₹35.40 on the line, ₹20.00 known: kept, and told
            (Pass.UTR_AMOUNT, Category.MATCHED),
            (Pass.ONE_TO_MANY, Category.MATCHED),
        ]
    )
    run = ReconciliationRun.objects.create(
        hospital=hospital, configuration=configuration, run_date=timezone.localdate(), trigger="manual"
    )

    filled = settled_fees_record(
        run=run,
        result=result,
        gateway={row.key: row for row in gateway_rows},
        system={row.key: row for row in system_rows},
    )

    fees = dict(PatientPayment.objects.filter(bill=bill).values_list("pk", "fee"))
    assert (filled, fees) == (
        1,
        {
            by_id.pk: D("35.40"),
            differing.pk: None,
            by_utr.pk: None,
            first_of_two.pk: None,
            second_of_two.pk: None,
            fee_known.pk: D("20.00"),
        },
    )
