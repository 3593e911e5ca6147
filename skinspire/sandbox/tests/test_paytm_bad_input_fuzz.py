"""Fuzz: no request to any Paytm sandbox route gets a 5xx; API answers keep Paytm's shapes.

Paytm answers its API failures with HTTP 200 and the failure in the body, so an API answer
is a 200 in one of Paytm's shapes (or 405 for a method the route does not take). Requests
are signed correctly most of the time (checksum over the exact body text, or the settlement
API's dict form) so the fuzz reaches validation, and sometimes not.
"""

import json
from decimal import Decimal

import pytest
from hypothesis import strategies as st
from paytmchecksum import PaytmChecksum

from skinspire.core.tests import bad_input
from skinspire.core.tests.bad_input import FuzzRequest, chance
from skinspire.sandbox.paytm.testing import MERCHANT_KEY, MID, SUBWALLET
from skinspire.sandbox.tests import fuzzing
from skinspire.sandbox.tests.fuzz_state import paytm_state

pytestmark = pytest.mark.django_db

EXAMPLES_PER_ROUTE = 12
ROUTES = [route for route in fuzzing.sandbox_routes() if route.protocol == "paytm"]
# How each API family signs its requests; a module not listed here gets any of them.
SIGNING_BY_MODULE = {"pg": "envelope", "links": "envelope", "payouts": "flat", "settlements": "settlement"}


@pytest.fixture
def state():
    return paytm_state()


def plausible_fields(state) -> dict[str, list]:
    ids = state.ids
    return {
        "mid": [MID],
        "MID": [MID],
        "requestType": ["Payment"],
        "orderId": ids["orderId"] + ids["payoutOrderId"] + ["FUZZ_ORDER_2"],
        "websiteName": ["WEBSTAGING"],
        "callbackUrl": ["https://hospital.example/paytm/return"],
        "txnAmount": [{"value": "100.00", "currency": "INR"}],
        "userInfo": [{"custId": "PATIENT_2"}],
        "extendInfo": [{"mercUnqRef": "BILL-1"}],
        "txnType": ["REFUND"],
        "txnId": ids["txnId"],
        "refId": ids["refId"] + ["FUZZ_REFUND_2"],
        "refundAmount": ["10.00"],
        "linkName": ["Bill 2"],
        "linkDescription": ["OPD bill"],
        "linkType": ["FIXED", "GENERIC"],
        "amount": [500, "100.00", Decimal("250.50")],
        "expiryDate": ["31/12/2030"],
        "maxPaymentsAllowed": [1, "2"],
        "customerContact": [{"customerName": "A Patient", "customerMobile": "9000090000"}],
        "linkId": ids["linkId"],
        "statusCallbackUrl": ["https://hospital.example/paytm/link"],
        "subwalletGuid": [SUBWALLET],
        "purpose": ["OTHERS", "REIMBURSEMENT"],
        "date": ["2026-01-31"],
        "transferMode": ["IMPS", "UPI"],
        "beneficiaryAccount": ["123456789012"],
        "beneficiaryIFSC": ["HDFC0000053"],
        "beneficiaryVPA": ["acme@paytm"],
        "beneficiaryName": ["Acme Surgicals"],
        "utrProcessedStartTime": ["2026-05-01"],
        "utrProcessedEndTime": ["2026-05-02"],
        "pageNum": [1, "1"],
        "pageSize": [20],
    }


def signature(draw, payload: str | dict) -> str:
    """Paytm's checksum over the payload, mostly right. The library's own `generateSignature`
    draws its salt from `random`, which has no place inside a strategy: a fixed salt here."""
    if chance(draw, 8):
        text = PaytmChecksum.getStringByParams(payload) if isinstance(payload, dict) else payload
        try:
            return PaytmChecksum.calculateChecksum(text, MERCHANT_KEY, "FUZZ")
        except UnicodeEncodeError:  # a lone surrogate in a parameter: nothing can sign it
            return "unsignable"
    return draw(st.one_of(st.sampled_from(["", "AAAA", "x" * 200]), bad_input.header_text))


