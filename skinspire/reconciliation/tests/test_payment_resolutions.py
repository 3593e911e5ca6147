"""Resolving a "missing in system" line in admin by linking it to one of our payments, or by
creating the missing manual payment through collections or payouts: a reason always, the
amounts checked again, written to the audit log; accountants only (payments staff get 403,
a view-only user is not offered the actions)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.errors import ApplicationError, PermissionDeniedError
from skinspire.core.models import AuditEntry
from skinspire.core.roles import ROLE_ACCOUNTANT, ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory
from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.services.resolutions import (
    ACTION_CREATE,
    ACTION_LINK,
    BOTH_GIVEN,
    MissingPayment,
    discrepancy_link,
    discrepancy_payment_create,
)
from skinspire.reconciliation.services.runs import reconciliation_run_start
from skinspire.reconciliation.tests.admin_support import user_with

pytestmark = pytest.mark.django_db

DAY = date(2026, 4, 20)
CHANGELIST = reverse("admin:reconciliation_discrepancy_changelist")


def missing_line(
    configuration, *, kind: Kind = Kind.COLLECTION, gateway_id: str = "pay_lost", amount: str = "500.00"
):
    (discrepancy,) = missing_lines(configuration, kind=kind, gateway_ids=[gateway_id], amount=amount)
    return discrepancy


def missing_lines(configuration, *, kind: Kind, gateway_ids: list[str], amount: str) -> list[Discrepancy]:
    """One run of DAY whose lines (one per gateway id) are all missing in our records."""
    lines = [
        GatewayRow(key=f"setl_1/{gateway_id}", gateway_id=gateway_id, utr="UTR77", amount=Decimal(amount),
                   fee=Decimal("0.00"), tax=Decimal("0.00"), status=RowStatus.SUCCESS, date=DAY, kind=kind,
                   settlement_id="setl_1", settled_on=DAY)
        for gateway_id in gateway_ids
    ]  # fmt: skip
    reconciliation_run_start(configuration=configuration, run_date=DAY, trigger="upload", gateway_rows=lines)
    return [Discrepancy.objects.get(category="missing_in_system", gateway_keys=[line.key]) for line in lines]


@pytest.fixture
def accountant(client, hospital):
    chart_of_accounts_create(hospital=hospital)
    user = user_with(ROLE_ACCOUNTANT, hospital)
    client.force_login(user)
    return user


def act(client, action: str, discrepancy: Discrepancy, **fields):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [discrepancy.pk], **fields})


def test_an_accountant_links_a_line_to_our_payment(client, accountant, configuration, hospital):
    discrepancy = missing_line(configuration)
    ours = PatientPaymentFactory(
        bill=BillFactory(hospital=hospital, branch__hospital=hospital), amount=Decimal("500.00")
    )

    response = act(
        client,
        "link_to_payment",
        discrepancy,
        payment_reference=ours.reference,
        note="Webhook lost; same UPI ref",
    )

    assert response.status_code == 302
    discrepancy.refresh_from_db()
    assert (discrepancy.status, discrepancy.resolution, discrepancy.linked_key, discrepancy.resolved_by) == (
        "resolved", "linked", f"patient_payment:{ours.pk}", accountant,
    )  # fmt: skip
    entry = AuditEntry.objects.get(action=ACTION_LINK)
    assert (entry.actor, entry.message) == (accountant, "Webhook lost; same UPI ref")
    assert entry.changes["linked"] == {"from": "", "to": f"patient_payment:{ours.pk}"}


def test_a_link_to_a_payment_of_another_amount_is_refused_on_the_form(
    client, accountant, configuration, hospital
):
    discrepancy = missing_line(configuration)
    ours = PatientPaymentFactory(
        bill=BillFactory(hospital=hospital, branch__hospital=hospital), amount=Decimal("499.00")
    )

    response = act(
        client, "link_to_payment", discrepancy, payment_reference=ours.reference, note="Looks like it"
    )

    assert response.status_code == 200
    assert response.context["form"].errors["payment_reference"] == [
        f"The gateway's line is ₹500.00 and payment {ours.reference} is ₹499.00: they are not the same money."
    ]
    discrepancy.refresh_from_db()
    assert (discrepancy.status, discrepancy.linked_key) == ("open", "")
    assert not AuditEntry.objects.filter(action=ACTION_LINK).exists()


def test_the_reason_is_mandatory(client, accountant, configuration, hospital):
    discrepancy = missing_line(configuration)

    response = act(client, "link_to_payment", discrepancy, payment_reference="PP-1", note="")

    assert response.status_code == 200
    assert response.context["form"].errors["note"] == ["This field is required."]
    assert Discrepancy.objects.get(pk=discrepancy.pk).status == "open"


def test_an_accountant_records_the_missing_patient_payment(client, accountant, configuration, hospital):
    discrepancy = missing_line(configuration)
    bill = BillFactory(
        hospital=hospital, branch__hospital=hospital, number="OPD-77", amount=Decimal("1500.00")
    )

    response = act(client, "create_missing_payment", discrepancy, bill_number="OPD-77", method="card_swipe",
                   note="Paid on the counter terminal, no record")  # fmt: skip

    assert response.status_code == 302
    payment = PatientPayment.objects.get(bill=bill)
    assert (payment.category, payment.method, payment.amount, payment.status, payment.bank_transaction_id) == (
        "manual", "card_swipe", Decimal("500.00"), "captured", "pay_lost",
    )  # fmt: skip
    assert (
        payment.notes
        == f"Recorded from reconciliation (discrepancy #{discrepancy.pk}): Paid on the counter terminal, no record"
    )
    discrepancy.refresh_from_db()
    assert (discrepancy.resolution, discrepancy.linked_key) == (
        "payment_created",
        f"patient_payment:{payment.pk}",
    )
    assert AuditEntry.objects.get(action=ACTION_CREATE).changes["amount"] == {"from": None, "to": "500.00"}


def test_an_accountant_records_the_missing_supplier_payment(client, accountant, configuration, hospital):
    discrepancy = missing_line(configuration, kind=Kind.PAYOUT, gateway_id="pout_lost", amount="1000.00")
    supplier = SupplierFactory(hospital=hospital, name="Medi Supply Co")

    response = act(
        client, "create_missing_payment", discrepancy, supplier=supplier.pk, note="Paid from the dashboard"
    )

    assert response.status_code == 302
    payment = SupplierPayment.objects.get(supplier=supplier)
    assert (payment.method, payment.mode, payment.amount, payment.manual_reference, payment.created_by) == (
        "manual", "bank_transfer", Decimal("1000.00"), "pout_lost UTR77", accountant,
    )  # fmt: skip
    assert payment.status == "completed"  # below the approval threshold: a manual payment completes at once
    discrepancy.refresh_from_db()
    assert (discrepancy.resolution, discrepancy.linked_key) == ("payment_created", f"payout:{payment.pk}")


def test_a_bill_that_is_not_ours_is_refused(client, accountant, configuration, hospital):
    discrepancy = missing_line(configuration)
    BillFactory(number="OPD-ELSEWHERE")  # another hospital's

    response = act(
        client, "create_missing_payment", discrepancy, bill_number="OPD-ELSEWHERE", method="cash", note="x"
    )

    assert response.context["form"].errors["bill_number"] == [
        "No bill of this hospital has the number 'OPD-ELSEWHERE'."
    ]
    assert not PatientPayment.objects.filter(category="manual").exists()
    assert Discrepancy.objects.get(pk=discrepancy.pk).status == "open"


def test_payments_staff_may_not(client, configuration, hospital):
    discrepancy = missing_line(configuration)
    client.force_login(user_with(ROLE_PAYMENTS_STAFF, hospital))

    response = act(client, "link_to_payment", discrepancy, payment_reference="PP-1", note="mine")

    assert response.status_code == 403
    assert Discrepancy.objects.get(pk=discrepancy.pk).status == "open"
    with pytest.raises(PermissionDeniedError):
        discrepancy_link(discrepancy=discrepancy, actor=user_with(ROLE_PAYMENTS_STAFF, hospital),
                         payment_reference="PP-1", note="mine")  # fmt: skip


def test_a_view_only_user_is_not_offered_the_actions(client, configuration, hospital):
    missing_line(configuration)
    viewer = UserFactory(hospital=hospital, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_discrepancy"))
    client.force_login(viewer)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["action_form"] is None  # no action at all for a viewer
    assert b"link_to_payment" not in response.content and b"create_missing_payment" not in response.content


def test_a_payment_links_once(client, accountant, configuration, hospital):
    first, second = missing_lines(
        configuration, kind=Kind.COLLECTION, gateway_ids=["pay_lost", "pay_twice"], amount="500.00"
    )
    ours = PatientPaymentFactory(
        bill=BillFactory(hospital=hospital, branch__hospital=hospital), amount=Decimal("500.00")
    )
    act(client, "link_to_payment", first, payment_reference=ours.reference, note="same money")

    response = act(
        client, "link_to_payment", second, payment_reference=ours.reference, note="same money again"
    )

    assert response.context["form"].errors["payment_reference"] == [
        f"Payment {ours.reference} already accounts for discrepancy #{first.pk}."
    ]
    assert Discrepancy.objects.get(pk=second.pk).status == "open"


def test_a_refusal_not_about_one_field_is_shown_once(client, accountant, configuration, hospital):
    """The template printed the form's non-field errors, and `form.as_table` printed them again."""
    discrepancy = missing_line(configuration)
    act(client, "resolve", discrepancy, resolution="ignored", note="test line")

    response = act(client, "link_to_payment", discrepancy, payment_reference="PP-1", note="mine")

    message = f"Discrepancy {discrepancy.pk} is already resolved."
    assert response.context["form"].non_field_errors() == [message]
    assert response.content.decode().count(message) == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"method": "cash"}, "bill_number", "Give the number of the bill this payment was for."),
        (
            {"bill_number": "OPD-77"},
            "method",
            "Choose how the payment is recorded: cash, cheque or card swipe.",
        ),
    ],
)
def test_a_patient_payment_without_its_bill_or_method_says_what_is_missing(
    client, accountant, configuration, hospital, fields, field, message
):
    """They read "No bill of this hospital has the number ''." and "'' is not a counter
    payment method."."""
    discrepancy = missing_line(configuration)
    BillFactory(hospital=hospital, branch__hospital=hospital, number="OPD-77", amount=Decimal("900.00"))

    response = act(client, "create_missing_payment", discrepancy, note="desk forgot", **fields)

    assert response.context["form"].errors[field] == [message]
    assert not PatientPayment.objects.filter(category="manual").exists()
    assert Discrepancy.objects.get(pk=discrepancy.pk).status == "open"


