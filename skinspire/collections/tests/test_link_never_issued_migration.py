"""Collections 0018 cancels the links orphaned before a failed gateway call cancelled its
link: created, with no gateway id, older than any call still waiting on the gateway. Each
is recorded in its status history; issued links and a create still under way are left."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from skinspire.collections.models import PaymentLink
from skinspire.collections.tests.support import history_of
from skinspire.core.models import StatusTransition
from skinspire.core.tests.money_rows import create_in

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("collections", "0017_idempotency_keys")]
CANCELLING = [("collections", "0018_cancel_links_never_issued")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def back_to_the_latest():
    """Whatever a test leaves, the latest schema after it (the next tests need it)."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def made(bill, *, gateway_link_id: str, minutes_ago: int) -> PaymentLink:
    link = create_in(
        PaymentLink, hospital=bill.hospital, branch=bill.branch, bill=bill, amount=Decimal("500.00"),
        source="razorpay", gateway_link_id=gateway_link_id, expires_at=timezone.now() + timedelta(hours=24),
    )  # fmt: skip
    PaymentLink.objects.filter(pk=link.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return link


def test_old_links_never_issued_are_cancelled_with_their_history(bill, back_to_the_latest):
    migrate(BEFORE)
    orphan = made(bill, gateway_link_id="", minutes_ago=60)
    under_way = made(bill, gateway_link_id="", minutes_ago=1)
    issued = made(bill, gateway_link_id="plink_1", minutes_ago=60)

    migrate(CANCELLING)

    statuses = dict(PaymentLink.objects.values_list("pk", "status"))
    assert statuses == {orphan.pk: "cancelled", under_way.pk: "created", issued.pk: "created"}
    assert history_of(orphan) == [("created", "cancelled", "applied")]
    record = StatusTransition.objects.get(object_id=str(orphan.pk))
    assert record.event_reference == "migration:collections:0018"
    assert record.reason.startswith(
        "Never issued: the gateway's answer to its create was an error or was lost"
    )
    assert history_of(under_way) == history_of(issued) == []