def signed_body(draw, style: str, body: dict) -> tuple[str, dict]:
    """(request text, headers) as a Paytm client would send them in the family's style."""
    text = bad_input.to_json(body)
    if style == "envelope":
        head = {"signature": signature(draw, text)} if chance(draw, 9) else draw(bad_input.evil_values)
        return '{"head":' + bad_input.to_json(head) + ',"body":' + text + "}", {}
    if style == "flat":
        headers = {"x-mid": MID if chance(draw, 8) else draw(bad_input.header_text)}
        headers["x-checksum"] = signature(draw, text)
        return text, headers
    try:  # the settlement API signs the other parameters as a dict of strings
        parsed = json.loads(text, parse_float=Decimal)
        params = {key: str(value) for key, value in parsed.items() if key != "checksumHash"}
    except (ValueError, RecursionError, AttributeError):
        params = {}
    body["checksumHash"] = signature(draw, params) if params else "bad"
    return bad_input.to_json(body), {}


def page_request(draw, route, state, method: str, path: str) -> FuzzRequest:
    query = {key: draw(st.one_of(st.sampled_from(values), bad_input.any_text))
             for key, values in (("mid", [MID]), ("orderId", state.ids["orderId"]),
                                 ("txnToken", state.ids["txnToken"])) if chance(draw, 6)}  # fmt: skip
    form = {key: draw(st.one_of(st.sampled_from(["upi", "card", "success", "100.00"]), bad_input.any_text))
            for key in ("method", "outcome", "amount", "email", "mobile") if chance(draw, 7)}  # fmt: skip
    body = bad_input.encode_query(form).encode()
    headers = fuzzing.CSRF_HEADERS if chance(draw, 9) else {}
    return FuzzRequest(
        method, f"{path}?{bad_input.encode_query(query)}", body, "application/x-www-form-urlencoded", headers
    )


@st.composite
def paytm_request(draw, route, state) -> FuzzRequest:
    path = fuzzing.fill_path(draw, route, lambda name, segment: state.ids["linkId"])
    if route.is_page:
        return page_request(draw, route, state, fuzzing.method_for(draw, route), path)
    method = "POST" if chance(draw, 9) else draw(st.sampled_from(bad_input.ALL_METHODS))
    if chance(draw, 2):
        path += "?" + bad_input.encode_query(
            {"mid": MID, "orderId": draw(st.sampled_from(state.ids["orderId"]))}
        )
    if not chance(draw, 8):
        return FuzzRequest(method, path, draw(bad_input.raw_bodies), bad_input.content_type_for(draw))
    module = route.view_module.rsplit(".", 1)[-1]
    style = SIGNING_BY_MODULE.get(module) or draw(st.sampled_from(sorted(set(SIGNING_BY_MODULE.values()))))
    text, headers = signed_body(draw, style, bad_input.json_body(draw, plausible_fields(state)))
    return FuzzRequest(method, path, text.encode(), bad_input.content_type_for(draw), headers)


def is_paytm_shape(document) -> bool:
    """PG/link: {"head", "body": {"resultInfo": {status, code}}}; payouts/settlements: flat."""
    if not isinstance(document, dict):
        return False
    if "head" in document:
        result = document["body"].get("resultInfo") or {}
        return bool(result.get("resultStatus")) and bool(result.get("resultCode"))
    return bool(document.get("status")) and bool(document.get("statusCode") or document.get("resultCode"))


def assert_paytm_answer(route, response) -> None:
    assert response.status_code < 500, response.data[:500]
    if route.is_page:
        return
    if response.status_code == 405:
        assert response.headers.get("Allow")
        return
    assert response.status_code == 200, response.data[:500]
    assert is_paytm_shape(json.loads(response.data)), response.data[:500]


def test_every_paytm_route_answers_bad_input_without_a_server_error(state):
    assert "paytm/link/create" in {route.pattern for route in ROUTES}  # the URLconf was read

    fuzzing.fuzz_each_route(
        ROUTES,
        examples=EXAMPLES_PER_ROUTE,
        request_for=lambda route: paytm_request(route, state),
        check=assert_paytm_answer,
    )