def test_the_success_messages_name_the_payment_by_its_reference(client, accountant, configuration, hospital):
    """They read "linked to patient_payment:5" and "payment patient_payment:6 created": our
    stored key, which no page shows; staff know a payment by its reference."""
    linked, created = missing_lines(configuration, kind=Kind.COLLECTION, gateway_ids=["pay_a", "pay_b"],
                                    amount="500.00")  # fmt: skip
    ours = PatientPaymentFactory(
        bill=BillFactory(hospital=hospital, branch__hospital=hospital), amount=Decimal("500.00")
    )
    BillFactory(hospital=hospital, branch__hospital=hospital, number="OPD-78", amount=Decimal("900.00"))

    first = act(client, "link_to_payment", linked, payment_reference=ours.reference, note="same UPI ref")
    second = act(client, "create_missing_payment", created, bill_number="OPD-78", method="cash", note="desk")

    made = PatientPayment.objects.get(bill__number="OPD-78")
    # Each answer's newest message (the session keeps earlier ones until a page shows them).
    messages = [str(list(response.wsgi_request._messages)[-1]) for response in (first, second)]
    assert messages == [
        f"Discrepancy #{linked.pk} linked to payment {ours.reference}.",
        f"Discrepancy #{created.pk}: payment {made.reference} created.",
    ]


