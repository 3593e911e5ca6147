"""A batch file's amount column is read by the one rule for typed amounts (core.money): a
wrong amount is named by its row and column, with what is wrong, and nothing is created."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skinspire.payouts.models import PayoutBatch, SupplierPayment
from skinspire.payouts.tests.factories import bank_account
from skinspire.payouts.tests.test_batches import HEADER, client_for, csv_file, upload

pytestmark = pytest.mark.django_db

REFUSED = {
    "٥٠٠": "Amount: '٥٠٠' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00.",
    "५००": "Amount: '५००' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00.",
    "1e3": "Amount: '1e3' has an exponent; write the amount out in full with the digits 0-9, like 1500.00.",
    "NaN": "Amount: 'NaN' is not an amount; write it with the digits 0-9, like 1500.00.",
    "Infinity": "Amount: 'Infinity' is not an amount; write it with the digits 0-9, like 1500.00.",
    "+500": "Amount: '+500' has a plus sign; write the amount with the digits 0-9 alone, like 1500.00.",
    "1_000": "Amount: '1_000' has a separator between its digits; write the amount with the digits 0-9 "
    "and a point alone, like 150000.00.",
    '"1,000.00"': "Amount: '1,000.00' has a separator between its digits; write the amount with the "
    "digits 0-9 and a point alone, like 150000.00.",
    "500 rupees": "Amount: '500 rupees' is not an amount in rupees with at most 2 decimal places.",
    "12.345": "Amount: '12.345' has more than 2 decimal places; amounts are in whole paise.",
    "0": "Amount: The amount must be more than zero.",
    "-500": "Amount: An amount cannot be negative here.",
    "99999999999999999999": "Amount: '99999999999999999999' is too large to be an amount; the most is "
    "999999999999.99.",
}


@pytest.fixture
def account(supplier):
    return bank_account(supplier)


def test_each_wrong_amount_is_named_by_its_row_and_column_and_nothing_is_created(
    configuration, chart, supplier, account, maker
):
    lines = [
        f"Acme Surgicals,{account.pk},{amount},imps,,R-{number}" for number, amount in enumerate(REFUSED)
    ]

    response = upload(client_for(maker), csv_file(f"Acme Surgicals,{account.pk}, 500.50 ,imps,,R-OK", *lines))

    assert response.status_code == 400
    assert (
        response.json()["message"]
        == f"{len(REFUSED)} of {len(REFUSED) + 1} rows need correcting; nothing was created."
    )
    assert response.json()["extra"]["rows"] == {
        str(row): [message] for row, message in enumerate(REFUSED.values(), start=3)
    }
    assert not PayoutBatch.objects.exists() and not SupplierPayment.objects.exists()


def test_a_plain_amount_with_spaces_around_it_is_taken(configuration, chart, supplier, account, maker):
    response = upload(client_for(maker), csv_file(f"Acme Surgicals,{account.pk},  500.50 ,imps,,R-1"))

    assert response.status_code == 201, response.json()
    assert SupplierPayment.objects.get().amount == Decimal("500.50")


def workbook(account_id: int, *amounts) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for number, amount in enumerate(amounts):
        sheet.append(["Acme Surgicals", account_id, amount, "imps", "", f"X-{number}"])
    content = io.BytesIO()
    book.save(content)
    return SimpleUploadedFile("batch.xlsx", content.getvalue())


def test_an_excel_numbers_amount_is_read_as_the_sheet_shows_it(
    configuration, chart, supplier, account, maker
):
    """An .xlsx number is a float: 1e16 and 0.00001 are refused for what they are, not for
    Python's way of writing them ('1e+16' would read as an exponent nobody typed)."""
    response = upload(client_for(maker), workbook(account.pk, 1e16, 0.00001, 250.5))

    assert response.status_code == 400
    rows = response.json()["extra"]["rows"]

    assert rows == {
        "2": ["Amount: '10000000000000000' is too large to be an amount; the most is 999999999999.99."],
        "3": ["Amount: '0.00001' has more than 2 decimal places; amounts are in whole paise."],
    }
    assert not SupplierPayment.objects.exists()
