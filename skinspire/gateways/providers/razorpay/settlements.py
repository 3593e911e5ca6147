"""Razorpay settlements and the settlement recon report (reference §6)."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from skinspire.gateways.providers.interface import Settlement, SettlementLine
from skinspire.gateways.providers.razorpay.client import RazorpayBase
from skinspire.gateways.providers.razorpay.mapping import settlement, settlement_line

SETTLEMENTS_PAGE = 100  # maximum `count` for GET /v1/settlements
RECON_PAGE = 1000  # maximum `count` for GET /v1/settlements/recon/combined


def day_bounds(on: date) -> tuple[int, int]:
    """Unix seconds of the first and last second of `on` in our time zone (IST)."""
    start = datetime.combine(on, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return int(start.timestamp()), int((start + timedelta(days=1)).timestamp()) - 1


class SettlementOperations(RazorpayBase):
    def fetch_settlements(self, *, on: date) -> list[Settlement]:
        start, end = day_bounds(on)
        items = self._pages(
            "fetch_settlements",
            self.client.settlement.all,
            {"from": start, "to": end},
            page_size=SETTLEMENTS_PAGE,
            object_ref=f"settlements:{on.isoformat()}",
        )
        return [settlement(item) for item in items]

    def fetch_settlement_lines(self, *, on: date) -> list[SettlementLine]:
        params = {"year": on.year, "month": f"{on.month:02d}", "day": f"{on.day:02d}"}
        items = self._pages(
            "fetch_settlement_recon",
            self.client.settlement.report,
            params,
            page_size=RECON_PAGE,
            object_ref=f"settlements:{on.isoformat()}",
        )
        return [settlement_line(item) for item in items]

    def _pages(
        self,
        operation: str,
        method: Callable[..., Any],
        params: dict[str, Any],
        *,
        page_size: int,
        object_ref: str,
        path: str = "",
    ) -> list[dict[str, Any]]:
        """Every item of a list endpoint, one logged call per page, until a short page.
        `path`: for the client's plain `get(path, params)` (RazorpayX has no SDK resources)."""
        items: list[dict[str, Any]] = []
        while True:
            page_params = {**params, "count": page_size, "skip": len(items)}
            arguments = (path, page_params) if path else (page_params,)
            page = self.call(operation, method, *arguments, object_ref=object_ref)
            batch = page.get("items") or []
            items.extend(batch)
            if len(batch) < page_size:
                return items
