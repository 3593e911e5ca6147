from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skinspire.core.money import (
    MoneyError,
    format_inr,
    paise_to_rupees,
    rupees_to_paise,
    to_rupees,
)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_paise_round_trip_is_exact(paise):
    assert rupees_to_paise(paise_to_rupees(paise)) == paise


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_rupees_round_trip_is_exact(rupees):
    assert paise_to_rupees(rupees_to_paise(rupees)) == rupees


@pytest.mark.parametrize("value", ["10.005", "0.001", Decimal("1.234"), "1e-3"])
def test_sub_paise_input_is_an_error_not_a_rounding(value):
    with pytest.raises(MoneyError, match="more than 2 decimal places"):
        rupees_to_paise(value)


@pytest.mark.parametrize("value", [1.5, "abc", "NaN", "Infinity", True])
def test_non_amounts_are_refused(value):
    with pytest.raises(MoneyError):
        to_rupees(value)


def test_paise_must_be_whole():
    with pytest.raises(MoneyError):
        paise_to_rupees("12.5")
    with pytest.raises(MoneyError):
        paise_to_rupees(12.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "₹0.00"),
        ("999.5", "₹999.50"),
        ("1000", "₹1,000.00"),
        ("123456.78", "₹1,23,456.78"),
        ("12345678.9", "₹1,23,45,678.90"),
        ("-1500", "-₹1,500.00"),
        ("100000000", "₹10,00,00,000.00"),
    ],
)
def test_indian_grouping(value, expected):
    assert format_inr(value) == expected


def test_amount_strings_keep_two_places():
    assert str(to_rupees("1500")) == "1500.00"
    assert rupees_to_paise("1500.00") == 150000


@pytest.mark.parametrize("value", ["1e30", Decimal("1E+30"), "9" * 40, 10**30])
def test_amounts_beyond_the_decimal_context_are_a_money_error_not_an_invalid_operation(value):
    with pytest.raises(MoneyError, match="too large to be an amount"):
        to_rupees(value)
