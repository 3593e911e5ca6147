"""The Pay online form reads its amount by the one rule for typed amounts (core.money): an
amount Decimal would have read ("५००" as 500, "1e3" as 1000) is refused on the page with
its reason, and no payment is started. An empty amount still means all that is open."""

from decimal import Decimal
from html import escape

import pytest

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory
from skinspire.gateways.models import GatewayTransactionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill(desk, chart):
    return BillFactory(branch=desk.main, number="OPD-7002", amount=Decimal("2500.00"))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("५००", "'५००' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00."),
        ("٥٠٠", "'٥٠٠' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00."),
        ("1e3", "'1e3' has an exponent; write the amount out in full with the digits 0-9, like 1500.00."),
        ("NaN", "'NaN' is not an amount; write it with the digits 0-9, like 1500.00."),
        ("+500", "'+500' has a plus sign; write the amount with the digits 0-9 alone, like 1500.00."),
        ("1_000", "'1_000' has a separator between its digits; write the amount with the digits 0-9 and a "
         "point alone, like 150000.00."),
        ("500.005", "'500.005' has more than 2 decimal places; amounts are in whole paise."),
        ("0", "The amount must be more than zero."),
        ("-5", "An amount cannot be negative here."),
        ("99999999999999", "'99999999999999' is too large to be an amount; the most is 999999999999.99."),
        ("lots", "'lots' is not an amount in rupees with at most 2 decimal places."),
    ],
)  # fmt: skip
def test_a_loose_amount_is_refused_with_its_reason_and_nothing_is_started(
    client, desk, bill, gateway, typed, message
):
    client.force_login(desk.people["payments"])

    response = client.post(f"/workspace/bills/{bill.pk}/pay-online", {"amount": typed})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The online payment was not started" in page
    assert (
        f'<div class="message message-error" role="alert" id="pay-online-refused">{escape(message)}</div>'
        in page
    )
    assert PatientPayment.objects.count() == 0
    assert GatewayTransactionLog.objects.count() == 0


@pytest.mark.parametrize(("typed", "expected"), [(" 1500.5 ", Decimal("1500.50")), ("", Decimal("2500.00"))])
def test_a_plain_amount_or_none_starts_the_payment(client, desk, bill, gateway, typed, expected):
    client.force_login(desk.people["payments"])

    response = client.post(f"/workspace/bills/{bill.pk}/pay-online", {"amount": typed})

    assert response.status_code == 200, response.content.decode()[:500]
    assert PatientPayment.objects.get().amount == expected