def test_the_forms_show_the_gateway_line_being_linked_or_recorded(client, accountant, configuration):
    """The accountant linked a line they could not see: the form showed only its summary."""
    discrepancy = missing_line(configuration, gateway_id="pay_seen", amount="1250.50")

    for action in ("link_to_payment", "create_missing_payment"):
        page = act(client, action, discrepancy)  # no note yet: the form is drawn

        assert page.status_code == 200
        html = page.content.decode()
        line = html[html.index('id="gateway-line"') : html.index("</table>", html.index('id="gateway-line"'))]
        assert "₹1,250.50" in line and "pay_seen" in line and "UTR77" in line, action


def test_a_bill_and_a_supplier_together_are_refused_not_guessed(client, accountant, configuration, hospital):
    """Given both, a collection line silently used the bill (and a payout line the supplier)."""
    discrepancy = missing_line(configuration)
    BillFactory(hospital=hospital, branch__hospital=hospital, number="OPD-77", amount=Decimal("900.00"))
    supplier = SupplierFactory(hospital=hospital)

    response = act(client, "create_missing_payment", discrepancy, bill_number="OPD-77", method="cash",
                   supplier=supplier.pk, note="desk forgot")  # fmt: skip

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [BOTH_GIVEN]
    assert not PatientPayment.objects.filter(category="manual").exists()
    assert not SupplierPayment.objects.exists()
    assert Discrepancy.objects.get(pk=discrepancy.pk).status == "open"


@pytest.mark.parametrize(
    ("kind", "missing", "field"),
    [
        (Kind.COLLECTION, {"bill_number": "OPD-77", "method": "cash", "supplier": True}, "supplier_id"),
        (Kind.PAYOUT, {"bill_number": "OPD-77", "method": "cash", "supplier": True}, "bill_number"),
        (Kind.PAYOUT, {"method": "cash", "supplier": True}, "bill_number"),
    ],
)
def test_the_service_refuses_what_the_line_kind_does_not_take(
    accountant, configuration, hospital, kind, missing, field
):
    """The rule holds for any caller, not only the admin's form."""
    discrepancy = missing_line(configuration, kind=kind, gateway_id="x_1", amount="900.00")
    BillFactory(hospital=hospital, branch__hospital=hospital, number="OPD-77", amount=Decimal("900.00"))
    supplier = SupplierFactory(hospital=hospital)
    chosen = MissingPayment(
        bill_number=missing.get("bill_number", ""),
        method=missing.get("method", ""),
        supplier_id=supplier.pk if missing.get("supplier") else None,
    )

    with pytest.raises(ApplicationError) as refused:
        discrepancy_payment_create(discrepancy=discrepancy, actor=accountant, missing=chosen, note="why")

    assert field in refused.value.extra["fields"]
    assert not PatientPayment.objects.filter(category="manual").exists()
    assert not SupplierPayment.objects.exists()
    assert Discrepancy.objects.get(pk=discrepancy.pk).status == "open"
