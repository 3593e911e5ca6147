"""The one JSON loader for input from outside: what it accepts and what it refuses."""

from decimal import Decimal

import pytest

from skinspire.core import json_input
from skinspire.core.json_input import JSONInputError


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_an_ordinary_document_is_returned_as_parsed():
    text = '{"amount": "1500.00", "notes": {"ward": "3"}, "items": [1, 2.5, true, null]}'

    assert json_input.loads(text) == {
        "amount": "1500.00",
        "notes": {"ward": "3"},
        "items": [1, 2.5, True, None],
    }
    assert json_input.loads(b'{"value": 1.10}', parse_float=Decimal) == {"value": Decimal("1.10")}


def test_nesting_is_accepted_up_to_the_limit_and_refused_beyond_it():
    assert json_input.loads(nested(json_input.MAXIMUM_DEPTH)) is not None

    with pytest.raises(JSONInputError, match="nested more than 32 levels"):
        json_input.loads(nested(json_input.MAXIMUM_DEPTH + 1))
    with pytest.raises(JSONInputError, match="nested more than 32 levels"):
        json_input.loads('{"a":' * 33 + "1" + "}" * 33)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_nesting_deep_enough_to_exhaust_the_parser_is_an_input_error_not_a_recursion_error(depth):
    with pytest.raises(JSONInputError, match="nested more than 32 levels"):
        json_input.loads(nested(depth))


@pytest.mark.parametrize(
    "text",
    [
        '{"id": "\\u0000"}',
        '{"id": "pay_\\ud800"}',
        '{"\\udfff": "key"}',
        b'{"id": "\xed\xa0\x80"}',  # a surrogate encoded as UTF-8 bytes
    ],
)
def test_text_postgresql_cannot_store_is_refused(text):
    with pytest.raises(JSONInputError, match="NUL character or a lone surrogate"):
        json_input.loads(text)


@pytest.mark.parametrize("text", ['{"amount": NaN}', '{"amount": Infinity}', '{"amount": -Infinity}'])
def test_non_json_constants_are_refused(text):
    with pytest.raises(JSONInputError, match="is not a JSON value"):
        json_input.loads(text)


@pytest.mark.parametrize(
    ("text", "parse_float"),
    [("1e999", None), ("-1e400", None), ("1e999", Decimal), ("1" + "0" * 400, None)],
)
def test_numbers_beyond_a_double_are_refused(text, parse_float):
    with pytest.raises(JSONInputError, match="number out of range"):
        json_input.loads(f'{{"amount": {text}}}', parse_float=parse_float)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe\xfa", "not UTF-8 text"),
        (b"{", "not valid JSON"),
        (b"", "not valid JSON"),
        (b'{"amount": ' + b"9" * 5000 + b"}", "not valid JSON"),  # past Python's int digit limit
    ],
)
def test_text_that_is_not_json_is_refused(raw, message):
    with pytest.raises(JSONInputError, match=message):
        json_input.loads(raw)


def test_the_error_is_a_value_error_so_existing_callers_keep_catching_it():
    with pytest.raises(ValueError, match="nested more than 32 levels"):
        json_input.loads(nested(1_000))


def test_within_parsed_once_the_same_text_is_parsed_once(monkeypatch):
    calls = []
    real_loads = json_input._loads
    monkeypatch.setattr(
        json_input, "_loads", lambda raw, **options: calls.append(raw) or real_loads(raw, **options)
    )
    text = b'{"account_id": "acc_1", "amount": 1.5}'

    with json_input.parsed_once():
        first = json_input.loads(text)
        second = json_input.loads(text)
        exact = json_input.loads(text, parse_float=Decimal)

    assert first is second
    assert exact == {"account_id": "acc_1", "amount": Decimal("1.5")}
    assert len(calls) == 2  # one per parse_float
    assert json_input.loads(text) is not first  # outside the block nothing is remembered


def test_within_parsed_once_a_refused_text_is_refused_every_time():
    with json_input.parsed_once():
        for _ in range(2):
            with pytest.raises(JSONInputError):
                json_input.loads(b'{"a": NaN}')


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": "\\u0000"}',
        b'{"a": ["\\ud800"]}',
        b'{"a": "\xed\xa0\x80"}',
        '{"a": "\ud800"}',
        b'{"a": 1e309}',
        b'{"a": -1E+400}',
        b'{"a": ' + b"9" * 320 + b"}",
        b"[" * 40 + b"]" * 40,
        '{"a": "\\u0000"}',
        "[" * 40 + "]" * 40,
    ],
)
def test_what_the_text_scan_lets_through_unwalked_holds_nothing_refused(raw):
    with pytest.raises(JSONInputError):
        json_input.loads(raw)
    assert not json_input._plainly_within_rules(raw)


def test_a_plain_webhook_sized_document_is_not_walked_value_by_value(monkeypatch):
    walked = []
    monkeypatch.setattr(json_input, "_check", lambda value, **rules: walked.append(value))
    body = b'{"event":"payout.processed","payload":{"payout":{"entity":{"amount":150000,"fees":1.5e2}}}}'

    assert json_input.loads(body)["payload"]["payout"]["entity"]["amount"] == 150000
    assert walked == []
    # More brackets than the depth limit (even inside a string) is not plain: the walk decides.
    assert json_input.loads(b'{"a": "' + b"[" * 40 + b'"}') == {"a": "[" * 40}
    assert len(walked) == 1
