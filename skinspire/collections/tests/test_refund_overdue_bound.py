"""When a pending gateway refund counts as pending too long: more than
PATIENT_REFUND_OVERDUE_WORKING_DAYS working days (Monday to Friday) after it was recorded,
Razorpay's normal refunds taking 5-7 (reference/razorpay.md §3.3). A counter refund is never
marked: the counter sweep settles it within minutes (services/counter_refunds.py)."""

from datetime import datetime
from decimal import Decimal
from typing import cast
from zoneinfo import ZoneInfo

import pytest

from skinspire.collections.models import PatientPayment, PatientRefund, PaymentCategory
from skinspire.collections.services.gateway_refunds_overdue import patient_refunds_overdue_watch
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db

INDIA = ZoneInfo("Asia/Kolkata")
FRIDAY_AT_TEN = datetime(2026, 11, 27, 10, 0, tzinfo=INDIA)
# Seven working days on: Monday to Friday, then Monday and Tuesday.
TUESDAY_WEEK_AFTER = datetime(2026, 12, 8, 10, 0, tzinfo=INDIA)


def refund_recorded(bill, at: datetime, *, counter: bool = False) -> PatientRefund:
    payment: PatientPayment
    if counter:
        payment = cast(PatientPayment, PatientPaymentFactory(bill=bill, status="captured", source="internal",
                       category=PaymentCategory.MANUAL, method="cash"))  # fmt: skip
    else:
        payment = cast(PatientPayment, PatientPaymentFactory(bill=bill, status="captured",
                       configuration=GatewayConfigurationFactory(hospital=bill.hospital),
                       gateway_order_id="order_1", gateway_payment_id="pay_1"))  # fmt: skip
    refund = PatientRefund.objects.create(hospital=bill.hospital, branch=bill.branch, payment=payment,
                                          amount=Decimal("100.00"), reason="Asked")  # fmt: skip
    PatientRefund.objects.filter(pk=refund.pk).update(created_at=at)
    return refund


def marked(refund: PatientRefund) -> bool:
    refund.refresh_from_db()
    return refund.attention_since is not None


@pytest.mark.parametrize(
    ("now", "overdue"),
    [
        (datetime(2026, 12, 7, 18, 0, tzinfo=INDIA), False),  # Monday: ten days, six working days
        (TUESDAY_WEEK_AFTER, False),
        (TUESDAY_WEEK_AFTER.replace(minute=1), True),
    ],
    ids=["six-working-days", "exactly-seven", "past-seven"],
)
def test_a_refund_asked_for_on_a_friday_is_overdue_after_the_seventh_working_day(bill, now, overdue):
    refund = refund_recorded(bill, FRIDAY_AT_TEN)

    counts = patient_refunds_overdue_watch(now=now)

    assert (counts["marked"], marked(refund)) == (int(overdue), overdue)


def test_the_bound_is_a_setting(bill, settings):
    settings.PATIENT_REFUND_OVERDUE_WORKING_DAYS = 3
    refund = refund_recorded(bill, FRIDAY_AT_TEN)

    patient_refunds_overdue_watch(now=datetime(2026, 12, 3, 10, 1, tzinfo=INDIA))  # Thursday: four

    assert marked(refund)
    assert "more than 3 working days after it was asked for on 27 Nov 2026" in refund.attention_reason


def test_a_counter_refund_is_never_marked(bill):
    refund = refund_recorded(bill, FRIDAY_AT_TEN, counter=True)

    assert patient_refunds_overdue_watch(now=TUESDAY_WEEK_AFTER.replace(day=20))["marked"] == 0
    assert not marked(refund)
