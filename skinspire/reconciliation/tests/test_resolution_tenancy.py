"""The resolution actions (link to a payment, create the missing payment) and the discrepancy
admin, seen from another hospital: an accountant of hospital A can neither see, act on, nor
point a discrepancy at hospital B's records, and nothing they type gets a 500. docs/security.md:
another hospital's objects behave as if they did not exist."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.models import AuditEntry
from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.tests import bad_input
from skinspire.core.tests.factories import HospitalFactory, UserFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory
from skinspire.reconciliation.engine import Kind
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.tests.admin_support import user_with
from skinspire.reconciliation.tests.test_payment_resolutions import CHANGELIST, act, missing_line

pytestmark = pytest.mark.django_db

EVIL = ["\x00", "a\x00b", "\ud800", "x" * 5000, "1e999", "NaN", "-1", "9" * 5000, " ", "😀", "' OR '1'='1"]


@pytest.fixture
def other_hospital():
    other = HospitalFactory(name="Hospital B")
    chart_of_accounts_create(hospital=other)
    return other


@pytest.fixture
def accountant(client, hospital):
    chart_of_accounts_create(hospital=hospital)
    user = user_with(ROLE_ACCOUNTANT, hospital)
    client.force_login(user)
    return user


def act_raw(client, action: str, discrepancy: Discrepancy, **fields):
    """`act`, with the form encoded as a browser would not: lone surrogates, NUL (bad_input)."""
    form = {"action": action, "_selected_action": discrepancy.pk, **fields}
    body = bad_input.encode_query(form).encode()
    with transaction.atomic():  # each value meets the same open discrepancy
        response = client.post(CHANGELIST, body, content_type="application/x-www-form-urlencoded")
        transaction.set_rollback(True)
    # Refused on the form (its errors shown), before it (a NUL: 400, core.middleware), or a
    # value that happens to be acceptable.
    assert response.status_code in (200, 302, 400), (str(fields)[:80], response.status_code)
    if response.status_code == 200:
        form = response.context["form"]
        assert form.errors, str(fields)[:80]
    return response


def unchanged(discrepancy: Discrepancy) -> bool:
    discrepancy.refresh_from_db()
    return (discrepancy.status, discrepancy.linked_key) == ("open", "") and not AuditEntry.objects.filter(
        action__startswith="reconciliation.discrepancy_"
    ).exists()


def test_another_hospitals_discrepancy_cannot_be_opened_or_acted_on(client, accountant, other_hospital):
    theirs = missing_line(GatewayConfigurationFactory(hospital=other_hospital))
    their_payment = PatientPaymentFactory(
        bill=BillFactory(hospital=other_hospital, branch__hospital=other_hospital), amount=Decimal("500.00")
    )

    listed = client.get(CHANGELIST)
    opened = client.get(reverse("admin:reconciliation_discrepancy_change", args=[theirs.pk]))
    history = client.get(reverse("admin:reconciliation_discrepancy_history", args=[theirs.pk]))
    linked = act(
        client, "link_to_payment", theirs, payment_reference=their_payment.reference, note="mine now"
    )
    created = act(client, "create_missing_payment", theirs, bill_number=their_payment.bill.number,
                  method="cash", note="mine now")  # fmt: skip

    assert list(listed.context["cl"].result_list) == []
    # The admin's "does not exist": back to the index, nothing of it shown.
    assert (opened.status_code, opened["Location"]) == (302, reverse("admin:index"))
    assert (history.status_code, history["Location"]) == (302, reverse("admin:index"))
    for response in (linked, created):
        assert response.status_code == 302  # nothing selected that this accountant may see
        assert f"#{theirs.pk}".encode() not in response.content
    assert unchanged(theirs)
    assert PatientPayment.objects.filter(category="manual").count() == 0


def test_a_line_cannot_be_linked_to_another_hospitals_payment(
    client, accountant, configuration, other_hospital
):
    ours = missing_line(configuration)
    theirs = PatientPaymentFactory(
        bill=BillFactory(hospital=other_hospital, branch__hospital=other_hospital), amount=Decimal("500.00")
    )

    response = act(client, "link_to_payment", ours, payment_reference=theirs.reference, note="same money")

    assert response.status_code == 200
    assert response.context["form"].errors["payment_reference"] == [
        f"No patient payment of this hospital has the reference '{theirs.reference}'."
    ]
    assert unchanged(ours)


def test_another_hospitals_supplier_is_not_a_choice(client, accountant, configuration, other_hospital):
    ours = missing_line(configuration, kind=Kind.PAYOUT, gateway_id="pout_lost", amount="1000.00")
    theirs = SupplierFactory(hospital=other_hospital, name="Elsewhere Supplies")

    page = client.post(CHANGELIST, {"action": "create_missing_payment", "_selected_action": [ours.pk]})
    response = act(client, "create_missing_payment", ours, supplier=theirs.pk, note="paid them")

    assert "Elsewhere Supplies" not in page.content.decode()
    assert response.context["form"].errors["supplier"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert unchanged(ours)
    assert not SupplierPayment.objects.exists()


def test_a_superuser_cannot_pay_another_hospitals_supplier_for_this_hospitals_line(
    client, configuration, hospital, other_hospital
):
    chart_of_accounts_create(hospital=hospital)
    client.force_login(UserFactory(hospital=None, is_superuser=True))
    ours = missing_line(configuration, kind=Kind.PAYOUT, gateway_id="pout_lost", amount="1000.00")
    theirs = SupplierFactory(hospital=other_hospital)  # a choice for a superuser, who sees all

    response = act(client, "create_missing_payment", ours, supplier=theirs.pk, note="paid them")

    assert response.status_code == 200
    # Beside the field it is about, not above the form.
    assert response.context["form"].errors["supplier"] == ["Choose the supplier this payout paid."]
    assert unchanged(ours)
    assert not SupplierPayment.objects.exists()


@pytest.mark.parametrize("field", ["payment_reference", "note"])
def test_link_form_bad_input_is_a_form_error_never_a_500(client, accountant, configuration, field):
    ours = missing_line(configuration)
    for value in EVIL:
        fields = {"payment_reference": "PP-1", "note": "why", field: value}
        act_raw(client, "link_to_payment", ours, **fields)
    assert unchanged(ours)


@pytest.mark.parametrize("field", ["bill_number", "method", "supplier", "note"])
@pytest.mark.parametrize("kind", [Kind.COLLECTION, Kind.PAYOUT, Kind.REFUND])
def test_create_form_bad_input_is_a_form_error_never_a_500(
    client, accountant, configuration, hospital, field, kind
):
    ours = missing_line(configuration, kind=kind)
    BillFactory(hospital=hospital, branch__hospital=hospital, number="OPD-1", amount=Decimal("100.00"))
    supplier = SupplierFactory(hospital=hospital)
    for value in [*EVIL, ""]:
        fields = {
            "bill_number": "OPD-1",
            "method": "cash",
            "supplier": supplier.pk,
            "note": "why",
            field: value,
        }
        act_raw(client, "create_missing_payment", ours, **fields)
    assert unchanged(ours)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (ROLE_ACCOUNTANT, 200),
        (None, 200),  # a superuser
        (ROLE_PAYMENTS_STAFF, 403),
        (ROLE_PAYMENT_APPROVER, 403),
        (ROLE_GATEWAY_ADMIN, 403),
    ],
)
@pytest.mark.parametrize("action", ["link_to_payment", "create_missing_payment"])
def test_every_role_on_the_resolution_actions(client, configuration, hospital, role, status, action):
    ours = missing_line(configuration)
    client.force_login(user_with(role, hospital))

    response = client.post(CHANGELIST, {"action": action, "_selected_action": [ours.pk]})

    assert response.status_code == status
    if status == 200:  # the form, for this discrepancy
        assert response.context["discrepancies"] == [ours]
    assert unchanged(ours)
