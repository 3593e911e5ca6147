"""The one error hierarchy. Every expected failure is an ApplicationError."""

from typing import Any


class ApplicationError(Exception):
    """An expected failure with a message a person can act on.

    `status_code` picks the HTTP status the API renders it with.
    """

    status_code = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    status_code = 404


class PermissionDeniedError(ApplicationError):
    status_code = 403


class ConflictError(ApplicationError):
    """Wrong state or duplicate."""

    status_code = 409


class IllegalTransitionError(ConflictError):
    """A status move its model's transition table does not allow (skinspire.core.transitions)."""


class MessageNotSentError(ApplicationError):
    """The mail server or the SMS backend did not take a message: the service behind us
    failed, not the request (503, like a gateway that does not answer)."""

    status_code = 503
