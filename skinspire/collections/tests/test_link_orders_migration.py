"""Going back past collections 0014 (a link's payments may share their order): refused, naming
the payments, while a link paid in parts has several payments of one order, since 0013 has
no place for them; done, with one payment per order again, when none has."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from skinspire.collections.models import PaymentLink
from skinspire.collections.tests.factories import PatientPaymentFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("collections", "0013_link_amount_paid_never_down")]
SHARING = "0014_link_payments_share_their_order"


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def applied(name: str) -> bool:
    return MigrationRecorder(connection).migration_qs.filter(app="collections", name=name).exists()


@pytest.fixture
def back_to_the_latest():
    """Whatever a test leaves, the latest schema after it (the next tests need it)."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def part(link: PaymentLink, payment_id: str, amount: str, order: str = "order_LINK1"):
    return PatientPaymentFactory(bill=link.bill, payment_link=link, amount=Decimal(amount),
                                 gateway_order_id=order, gateway_payment_id=payment_id)  # fmt: skip


def test_going_back_is_refused_naming_the_parts_that_share_an_order(link, back_to_the_latest):
    first, second = part(link, "pay_1", "1000.00"), part(link, "pay_2", "1500.00")
    alone = PatientPaymentFactory(bill=link.bill, gateway_order_id="order_CHECKOUT")

    with pytest.raises(IrreversibleError) as refused:
        migrate(BEFORE)

    message = str(refused.value)
    assert message.startswith("collections 0014 cannot be reversed: 1 gateway order(s) have several payments")
    assert (
        f"razorpay order order_LINK1: {first.reference} (id {first.pk}, link {link.pk}), "
        f"{second.reference} (id {second.pk}, link {link.pk})"
    ) in message
    assert alone.reference not in message
    assert applied(SHARING)  # refused before its index was touched: both parts are still stored
    assert set(link.payments.values_list("gateway_payment_id", flat=True)) == {"pay_1", "pay_2"}


def test_going_back_without_shared_orders_brings_back_one_payment_per_order(link, back_to_the_latest):
    part(link, "pay_1", "1000.00")
    alone = PatientPaymentFactory(bill=link.bill, gateway_order_id="order_CHECKOUT")

    migrate(BEFORE)

    assert not applied(SHARING)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        # Allowed since 0014 (the link's part and a checkout payment); not before it.
        cursor.execute(
            "UPDATE collections_patientpayment SET gateway_order_id = %s WHERE id = %s",
            ["order_LINK1", alone.pk],
        )
    migrate([("collections", SHARING)])
    assert applied(SHARING)
