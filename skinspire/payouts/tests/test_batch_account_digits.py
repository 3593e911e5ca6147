"""A batch file's account column is our account's number, in the digits 0-9. Other scripts'
digits ("²" passes str.isdigit() and breaks int(); "١" reads as 1) name no account: the row
is refused with its reason, never an error page or another account."""

import pytest

from skinspire.payouts.models import PayoutBatch
from skinspire.payouts.tests.factories import bank_account
from skinspire.payouts.tests.test_batches import client_for, csv_file, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("written", ["²", "١", "{pk}²"])
def test_an_account_in_other_digits_names_no_account(configuration, chart, supplier, maker, written):
    account = bank_account(supplier)

    response = upload(
        client_for(maker), csv_file(f"Acme Surgicals,{written.format(pk=account.pk)},500,imps,,R-1")
    )

    assert response.status_code == 400
    [message] = response.json()["extra"]["rows"]["2"]
    assert "account" in message.lower()
    assert not PayoutBatch.objects.exists()
