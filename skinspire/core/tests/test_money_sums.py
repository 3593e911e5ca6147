"""Sums of money are exact to the paisa on both databases. SQLite adds its DECIMAL columns up
as floats (fifty payments of ₹10.78 came to 538.999999999999), and Django rounds only bare
columns; skinspire.core.embedded_sqlite rounds every expression of money to its places."""

import json
from decimal import Decimal

import pytest

from skinspire.collections.models import PatientRefund
from skinspire.collections.services.payments import bill_paid_amount_refresh
from skinspire.collections.services.refunds import refundable_amount
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from tests.embedded_sqlite import shell_on_sqlite

pytestmark = pytest.mark.django_db

PART = Decimal("10.78")  # fifty of them: 538.999999999999 as SQLite adds floats


def test_a_bill_paid_in_fifty_parts_is_paid_in_full(hospital, branch):
    bill = BillFactory(hospital=hospital, branch=branch, amount=PART * 50)
    for _ in range(50):
        PatientPaymentFactory(bill=bill, amount=PART, status="captured")

    bill = bill_paid_amount_refresh(bill_id=bill.pk)

    assert (bill.amount_paid, bill.status) == (Decimal("539.00"), "paid")


def test_a_payments_last_part_stays_refundable_to_the_paisa(hospital, branch):
    payment = PatientPaymentFactory(
        bill=BillFactory(hospital=hospital, branch=branch, amount=PART * 50),
        amount=PART * 50,
        status="captured",
    )
    PatientRefund.objects.bulk_create(
        PatientRefund(hospital=hospital, branch=branch, payment=payment, amount=PART, reason=f"part {number}")
        for number in range(49)
    )

    assert refundable_amount(payment=payment) == PART


# Run by `manage.py shell` on a SQLite file as `make run` sets it up (the suite's own database
# is PostgreSQL in CI): a table of its own, fifty amounts, their sum through the ORM.
SUM_ON_SQLITE = """
import json
from decimal import Decimal
from django.db import connection, models
from django.db.models import Sum
class Part(models.Model):
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    class Meta:
        app_label = "core"
        db_table = "money_sum_check"
with connection.schema_editor() as editor:
    editor.create_model(Part)
Part.objects.bulk_create(Part(amount=Decimal("10.78")) for _ in range(50))
total = Part.objects.aggregate(total=Sum("amount"))["total"]
print(json.dumps([connection.settings_dict["ENGINE"], str(total)]))
"""


def test_make_runs_sqlite_sums_money_exactly(tmp_path):
    result = shell_on_sqlite(tmp_path, SUM_ON_SQLITE, timeout=120)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["skinspire.core.embedded_sqlite", "539.00"]
