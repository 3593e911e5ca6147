"""Gateway errors: one hierarchy under ApplicationError, raised only at the provider edge."""

from skinspire.core.errors import ApplicationError


class GatewayError(ApplicationError):
    """A gateway said no, or could not be asked. Carries the provider's own code and words.

    `retryable`: a retry may help (5xx, throttling). `provably_failed`: the gateway did not
    act on the request (it answered with a definite failure, or the request never left),
    so another gateway may be tried. Never true when the outcome is unknown.
    """

    status_code = 502

    def __init__(
        self,
        message: str,
        *,
        provider: str = "",
        code: str = "",
        gateway_message: str = "",
        http_status: int | None = None,
        retryable: bool = False,
        provably_failed: bool = True,
        extra: dict | None = None,
    ):
        details = {"provider": provider, "code": code, "gateway_message": gateway_message}
        super().__init__(message, {**details, **(extra or {})})
        self.provider = provider
        self.code = code
        self.gateway_message = gateway_message
        self.http_status = http_status
        self.retryable = retryable
        self.provably_failed = provably_failed


class GatewayConfigurationError(GatewayError):
    """No usable configuration, or its credentials are incomplete."""

    status_code = 400


class UnsupportedOperationError(GatewayConfigurationError):
    def __init__(self, message: str, *, provider: str = "", operation: str = ""):
        super().__init__(message, provider=provider, code="unsupported", extra={"operation": operation})


class GatewayAPIError(GatewayError):
    """The gateway answered with an error (4xx/5xx or a failure body)."""


class GatewayNotFoundError(GatewayAPIError):
    """The gateway has no such object (e.g. no payout with that reference id yet)."""

    status_code = 404


class GatewayAuthenticationError(GatewayAPIError):
    """The gateway refused our credentials: a wrong key or secret, an unknown merchant id, or a
    checksum made with the wrong key. It did not act; an admin must fix the configuration."""

    def __init__(self, message: str, **kwargs):
        kwargs["retryable"] = False
        kwargs["provably_failed"] = True
        super().__init__(message, **kwargs)


class InvalidGatewayRequestError(GatewayError):
    """We refused to send a request the gateway would reject (e.g. UPI mode to a bank account)."""

    status_code = 400

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("code", "invalid_request")
        kwargs["retryable"] = False
        kwargs["provably_failed"] = True
        super().__init__(message, **kwargs)


class MalformedWebhookError(GatewayError):
    """A webhook body that is not the JSON shape the gateway documents."""

    status_code = 400

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("code", "malformed_webhook")
        super().__init__(message, **kwargs)


class GatewayTimeoutError(GatewayError):
    """The request may have reached the gateway but no answer came: the outcome is unknown."""

    status_code = 504

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("retryable", True)
        kwargs["provably_failed"] = False
        super().__init__(message, **kwargs)


class GatewayUnreachableError(GatewayError):
    """The request never left (connection refused, DNS): provably not acted on."""

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("retryable", True)
        kwargs["provably_failed"] = True
        super().__init__(message, **kwargs)


class SignatureError(GatewayError):
    """A signature or checksum did not verify."""

    status_code = 400
