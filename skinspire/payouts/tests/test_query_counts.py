"""The statements one payout costs us, pinned so that they do not creep back (docs/payouts.md,
"Benchmark"): an initiation through the API, a repeat of it, the dispatch to the gateway, and
the gateway call log's commit that no longer waits for the disk.

Counted on PostgreSQL inside the test's transaction (so no BEGIN or COMMIT; savepoints count),
and without the sandbox's own statements: it stands where Razorpay stands, in another process
in production. A change that adds a statement on purpose updates the number here, and says why.
"""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from skinspire.core.authentication.tokens import api_token_create
from skinspire.core.testing import DjangoInProcessAdapter
from skinspire.gateways.calllog import gateway_call
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.payouts.services.submission import supplier_payment_dispatch
from skinspire.payouts.tests.factories import bank_account

# In the test's transaction, each transaction of the code is a savepoint (SAVEPOINT ...
# RELEASE) where production has BEGIN ... COMMIT.
# Initiation: token and user (knox), the user's other tokens (knox's clean-up), the user's
# roles (once for the permission and the serializer), the account with its supplier and
# hospital. Transaction: the key's first payment, the payout policy (switched off?), the
# gateway configurations (fee preview), savepoint, INSERT, release; submit: the payout
# policy (threshold), savepoint x2, status lock, UPDATE, history INSERT, release x2; the
# audit entries of create and submit in one statement; end. After the commit: the payment as
# the response shows it, and its allocations.
INITIATION = 23
# The same key again: token, tokens, roles, account; transaction: the key's first payment;
# the payment as shown, and its allocations.
REPEAT = 9
# Dispatch. Transaction: the payment locked with its hospital, branch, account and supplier;
# savepoint, status lock, UPDATE, history INSERT, release; submitted_at; end. The call: the
# configurations, then the chosen one's credentials, the account's fund account at that
# gateway, the configuration recorded on the payment (committed before the call). After the
# answer: the call log row; transaction: lock, the gateway's ids and fee, savepoint, status
# lock, UPDATE, history INSERT, release; end.
DISPATCH = 23

pytestmark = pytest.mark.usefixtures("postgres_only")


@contextmanager
def our_statements():
    """Every statement we send, in order, leaving out those the in-process sandbox sends."""
    statements: list[str] = []
    in_sandbox = [False]
    send = DjangoInProcessAdapter.send

    def sandbox_send(self, request, *args, **kwargs):
        in_sandbox[0] = True
        try:
            return send(self, request, *args, **kwargs)
        finally:
            in_sandbox[0] = False

    def count(execute, sql, params, many, context):
        if not in_sandbox[0]:
            statements.append(sql)
        return execute(sql, params, many, context)

    with mock.patch.object(DjangoInProcessAdapter, "send", sandbox_send), connection.execute_wrapper(count):
        yield statements


@pytest.fixture
def client(maker):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=maker)[1]}")
    return api


def initiate(client, supplier, account, key):
    body = {"supplier_id": supplier.pk, "account_id": account.pk, "amount": "1000.00", "mode": "imps"}
    return client.post("/api/gateway/initiate-payout", {**body, "idempotency_key": key}, format="json")


def test_an_initiation_and_its_repeat_cost_a_fixed_number_of_statements(configuration, supplier, client):
    account = bank_account(supplier)
    initiate(client, supplier, account, "warm-up")  # content types and the like, cached once

    with our_statements() as statements:
        response = initiate(client, supplier, account, "key-1")
    assert response.status_code == 201, response.json()
    assert len(statements) == INITIATION, "\n".join(statements)
    assert sum("core_audit_append" in sql for sql in statements) == 1  # create and submit together

    with our_statements() as statements:
        again = initiate(client, supplier, account, "key-1")
    assert (again.status_code, again.json()["id"]) == (200, response.json()["id"])
    assert len(statements) == REPEAT, "\n".join(statements)


def test_a_dispatch_costs_a_fixed_number_of_statements(configuration, supplier, client, settings):
    settings.PAYOUT_DISPATCH_RATE_PER_SECOND = 1000
    account = bank_account(supplier)
    first, second = (initiate(client, supplier, account, key).json()["id"] for key in ("a", "b"))
    supplier_payment_dispatch(payment_id=first)  # creates the gateway's contact and fund account

    with our_statements() as statements:
        payment = supplier_payment_dispatch(payment_id=second)

    assert payment.status == "processing" and payment.gateway_payout_id
    assert len(statements) == DISPATCH, "\n".join(statements)
    assert sum("FOR NO KEY UPDATE" in sql for sql in statements) == 4  # two transactions, two each


@pytest.mark.django_db(transaction=True)
def test_the_call_log_row_commits_without_waiting_for_its_flush_outside_a_transaction(
    configuration,
):
    call = {"operation": "fetch_payout", "provider": "razorpay", "configuration": configuration}
    with our_statements() as statements, gateway_call(**call):
        pass
    # One statement: its own transaction's commit does not wait for the disk.
    assert len(statements) == 1 and statements[0].startswith(
        "SELECT set_config('synchronous_commit', 'off', true); INSERT INTO \"gateways_gatewaytransactionlog\""
    )
    logged = GatewayTransactionLog.objects.get()
    assert (logged.operation, logged.configuration, logged.hospital_id) == (
        "fetch_payout",
        configuration,
        configuration.hospital_id,
    )
    assert logged.created_at is not None and logged.gateway_ids == {}
    with connection.cursor() as cursor:  # the session's own setting is untouched
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"

    with our_statements() as statements, transaction.atomic(), gateway_call(**call):
        pass
    # Inside a caller's transaction it commits with the caller's, flushed as that one is.
    assert not any("synchronous_commit" in sql for sql in statements)
    assert GatewayTransactionLog.objects.filter(operation="fetch_payout").count() == 2
