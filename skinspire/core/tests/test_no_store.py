"""Nothing the site answers is kept by a browser or a proxy unless its view says it may be:
the workspace, the API and the patient's pages name patients, suppliers and amounts, and the
back button of a shared hospital desk after a logout (or a shared proxy) must not show them
again. Django's admin already answered so; these did not."""

import pytest

from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.collections.tests.factories import BillFactory
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory
from skinspire.ledger.services import chart_of_accounts_create

pytestmark = pytest.mark.django_db

NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.fixture
def desk(client, branch):
    chart_of_accounts_create(hospital=branch.hospital)
    user = UserFactory(hospital=branch.hospital, roles=[ROLE_PAYMENTS_STAFF], branches=[branch])
    client.force_login(user)
    return user


def test_staff_pages_and_api_answers_are_not_stored(client, desk):
    for url in ["/", "/workspace/bills/", "/workspace/payouts/", "/api/bills", "/api/patient-payments"]:
        response = client.get(url)
        assert (url, response.status_code, response["Cache-Control"]) == (url, 200, NO_STORE)


def test_a_patients_receipt_is_not_stored(client, desk, branch):
    bill = BillFactory(branch=branch)
    payment = patient_payment_manual_record(actor=desk, bill=bill, amount="1500.00", method="cash")
    client.logout()

    receipt = client.get(f"/pay/receipt/{payment.reference}")
    unknown_link = client.get("/pay/link/not-a-token")

    assert (receipt.status_code, receipt["Cache-Control"]) == (200, NO_STORE)
    assert (unknown_link.status_code, unknown_link["Cache-Control"]) == (404, NO_STORE)


def test_a_view_that_may_be_cached_says_so_itself(client, desk):
    bundle = client.get("/api/redoc/redoc.standalone.js")

    assert (bundle.status_code, bundle["Cache-Control"]) == (200, "public, max-age=86400")
