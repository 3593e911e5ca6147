"""The RazorpayX account statement as payout lines (reference §6.3).

Payouts are not in the settlement recon report: RazorpayX debits each one, with its fees,
from the business account's balance, and credits a reversal back. `GET /v1/transactions`
(https://razorpay.com/docs/api/x/transactions/fetch-all/) lists those movements; the SDK has
no resource for it, so it goes through the payout client's authenticated `get`, as the other
RazorpayX calls do.
"""

from datetime import date
from typing import Any

from skinspire.gateways.providers.interface import SettlementLine
from skinspire.gateways.providers.razorpay.mapping import from_unix, notes_text, rupees
from skinspire.gateways.providers.razorpay.settlements import SettlementOperations, day_bounds

STATEMENT_PAGE = 100  # maximum `count` for GET /v1/transactions


def statement_line(transaction: dict[str, Any]) -> SettlementLine | None:
    """A payout debit or a payout reversal credit; None for anything else (top-ups)."""
    source = transaction.get("source") or {}
    if source.get("entity") == "payout":
        payout_id, entity_type, fee_key = source.get("id") or "", "payout", "fees"
    elif source.get("entity") == "reversal" and source.get("payout_id"):
        # The reversal source's shape is not published (reference §6.3, UNCONFIRMED); the
        # sandbox's is {id: rvrsl_…, payout_id, amount, fee, tax, utr}.
        payout_id, entity_type, fee_key = source["payout_id"], "reversal", "fee"
    else:
        return None
    return SettlementLine(
        settlement_id=transaction.get("id") or "",
        settlement_utr=source.get("utr") or "",
        entity_id=payout_id,
        entity_type=entity_type,
        order_id="",
        reference=source.get("reference_id") or "",
        amount=rupees(source.get("amount")),
        fee=rupees(source.get(fee_key)),
        tax=rupees(source.get("tax")),
        credit=rupees(transaction.get("credit")),
        debit=rupees(transaction.get("debit")),
        settled_at=from_unix(transaction.get("created_at")),
        raw=transaction,
        transacted_at=from_unix(source.get("created_at")),
        notes=notes_text(source.get("notes")),
    )


class StatementOperations(SettlementOperations):
    def fetch_payout_lines(self, *, on: date) -> list[SettlementLine]:
        start, end = day_bounds(on)
        params = {"account_number": self.account_number(), "from": start, "to": end}
        items = self._pages(
            "fetch_account_statement",
            self.payout_client.get,
            params,
            page_size=STATEMENT_PAGE,
            object_ref=f"statement:{on.isoformat()}",
            path="/v1/transactions",
        )
        lines = (statement_line(item) for item in items)
        return [line for line in lines if line is not None]
