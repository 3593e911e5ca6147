"""Builders for engine rows: a settled ₹1,000 collection on 2026-04-10 unless told otherwise."""

from datetime import date
from decimal import Decimal

from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus, SystemRow

DAY = date(2026, 4, 10)


def gateway_row(key: str = "g1", **overrides) -> GatewayRow:
    fields = {
        "key": key,
        "gateway_id": f"pay_{key}",
        "utr": "",
        "amount": Decimal("1000.00"),
        "fee": Decimal("23.60"),
        "tax": Decimal("3.60"),
        "status": RowStatus.SUCCESS,
        "date": DAY,
        "kind": Kind.COLLECTION,
        "reference": "",
        "notes": "",
        "settlement_id": "setl_1",
        "settled_on": DAY,
    }
    return GatewayRow(**{**fields, **overrides})


def system_row(key: str = "s1", **overrides) -> SystemRow:
    fields = {
        "key": key,
        "gateway_id": "",
        "utr": "",
        "amount": Decimal("1000.00"),
        "expected_fee": Decimal("23.60"),
        "status": RowStatus.SUCCESS,
        "date": DAY,
        "kind": Kind.COLLECTION,
        "reference": "",
    }
    return SystemRow(**{**fields, **overrides})
