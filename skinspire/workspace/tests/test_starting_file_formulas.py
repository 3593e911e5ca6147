"""The batch starting file never opens with a formula in it: a supplier's name that a
spreadsheet would run (=, +, -, @, a tab or a carriage return first) is written with an
apostrophe in front, and the file, filled in, still uploads to that supplier."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skinspire.core.spreadsheets import CSV_FORMULA_STARTS
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, bank_account

pytestmark = pytest.mark.django_db

STARTING_FILE = "/workspace/payouts/batches/starting-file.csv"
UPLOAD = "/api/payouts/batches/"
NAMES = [
    '=HYPERLINK("http://x","y")',
    "+91 Traders",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=already marked",  # its own apostrophe is kept: the file says ''=already marked
]


def starting_rows(client) -> list[list[str]]:
    response = client.get(STARTING_FILE)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def suppliers_with_accounts(desk, names):
    return {
        name: bank_account(
            SupplierFactory(hospital=desk.hospital, name=name), account_number=f"5010009999{number:04d}"
        )
        for number, name in enumerate(names)
    }


def test_no_supplier_name_in_the_starting_file_opens_as_a_formula(client, desk):
    accounts = suppliers_with_accounts(desk, [*NAMES, "Acme Surgicals"])
    client.force_login(desk.people["payments"])

    header, *rows = starting_rows(client)

    names = {row[header.index("account")]: row[header.index("supplier")] for row in rows}
    assert names == {
        str(account.pk): name if name == "Acme Surgicals" else "'" + name
        for name, account in accounts.items()
    }
    assert [field for row in rows for field in row if field.startswith(CSV_FORMULA_STARTS)] == []


def filled_in(rows: list[list[str]], *, keep_mark: bool) -> list[list[str]]:
    """What a person sends back: an amount and a reference on every line, the extra columns
    left in; without the apostrophe if their spreadsheet took it for a text mark and dropped it."""
    header, *lines = rows
    amount, reference, supplier = (header.index(column) for column in ("amount", "reference", "supplier"))
    for number, line in enumerate(lines, start=1):
        line[amount], line[reference] = "100.00", f"NOV-{number}"
        if not keep_mark:
            line[supplier] = line[supplier].removeprefix("'")
    return [header, *lines]


def as_csv(rows: list[list[str]]) -> bytes:
    output = io.StringIO()
    csv.writer(output).writerows(rows)
    return output.getvalue().encode()


def as_xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


@pytest.mark.parametrize(
    ("file_name", "names", "keep_mark"),
    [
        ("batch-payouts.csv", NAMES, True),
        # openpyxl writes a carriage return bare, and XML reads it back as a newline.
        ("batch-payouts.xlsx", [name for name in NAMES if "\r" not in name], True),
        # A bare "=..." back from a spreadsheet is the supplier's name too; a tab or carriage
        # return in front would be trimmed by the reader, so those names keep their mark.
        ("batch-payouts.csv", NAMES[:4], False),
    ],
)
def test_the_starting_file_filled_in_uploads_to_the_suppliers_it_names(
    client, desk, gateway, file_name, names, keep_mark
):
    accounts = suppliers_with_accounts(desk, names)
    client.force_login(desk.people["payments"])
    rows = filled_in(starting_rows(client), keep_mark=keep_mark)
    content = (as_xlsx if file_name.endswith(".xlsx") else as_csv)(rows)

    response = client.post(UPLOAD, {"file": SimpleUploadedFile(file_name, content), "name": "November"})

    assert response.status_code == 201, response.json()
    paid = SupplierPayment.objects.filter(batch_id=response.json()["id"])
    assert sorted((payment.account_id, payment.supplier.name) for payment in paid) == sorted(
        (account.pk, name) for name, account in accounts.items()
    )


def test_a_formula_in_a_column_kept_from_the_file_is_still_refused(client, desk):
    """The reference becomes the payment's description and key: a formula there stays a 400."""
    suppliers_with_accounts(desk, ["=Acme"])
    client.force_login(desk.people["payments"])
    header, *lines = filled_in(starting_rows(client), keep_mark=True)
    lines[0][header.index("reference")] = "=1+1"

    response = client.post(UPLOAD, {"file": SimpleUploadedFile("batch.csv", as_csv([header, *lines]))})

    assert response.status_code == 400
    assert response.json()["extra"]["rows"] == {
        "2": ["reference: starts with '=', a spreadsheet formula, not a value."]
    }
    assert not SupplierPayment.objects.exists()
