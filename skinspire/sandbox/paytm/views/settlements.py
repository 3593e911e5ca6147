"""Settlement list API (reference §4.1): T+1 rows with commission and GST."""

from datetime import date, timedelta

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from skinspire.sandbox.paytm import envelope, inbound, selectors
from skinspire.sandbox.paytm.errors import PaytmRejected

SETTLEMENT_CODES = inbound.Codes(
    malformed=("400", "Invalid request"),
    unknown_mid=("335", "Mid is invalid"),
    bad_checksum=("330", "Checksum provided is invalid"),
)
MAXIMUM_PAGE_SIZE = 20


def _window(body: dict) -> tuple[str, str, int, int]:
    try:
        start = date.fromisoformat(str(body.get("utrProcessedStartTime", "")))
        end_text = body.get("utrProcessedEndTime")
        end = date.fromisoformat(str(end_text)) if end_text else start + timedelta(days=1)
        page_number, page_size = int(body.get("pageNum", 1)), int(body.get("pageSize", MAXIMUM_PAGE_SIZE))
    except (ValueError, TypeError) as error:
        raise PaytmRejected(*SETTLEMENT_CODES.malformed) from error
    if (
        not start < end <= start + timedelta(days=1)
        or page_number < 1
        or not 1 <= page_size <= MAXIMUM_PAGE_SIZE
    ):
        raise PaytmRejected(*SETTLEMENT_CODES.malformed)  # Paytm: range ≤ 1 day, pageSize ≤ 20
    return start.isoformat(), end.isoformat(), page_number, page_size


def _failure(rejection: PaytmRejected):
    return envelope.flat(
        {"status": "FAILURE", "resultCode": rejection.code, "errorMessage": rejection.message}
    )


@inbound.answers_bad_requests_with(lambda: _failure(PaytmRejected(*SETTLEMENT_CODES.malformed)))
@csrf_exempt
@require_POST
def settlement_list(request):
    try:
        signed = inbound.settlement_request(request, codes=SETTLEMENT_CODES)
        first_day, end_day, page_number, page_size = _window(signed.body)
    except PaytmRejected as rejection:
        return _failure(rejection)
    rows = selectors.settlement_rows_between(merchant=signed.merchant, first_day=first_day, end_day=end_day)
    page = rows[(page_number - 1) * page_size : page_number * page_size]
    return envelope.flat(
        {
            "status": "SUCCESS" if rows else "RECORD_NOT_FOUND",
            "resultCode": "200" if rows else "404",
            "errorMessage": None,
            "count": len(page),
            "totalCount": len(rows),
            "settlementDetailList": page,
            "paginatorPageNum": page_number,
            "paginatorPageSize": page_size,
            "paginatorTotalPage": -(-len(rows) // page_size),
            "paginatorTotalCount": len(rows),
        }
    )
