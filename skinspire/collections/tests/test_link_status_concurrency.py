"""Answers about one payment link applied at the same moment by several workers, on
PostgreSQL with real threads: whatever order the row lock lets them in, the link ends with
the largest paid amount and the furthest status, and no worker fails (the database would
refuse a paid amount going down, so a lost race would show here as an error)."""

import random
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from skinspire.collections.models import PaymentLink
from skinspire.collections.services.links import payment_link_status_apply
from skinspire.collections.tests.factories import BillFactory
from skinspire.collections.tests.support import history_of
from skinspire.core.tests.factories import BranchFactory
from skinspire.core.tests.money_rows import create_in
from skinspire.gateways.providers.interface import LinkStatus, PaymentLinkResult

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ANSWERS = [
    (LinkStatus.CREATED, "0.00"),
    (LinkStatus.PARTIALLY_PAID, "500.00"),
    (LinkStatus.PARTIALLY_PAID, "1000.00"),
    (LinkStatus.PARTIALLY_PAID, "1500.00"),
    (LinkStatus.PARTIALLY_PAID, "2000.00"),
    (LinkStatus.PAID, "2500.00"),
    (LinkStatus.PAID, "2500.00"),  # the paid webhook and a fetch after it
]


def race(link: PaymentLink, answers: list[tuple[LinkStatus, str]]) -> list[BaseException]:
    start, failures = threading.Barrier(len(answers)), []

    def worker(index: int, status: LinkStatus, amount_paid: str):
        try:
            start.wait(10)
            result = PaymentLinkResult(gateway_link_id="plink_1", url="https://rzp.io/i/1", status=status,
                                       gateway_status=status.value, amount=Decimal("2500.00"),
                                       amount_paid=Decimal(amount_paid))  # fmt: skip
            payment_link_status_apply(
                link=link, result=result, reason="race", event_reference=f"race:{index}"
            )
        except BaseException as error:  # noqa: BLE001 (every failure is the test's finding)
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index, *answer)) for index, answer in enumerate(answers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


@pytest.mark.parametrize("seed", range(5))
def test_racing_answers_leave_the_link_paid_with_its_full_amount(postgres_only, seed):
    bill = BillFactory(branch=BranchFactory(), amount=Decimal("2500.00"))
    link = create_in(
        PaymentLink, hospital=bill.hospital, branch=bill.branch, bill=bill, amount=Decimal("2500.00"),
        source="razorpay", gateway_link_id="plink_1", expires_at=timezone.now() + timedelta(hours=24),
    )  # fmt: skip
    answers = ANSWERS[:]
    random.Random(seed).shuffle(answers)

    failures = race(link, answers)

    assert failures == []
    link.refresh_from_db()
    assert (link.status, link.amount_paid) == ("paid", Decimal("2500.00"))
    applied = [row for row in history_of(link) if row[2] == "applied"]
    assert applied[-1][1] == "paid"
    assert len(history_of(link)) == len([answer for answer in answers if answer[0] != LinkStatus.CREATED])
