"""Razorpay's error body and HTTP statuses (reference §7.1; https://razorpay.com/docs/errors/).

`{"error": {"code", "description", "field", "source", "step", "reason", "metadata"}}`.
The SDK maps exceptions from `error.code` alone, so the code is what clients see.
"""

from typing import Any

from skinspire.core.errors import ApplicationError

BAD_REQUEST_ERROR = "BAD_REQUEST_ERROR"
SERVER_ERROR = "SERVER_ERROR"
INPUT_VALIDATION_FAILED = "input_validation_failed"


class RazorpayApiError(ApplicationError):
    """An error the sandbox answers with, exactly as Razorpay would render it."""

    def __init__(
        self,
        description: str,
        *,
        status_code: int = 400,
        code: str = BAD_REQUEST_ERROR,
        field: str | None = None,
        source: str | None = "business",
        step: str | None = "payment_initiation",
        reason: str | None = INPUT_VALIDATION_FAILED,
        metadata: dict[str, Any] | None = None,
    ):
        super().__init__(description)
        self.status_code = status_code
        self.code = code
        self.field = field
        self.source = source
        self.step = step
        self.reason = reason
        self.metadata = metadata or {}

    def as_body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "description": self.message,
                "field": self.field,
                "source": self.source,
                "step": self.step,
                "reason": self.reason,
                "metadata": self.metadata,
            }
        }


def invalid_field(description: str, *, field: str | None) -> RazorpayApiError:
    return RazorpayApiError(description, field=field)


def payout_invalid_field(description: str, *, field: str | None) -> RazorpayApiError:
    # RazorpayX errors carry source business/internal and no payment step.
    return RazorpayApiError(description, field=field, step="NA")


def id_not_found() -> RazorpayApiError:
    # Razorpay answers an unknown id with 400, not 404 (seen in merchants' reports of
    # `{"code":"BAD_REQUEST_ERROR","description":"The id provided does not exist",...}`).
    return RazorpayApiError("The id provided does not exist")


def url_not_found() -> RazorpayApiError:
    # Razorpay answers an unknown path, and a known path with the wrong verb ("a PATCH API
    # executed by POST"), with this 400, not 404/405: https://razorpay.com/docs/api/refunds/update/
    return RazorpayApiError(
        "The requested URL was not found on the server.",
        status_code=400,
        source="NA",
        step="NA",
        reason="NA",
    )


def authentication_failed(description: str) -> RazorpayApiError:
    return RazorpayApiError(description, status_code=401, source="NA", step="NA", reason="NA")
