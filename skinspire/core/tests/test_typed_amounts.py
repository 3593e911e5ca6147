"""The one rule for amounts a person types or uploads (core.money.amount_from_text): the
digits 0-9, an optional point with at most 2 places, trimmed; every other form is refused
with its own reason, never read the way Python's Decimal would read it."""

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skinspire.core.money import MOST_TYPED, AmountTextError, amount_from_text

amounts = st.decimals(min_value=0, max_value=MOST_TYPED, places=2, allow_nan=False, allow_infinity=False)
# Every character Unicode calls a decimal digit that is not one of 0-9.
OTHER_DIGITS = [
    chr(point)
    for point in range(0x10FFFF)
    if unicodedata.category(chr(point)) == "Nd" and not "0" <= chr(point) <= "9"
]


@given(st.text(alphabet="0123456789.-, _+eE", max_size=16) | st.text(max_size=16))
def test_whatever_text_is_taken_comes_back_as_the_same_amount(text):
    try:
        amount = amount_from_text(text, minimum=None)
    except AmountTextError:
        return
    assert amount.as_tuple().exponent == -2
    assert abs(amount) <= MOST_TYPED
    assert amount_from_text(str(amount), minimum=None) == amount
    assert amount == Decimal(text.strip())  # the value written, never a rounding of it


@given(amounts, st.sampled_from(["", " ", "\t", "\n"]))
def test_any_amount_in_paise_written_plainly_is_taken_exactly(amount, padding):
    assert amount_from_text(f"{padding}{amount:.2f}{padding}", minimum=Decimal("0.00")) == amount


@given(amounts, st.sampled_from(OTHER_DIGITS))
def test_another_scripts_digit_anywhere_is_refused(amount, digit):
    written = f"{amount:.2f}"
    for position in range(len(written)):
        if written[position].isdigit():
            with pytest.raises(AmountTextError) as refused:
                amount_from_text(written[:position] + digit + written[position + 1 :], minimum=None)
            assert refused.value.code == "digits"
            assert "digits other than 0-9" in refused.value.message


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=-30, max_value=30))
def test_an_exponent_is_refused(mantissa, exponent):
    for written in (f"{mantissa}e{exponent}", f"{mantissa}E{exponent:+d}", f"{mantissa}.5e{exponent}"):
        with pytest.raises(AmountTextError) as refused:
            amount_from_text(written, minimum=None)
        assert refused.value.code == "exponent"


@pytest.mark.parametrize(
    ("written", "code", "message"),
    [
        ("५००", "digits", "'५००' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00."),
        ("٥٠٠", "digits", "'٥٠٠' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00."),
        ("１５００", "digits", "'１５００' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00."),
        ("NaN", "not_a_number", "'NaN' is not an amount; write it with the digits 0-9, like 1500.00."),
        ("-Infinity", "not_a_number", "'-Infinity' is not an amount; write it with the digits 0-9, like 1500.00."),
        ("inf", "not_a_number", "'inf' is not an amount; write it with the digits 0-9, like 1500.00."),
        ("1e3", "exponent", "'1e3' has an exponent; write the amount out in full with the digits 0-9, like 1500.00."),
        ("+500", "plus", "'+500' has a plus sign; write the amount with the digits 0-9 alone, like 1500.00."),
        ("1_000", "separator", "'1_000' has a separator between its digits; write the amount with the digits "
         "0-9 and a point alone, like 150000.00."),
        ("1,000", "separator", "'1,000' has a separator between its digits; write the amount with the digits "
         "0-9 and a point alone, like 150000.00."),
        ("12.345", "places", "'12.345' has more than 2 decimal places; amounts are in whole paise."),
        ("500.000", "places", "'500.000' has more than 2 decimal places; amounts are in whole paise."),
        ("1000000000000", "too_large", "'1000000000000' is too large to be an amount; the most is 999999999999.99."),
        ("Rs 500", "format", "'Rs 500' is not an amount in rupees with at most 2 decimal places."),
        ("500/-", "format", "'500/-' is not an amount in rupees with at most 2 decimal places."),
        ("--5", "format", "'--5' is not an amount in rupees with at most 2 decimal places."),
        (".", "format", "'.' is not an amount in rupees with at most 2 decimal places."),
        ("  ", "empty", "An amount is needed."),
        ("0", "zero", "The amount must be more than zero."),
        ("0.00", "zero", "The amount must be more than zero."),
        ("-5", "negative", "An amount cannot be negative here."),
    ],
)  # fmt: skip
def test_each_refusal_says_why(written, code, message):
    with pytest.raises(AmountTextError) as refused:
        amount_from_text(written)

    assert (refused.value.code, refused.value.message) == (code, message)
    assert refused.value.status_code == 400


def test_the_text_echoed_is_short_and_printable():
    with pytest.raises(AmountTextError) as refused:
        amount_from_text("\u202e5" + "x" * 5000)

    assert (
        refused.value.message
        == "'?5xxxxxxxxxxxxxxxxxxxxxx…' is not an amount in rupees with at most 2 decimal places."
    )


@pytest.mark.parametrize(
    ("written", "minimum", "expected"),
    [
        (" 1500 ", None, "1500.00"),
        (".5", None, "0.50"),
        ("5.", None, "5.00"),
        ("-0", Decimal("0.00"), "0.00"),
        ("-200.5", None, "-200.50"),
        ("0", Decimal("0.00"), "0.00"),
        ("999999999999.99", None, "999999999999.99"),
    ],
)
def test_plain_amounts_are_taken(written, minimum, expected):
    assert str(amount_from_text(written, minimum=minimum)) == expected


def test_a_minimum_above_a_paisa_is_named():
    with pytest.raises(AmountTextError, match=r"^The amount must be at least ₹1,000.00.$"):
        amount_from_text("999.99", minimum=Decimal("1000.00"))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1,000.00", "1000.00"),
        ("-1,00,000.50", "-100000.50"),
        ("12,34,567", "1234567.00"),
        ("1,234,567", "1234567.00"),
    ],
)
def test_a_gateway_reports_comma_groups_are_taken_when_asked(written, expected):
    assert str(amount_from_text(written, minimum=None, grouped=True)) == expected


@pytest.mark.parametrize("written", ["1,0,0", "1000,00", ",100", "1,00", "1,000,00.00"])
def test_commas_out_of_place_are_refused_even_in_a_report(written):
    with pytest.raises(AmountTextError) as refused:
        amount_from_text(written, minimum=None, grouped=True)

    assert refused.value.code == "grouping"
    assert refused.value.message.endswith(
        "has its commas out of place; group the digits like 1,500.00 or 1,00,000.00."
    )
