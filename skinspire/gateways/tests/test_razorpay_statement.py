"""RazorpayX account statement as payout lines: GET /v1/transactions for a day (reference
§6.3), every page, payout debits and reversal credits kept, balance top-ups left out."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import responses
from responses import matchers

from skinspire.gateways.errors import UnsupportedOperationError
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_razorpay_support import BASE, OUR_ACCOUNT, make_provider

pytestmark = pytest.mark.django_db

# 2026-04-10 00:00:00 IST .. 23:59:59 IST in Unix seconds.
DAY_START, DAY_END = 1775759400, 1775845799


def payout_debit(number: int) -> dict:
    """The shape of the transaction.created sample (https://razorpay.com/docs/webhooks/transactions/)."""
    return {"id": f"txn_{number:014d}", "entity": "transaction", "account_number": OUR_ACCOUNT,
            "amount": 100000, "currency": "INR", "credit": 0, "debit": 100590, "balance": 4242,
            "source": {"id": f"pout_{number:014d}", "entity": "payout", "fund_account_id": "fa_1Aa00000000001",
                       "amount": 100000, "notes": {"invoice": "MS-1"}, "fees": 590, "tax": 90,
                       "status": "processed", "utr": "933815233814", "mode": "IMPS", "created_at": 1775800000},
            "created_at": 1775800060}  # fmt: skip


TOP_UP = {"id": "txn_00000000000900", "entity": "transaction", "account_number": OUR_ACCOUNT, "amount": 10000000,
          "currency": "INR", "credit": 10000000, "debit": 0, "balance": 10000000,
          "source": {"id": "bt_00000000000001", "entity": "bank_transfer", "payer_name": "Saurav Kumar",
                     "mode": "NEFT", "bank_reference": "AXIR000000000001", "amount": 10000000},
          "created_at": 1775790000}  # fmt: skip
REVERSAL = {"id": "txn_00000000000901", "entity": "transaction", "account_number": OUR_ACCOUNT, "amount": 100000,
            "currency": "INR", "credit": 100590, "debit": 0, "balance": 100590,
            "source": {"id": "rvrsl_0000000001", "entity": "reversal", "payout_id": "pout_00000000000007",
                       "amount": 100000, "fee": 590, "tax": 90, "currency": "INR", "utr": "933815233814",
                       "created_at": 1775810000},
            "created_at": 1775810000}  # fmt: skip


@responses.activate
def test_the_statement_of_a_day_as_payout_lines(hospital):
    provider = make_provider(hospital=hospital)
    base = {"account_number": OUR_ACCOUNT, "from": str(DAY_START), "to": str(DAY_END), "count": "100"}
    responses.get(
        f"{BASE}/v1/transactions",
        match=[matchers.query_param_matcher({**base, "skip": "0"})],
        json={"entity": "collection", "count": 100, "items": [TOP_UP] + [payout_debit(n) for n in range(99)]},
    )
    responses.get(
        f"{BASE}/v1/transactions",
        match=[matchers.query_param_matcher({**base, "skip": "100"})],
        json={"entity": "collection", "count": 1, "items": [REVERSAL]},
    )

    lines = provider.fetch_payout_lines(on=date(2026, 4, 10))

    assert len(lines) == 100  # 99 payouts and a reversal; the top-up is not a payout
    first = lines[0]
    assert (first.settlement_id, first.entity_id, first.entity_type, first.settlement_utr) == (
        "txn_00000000000000", "pout_00000000000000", "payout", "933815233814",
    )  # fmt: skip
    assert (first.amount, first.fee, first.tax, first.debit, first.credit) == (
        Decimal("1000.00"), Decimal("5.90"), Decimal("0.90"), Decimal("1005.90"), Decimal("0.00"),
    )  # fmt: skip
    assert first.transacted_at == datetime.fromtimestamp(1775800000, tz=UTC)
    assert first.settled_at == datetime.fromtimestamp(1775800060, tz=UTC)
    assert first.notes == "MS-1"
    reversal = lines[-1]
    assert (reversal.entity_id, reversal.entity_type, reversal.credit, reversal.fee) == (
        "pout_00000000000007", "reversal", Decimal("1005.90"), Decimal("5.90"),
    )  # fmt: skip
    assert GatewayTransactionLog.objects.filter(operation="fetch_account_statement").count() == 2


def test_paytm_has_no_payout_statement(hospital):
    provider = provider_for(GatewayConfigurationFactory(hospital=hospital, paytm=True))

    with pytest.raises(UnsupportedOperationError, match="has no API for payout statements"):
        provider.fetch_payout_lines(on=date(2026, 4, 10))
