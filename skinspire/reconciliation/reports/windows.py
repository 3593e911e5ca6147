"""How far back each report looks: fees by month over the last twelve months (this one
included), the others over the last 90 days."""

from datetime import date, timedelta

RECENT_DAYS = 90


def report_since(name: str, *, today: date) -> date:
    if name == "fees":
        months_back = today.year * 12 + today.month - 1 - 11
        return date(months_back // 12, months_back % 12 + 1, 1)
    return today - timedelta(days=RECENT_DAYS)
