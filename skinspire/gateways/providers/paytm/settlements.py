"""Paytm PG settlements for one day, from the Settlement (list) API (reference §4.1).

The list API's checksum is made over the request params as a dict (sorted values, '|'
joined) and sent inside the body as `checksumHash`, as Paytm-style samples do; whether
Paytm instead expects the JSON string signed is UNCONFIRMED (docs/gateways-paytm.md).
In Paytm's rows `commission` excludes GST; our `fee` includes tax: fee = commission + gst.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from skinspire.gateways.calllog import gateway_call
from skinspire.gateways.errors import GatewayAPIError
from skinspire.gateways.providers.interface import Settlement, SettlementLine
from skinspire.gateways.providers.paytm import mapping, signing
from skinspire.gateways.providers.paytm.client import PROVIDER, PaytmClient

SETTLEMENT_LIST = "/merchant-settlement-service/settlement/list"
PAGE_SIZE = 20  # the API's maximum
MAX_PAGES = 500  # a guard against a paginator that never ends
ZERO = Decimal("0.00")
ENTITY_TYPES = {"REFUND": "refund", "CHARGEBACK": "adjustment", "ACQUIRING": "payment", "SALE": "payment"}
DEBIT_TYPES = {"refund", "adjustment"}


def settlement_rows(*, client: PaytmClient, configuration, on: date) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page, total_pages = 1, 1
    while page <= min(total_pages, MAX_PAGES):
        answer = _settlement_page(client=client, configuration=configuration, on=on, page=page)
        rows.extend(answer.get("settlementDetailList") or [])
        total_pages = int(answer.get("paginatorTotalPage") or 1)
        page += 1
    return rows


def _settlement_page(*, client: PaytmClient, configuration, on: date, page: int) -> dict[str, Any]:
    params = {
        "MID": client.mid,
        "utrProcessedStartTime": mapping.settlement_date_text(on),
        "pageNum": str(page),
        "pageSize": str(PAGE_SIZE),
    }
    params["checksumHash"] = signing.sign_fields(params, merchant_key=client.merchant_key)
    with gateway_call(
        operation="fetch_settlement_lines",
        provider=PROVIDER,
        configuration=configuration,
        object_ref=f"settlements:{on.isoformat()}:{page}",
    ):
        answer = client.plain(SETTLEMENT_LIST, params)
        status = str(answer.get("status") or "")
        if status == "RECORD_NOT_FOUND":
            return {}
        if status != "SUCCESS":
            message = str(answer.get("errorMessage") or "")
            raise GatewayAPIError(
                f"Paytm would not list settlements: {message}"
                if message
                else "Paytm would not list settlements.",
                provider=PROVIDER,
                code=str(answer.get("resultCode") or status),
                gateway_message=message,
            )
        return answer


def settlement_line(row: dict[str, Any]) -> SettlementLine:
    entity_type = ENTITY_TYPES.get(str(row.get("txnType") or "").upper(), "payment")
    commission, gst = mapping.amount_or_zero(row.get("commission")), mapping.amount_or_zero(row.get("gst"))
    settled = mapping.amount_or_zero(row.get("settleAmount"))
    debit = entity_type in DEBIT_TYPES
    utr = str(row.get("utr") or "")
    return SettlementLine(
        settlement_id=utr,
        settlement_utr=utr,
        entity_id=str(row.get("txnId") or ""),
        entity_type=entity_type,
        order_id=str(row.get("orderId") or ""),
        reference=str(row.get("orderId") or ""),
        amount=abs(mapping.amount_or_zero(row.get("txnAmount"))),
        fee=commission + gst,
        tax=gst,
        # Refunds and chargebacks may arrive signed either way (UNCONFIRMED): the side
        # comes from the type, the size from the amount.
        credit=ZERO if debit else abs(settled),
        debit=abs(settled) if debit else ZERO,
        settled_at=mapping.india_datetime(row.get("payoutDate") or row.get("utrProcessedTime")),
        raw=row,
        transacted_at=mapping.india_datetime(row.get("txnDate")),
        notes=str(row.get("mercUnqRefVal") or ""),
    )


def settlement_lines(*, client: PaytmClient, configuration, on: date) -> list[SettlementLine]:
    return [
        settlement_line(row) for row in settlement_rows(client=client, configuration=configuration, on=on)
    ]


def settlements_from_lines(lines: list[SettlementLine]) -> list[Settlement]:
    """One settlement per bank credit (UTR): Paytm's list has rows, not settlements."""
    by_utr: dict[str, list[SettlementLine]] = defaultdict(list)
    for line in lines:
        by_utr[line.settlement_utr].append(line)
    settlements = []
    for utr, group in by_utr.items():
        times = [line.settled_at for line in group if line.settled_at]
        settlements.append(
            Settlement(
                settlement_id=utr,
                amount=sum((line.credit - line.debit for line in group), ZERO),
                status="processed" if utr else "pending",
                fees=sum((line.fee for line in group), ZERO),
                tax=sum((line.tax for line in group), ZERO),
                utr=utr,
                created_at=max(times) if times else None,
                raw={"rows": [line.raw for line in group]},
            )
        )
    return settlements
