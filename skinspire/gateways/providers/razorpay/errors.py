"""Razorpay SDK and `requests` failures translated into our GatewayError family, in one place.

The SDK's exceptions carry only `error.description` (reference §7.2), and it picks the class
from the body's `error.code`, not the HTTP status. Our session's response hook has already
put the HTTP status and the (redacted) error body on the CallRecord, so the status decides
whether the outcome is known:

- 4xx: Razorpay answered and did not act -> provably failed (429: retry later; 409: the
  first request with that idempotency key is still running -> unknown, retry later).
  401 is GatewayAuthenticationError; an unknown id (Razorpay's 400 "The id provided does
  not exist", or a 404) is GatewayNotFoundError, as every adapter says it (docs/gateways.md).
- 5xx, or an unreadable answer: it may have acted (a payout may still go out) -> unknown.
- connection refused / DNS: the request never left -> provably failed, another gateway may
  be tried. A connection that broke after sending, or a read timeout -> unknown.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
import urllib3.exceptions
from razorpay import errors as razorpay_errors

from skinspire.core.redaction import redact_text
from skinspire.gateways.calllog import CallRecord
from skinspire.gateways.errors import (
    GatewayAPIError,
    GatewayAuthenticationError,
    GatewayNotFoundError,
    GatewayTimeoutError,
    GatewayUnreachableError,
)

PROVIDER = "razorpay"
# Razorpay answers an unknown id with HTTP 400 and this description, not a 404.
ID_NOT_FOUND = "the id provided does not exist"


@contextmanager
def translated_errors(record: CallRecord) -> Iterator[None]:
    try:
        yield
    except (razorpay_errors.BadRequestError, razorpay_errors.GatewayError) as error:
        raise answered_error(error, record, definite=True) from error
    except razorpay_errors.ServerError as error:
        raise answered_error(error, record, definite=False) from error
    except requests.exceptions.ConnectTimeout as error:
        raise unreachable() from error
    except requests.exceptions.Timeout as error:
        raise GatewayTimeoutError(
            "Razorpay did not answer in time. It may still act on the request: check its "
            "status before retrying.",
            provider=PROVIDER,
        ) from error
    except requests.exceptions.JSONDecodeError as error:
        raise unreadable_answer(record) from error
    except requests.exceptions.ConnectionError as error:
        if never_sent(error):
            raise unreachable() from error
        raise GatewayTimeoutError(
            "The connection to Razorpay broke after the request was sent; the outcome is "
            "unknown. Check its status before retrying.",
            provider=PROVIDER,
        ) from error
    except requests.exceptions.RequestException as error:
        raise GatewayAPIError(
            f"The request to Razorpay failed part-way ({type(error).__name__}); the outcome is unknown.",
            provider=PROVIDER,
            retryable=True,
            provably_failed=False,
        ) from error


def outcome(http_status: int | None, *, definite: bool) -> tuple[bool, bool]:
    """(provably_failed, retryable) for an answered request."""
    if http_status == 409:
        return False, True
    if http_status == 429:
        return True, True
    if http_status is not None and http_status < 500:
        return True, False
    if http_status is not None:
        return False, True
    return definite, not definite


def error_detail(record: CallRecord) -> dict[str, Any]:
    body = record.response_body if isinstance(record.response_body, dict) else {}
    detail = body.get("error")
    return detail if isinstance(detail, dict) else {}


def answered_error(error: Exception, record: CallRecord, *, definite: bool) -> GatewayAPIError:
    detail = error_detail(record)
    status = record.http_status
    raw_description = str(error) or str(detail.get("description") or "")
    description = redact_text(raw_description)
    answered: dict[str, Any] = {
        "provider": PROVIDER,
        "code": str(detail.get("code") or type(error).__name__),
        "gateway_message": description,
        "http_status": status,
    }
    if status == 401:
        return GatewayAuthenticationError(
            "Razorpay rejected the API keys (HTTP 401): check the key id and key secret in admin.", **answered
        )
    if status == 404 or (status == 400 and raw_description.strip().rstrip(".").lower() == ID_NOT_FOUND):
        return GatewayNotFoundError(
            f"Razorpay has no such object: {description}", **{**answered, "code": "not_found"}
        )
    provably_failed, retryable = outcome(status, definite=definite)
    if provably_failed:
        message = f"Razorpay refused the request: {description or 'no reason given'}"
    else:
        message = (
            f"Razorpay reported an error ({status or 'no status'}); the outcome is unknown: {description}"
        )
    return GatewayAPIError(
        message,
        **answered,
        retryable=retryable,
        provably_failed=provably_failed,
        extra={key: detail.get(key) for key in ("field", "source", "step", "reason") if detail.get(key)},
    )


def unreadable_answer(record: CallRecord) -> GatewayAPIError:
    """A non-JSON answer, e.g. a proxy's HTML 502 page."""
    status = record.http_status
    provably_failed, retryable = outcome(status, definite=False)
    return GatewayAPIError(
        f"Razorpay answered HTTP {status} with a body that is not JSON"
        + ("." if provably_failed else "; the outcome is unknown."),
        provider=PROVIDER,
        code="unreadable_response",
        http_status=status,
        retryable=retryable,
        provably_failed=provably_failed,
    )


def unreachable() -> GatewayUnreachableError:
    return GatewayUnreachableError(
        "Could not connect to Razorpay (connection refused, timed out or host not found); "
        "the request was not sent.",
        provider=PROVIDER,
    )


def never_sent(error: BaseException) -> bool:
    """True when the failure happened while connecting, before any byte of the request left.

    urllib3 raises NewConnectionError (and its NameResolutionError) only from connect();
    a reset or abort after sending arrives as ProtocolError and is not counted here.
    """
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, urllib3.exceptions.NewConnectionError):
            return True
        pending.extend(argument for argument in current.args if isinstance(argument, BaseException))
        for attribute in ("reason", "__cause__", "__context__"):
            nested = getattr(current, attribute, None)
            if isinstance(nested, BaseException):
                pending.append(nested)
    return False
