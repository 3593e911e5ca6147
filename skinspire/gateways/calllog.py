"""The transaction log of outbound gateway calls.

An adapter wraps each operation in `gateway_call(...)`. Sessions from
`skinspire.gateways.http.new_session()` report every HTTP exchange made inside that block
(including the official SDK's, which uses our session), and one GatewayTransactionLog row
is written when the block ends — on success, error, timeout or crash alike. Bodies are
stored through `redact()`: no secret, no full account number, no full UPI id; and the
configuration's own credential values (the session knows them) are blanked wherever they
occur — in the URL, the bodies, the gateway ids and the error text.
"""

import contextvars
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import connections, router

from skinspire.core.redaction import redact, redact_text, redact_values
from skinspire.core.sql import insert_fields, insert_statement
from skinspire.gateways.errors import GatewayError, GatewayTimeoutError, GatewayUnreachableError

_current_call: contextvars.ContextVar["CallRecord | None"] = contextvars.ContextVar(
    "gateway_call", default=None
)


@dataclass
class CallRecord:
    operation: str
    provider: str
    configuration: Any = None
    object_ref: str = ""
    idempotency_key: str = ""
    method: str = ""
    url: str = ""
    http_status: int | None = None
    request_body: Any = None
    response_body: Any = None
    gateway_ids: dict[str, str] = field(default_factory=dict)
    secret_values: tuple[str, ...] = ()

    def add_gateway_ids(self, **ids: str) -> None:
        self.gateway_ids.update({name: value for name, value in ids.items() if value})


def _decode(body: bytes | str | None) -> Any:
    if body is None or body == b"" or body == "":
        return None
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        return redact(json.loads(text), mask_free_text=True)
    except ValueError:
        return {"text": "[non-JSON body withheld]", "length": len(text)}


def _safe_url(url: str) -> str:
    """The URL with its query redacted like a body (RazorpayX lists take our account number)."""
    parts = urlsplit(url)
    if not parts.query:
        return url[:500]
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    cleaned = [(key, redact({key: value})[key]) for key, value in pairs]
    return urlunsplit(parts._replace(query=urlencode(cleaned, safe="[]*")))[:500]


def record_exchange(response, *, secret_values: tuple[str, ...] = ()) -> None:
    """requests response hook: note the exchange on the current call, if any."""
    record = _current_call.get()
    if record is None:
        return
    request = response.request
    record.secret_values = secret_values
    record.method = request.method or ""
    record.url = redact_values(_safe_url(request.url or ""), secret_values)
    record.http_status = response.status_code
    record.request_body = redact_values(_decode(request.body), secret_values)
    record.response_body = redact_values(_decode(response.content), secret_values)


@contextmanager
def gateway_call(
    *, operation: str, provider: str, configuration=None, object_ref: str = "", idempotency_key: str = ""
):
    """Log one gateway operation. Yields the CallRecord so the adapter can add gateway ids."""
    from skinspire.gateways.models import GatewayTransactionLog

    record = CallRecord(operation, provider, configuration, object_ref, idempotency_key)
    token = _current_call.set(record)
    started = time.monotonic()
    outcome, error_message = GatewayTransactionLog.Outcome.SUCCESS, ""
    try:
        yield record
    except GatewayTimeoutError as error:
        outcome, error_message = GatewayTransactionLog.Outcome.TIMEOUT, error.message
        raise
    except GatewayUnreachableError as error:
        outcome, error_message = GatewayTransactionLog.Outcome.UNREACHABLE, error.message
        raise
    except GatewayError as error:
        outcome, error_message = GatewayTransactionLog.Outcome.ERROR, error.message
        raise
    finally:
        _current_call.reset(token)
        if (
            error_message == ""
            and outcome == GatewayTransactionLog.Outcome.SUCCESS
            and record.http_status
            and record.http_status >= 400
        ):
            outcome = GatewayTransactionLog.Outcome.ERROR
        _log_write(
            GatewayTransactionLog,
            configuration=configuration,
            hospital_id=getattr(configuration, "hospital_id", None),
            provider=provider,
            operation=operation,
            object_ref=object_ref,
            idempotency_key=idempotency_key,
            method=record.method,
            url=record.url,
            http_status=record.http_status,
            outcome=outcome,
            latency_ms=int((time.monotonic() - started) * 1000),
            gateway_ids=redact_values(record.gateway_ids, record.secret_values),
            request_body=record.request_body,
            response_body=record.response_body,
            # Gateways sometimes echo an account number or UPI id in their error text.
            error_message=redact_values(redact_text(error_message), record.secret_values)[:2000],
        )


def _log_write(model, **fields) -> None:
    """Write the log row; on PostgreSQL outside a transaction, in one round trip that does
    not wait for the disk.

    The row is written the moment the answer is in, and what follows is the caller applying
    that answer in a transaction of its own (a payout's status). On that path a commit's
    flush was the slowest step (2-8 ms on a quiet disk, far more on a busy one) and every
    extra round trip waits for a CPU on a loaded machine, so: `synchronous_commit` off for
    this one statement's own transaction (`set_config(..., true)` in the same query text).
    The row is visible at once and made durable by the next ordinary commit on the server
    (the caller's, moments later: WAL is flushed in order) or by the WAL writer within a
    fraction of a second. Only a crash of the database server in that instant can lose it,
    and then the caller's commit is lost with it: the payment is still `submitted` and the
    status sync asks the gateway (DESIGN decision 5), as after any crash. Inside a caller's
    transaction, or on another database, the row is saved and committed as before."""
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        model.objects.using(using).create(**fields)
        return
    row = model(**fields)
    values = [
        field.get_db_prep_save(field.pre_save(row, True), connection=connection)
        for field in insert_fields(model)
    ]
    with connection.cursor() as cursor:
        cursor.execute(_unflushed_insert_sql(model, connection), values)


_statements: dict[tuple[type, str], str] = {}


def _unflushed_insert_sql(model, connection) -> str:
    """The two statements, built once per model and database: Django's cursor binds values
    on the client, so both go in one query text, run by PostgreSQL as one transaction."""
    statement = _statements.get((model, connection.alias))
    if statement is None:
        statement = (
            f"SELECT set_config('synchronous_commit', 'off', true); {insert_statement(model, connection)}"
        )
        _statements[(model, connection.alias)] = statement
    return statement
