"""Bad input for fuzz tests: values, bodies and headers that have broken JSON APIs before.

Deep nesting, the wrong type where text is expected, lone surrogates, NUL, numbers no field
can hold, bodies that are not JSON (or not text), and charsets that cannot decode text.
Shared by the API's and the sandbox's fuzz tests; requests go through the project's real
WSGI entry point, so its wrappers and middleware are part of what is tested.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.db import transaction
from hypothesis import strategies as st
from werkzeug.test import Client

from skinspire.core.testing import in_test_transaction

ALL_METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")


class Raw:
    """JSON text inserted as it is: what `json.dumps` cannot or will not write."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:40]!r}{'…' if len(self.text) > 40 else ''})"


def to_json(value) -> str:
    """JSON text for a value that may hold `Raw` pieces (ASCII: surrogates stay escaped)."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(key))}:{to_json(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(to_json(item) for item in value) + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value)


def deep_array(depth: int) -> Raw:
    return Raw("[" * depth + "]" * depth)


def deep_object(depth: int) -> Raw:
    return Raw('{"a":' * depth + "1" + "}" * depth)


EVIL_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "id_\udfff",
    "²",
    "١٢٣",
    "1e30",
    "-100",
    "1.5",
    "NaN",
    "IMPS\n",
    "%00",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "😀",
    "\u202e",
    "x" * 5000,
]
EVIL_NUMBERS = [
    10**30,
    -1,
    0,
    99,
    2**63,
    2**64,
    Raw("1e30"),
    Raw("1E400"),
    Raw("-0"),
    Raw("1" * 5000),
    Raw("1e999999999"),
    Raw("NaN"),
    Raw("Infinity"),
]
# Text with lone surrogates too (hypothesis leaves them out unless asked).
any_text = st.text(st.characters(exclude_categories=()), max_size=30)

evil_values = st.one_of(
    st.sampled_from(EVIL_TEXT),
    st.sampled_from(EVIL_NUMBERS),
    any_text,
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    st.sampled_from([True, False, None, {}, [], {"value": {}}, ["IMPS"]]),
    st.builds(deep_array, st.sampled_from([33, 500, 1000, 5000])),
    st.builds(deep_object, st.sampled_from([33, 500, 1000])),
    st.dictionaries(any_text, any_text, max_size=3),
    st.lists(any_text, max_size=3),
)

RAW_BODIES = [
    b"",
    b"{",
    b"[]",
    b"null",
    b"0",
    b'"text"',
    b"[" * 1000 + b"]" * 1000,
    b"[" * 100_000,
    b'{"a":' * 1000 + b"1" + b"}" * 1000,
    b"\xff\xfe\x00",
    b"\xed\xa0\x80",
    b"\x00",
    b'{"amount": NaN}',
    b'{"amount": 1e999999999}',
    b'{"amount": ' + b"9" * 5000 + b"}",
    b'{"id": "\\ud800"}',
    '{"amount": 100}'.encode("utf-16"),
]
raw_bodies = st.one_of(st.sampled_from(RAW_BODIES), st.binary(max_size=64))

CONTENT_TYPES = [
    "application/json; charset=hex",
    "application/json; charset=utf-16",
    "application/json; charset=no-such-charset",
    "text/plain; charset=rot13",
    "application/x-www-form-urlencoded; charset=base64",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=fuzz",
    "",
]
# Header values as a WSGI server hands them over: Latin-1, no control characters.
header_text = st.text(
    st.characters(codec="latin-1", exclude_categories=("Cc", "Cs")),
    max_size=40,
)


def chance(draw, tenths: int) -> bool:
    """True `tenths` times in ten."""
    return draw(st.integers(0, 9)) < tenths


def json_body(draw, fields: dict[str, list]) -> dict:
    """Mostly plausible fields (so validation runs on), then a few replaced by evil values."""
    body = {key: draw(st.sampled_from(samples)) for key, samples in fields.items() if chance(draw, 6)}
    for key in draw(st.lists(st.one_of(st.sampled_from(sorted(fields)), any_text), max_size=3)):
        body[key] = draw(evil_values)
    return body


def query_value(value) -> str:
    return value if isinstance(value, str) else to_json(value)


def encode_query(params: dict) -> str:
    """`a=b&c=d` with every character percent-encoded as UTF-8, lone surrogates included."""
    return "&".join(
        f"{quote(str(key).encode('utf-8', 'surrogatepass'), safe='')}="
        f"{quote(query_value(value).encode('utf-8', 'surrogatepass'), safe='')}"
        for key, value in params.items()
    )


def path_segment(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@dataclass(frozen=True)
class FuzzRequest:
    method: str
    path: str
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)

    def send(self, client, *, remote_addr: str = "127.0.0.1"):
        return client.open(
            self.path,
            method=self.method,
            data=self.body,
            content_type=self.content_type or None,
            headers=self.headers,
            environ_base={"REMOTE_ADDR": remote_addr},
        )


def wsgi_client() -> Client:
    """A client for the project's real WSGI entry point (its WSGI wrappers and middleware
    included), inside the test's transaction."""
    from skinspire.wsgi import application

    return Client(in_test_transaction(application), use_cookies=False)


def content_type_for(draw) -> str:
    return "application/json" if chance(draw, 8) else draw(st.sampled_from(CONTENT_TYPES))


def send_isolated(request: FuzzRequest, client: Client, *, remote_addr: str = "127.0.0.1"):
    """Send inside a savepoint that is always rolled back, so every example meets the same
    state. A view's exception is a 500 response (Django logs its traceback)."""
    with transaction.atomic():
        response = request.send(client, remote_addr=remote_addr)
        transaction.set_rollback(True)
    return response
