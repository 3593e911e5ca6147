"""Bill and patient admin: through the services, scoped to the user's hospital, by role."""

from decimal import Decimal

import pytest
from django.urls import reverse

from skinspire.collections.models import Bill
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_as(client, user_with_role):
    def make(role: str, **kwargs):
        client.force_login(user_with_role(role, **kwargs))
        return client

    return make


def test_payments_staff_add_a_bill_through_the_service(admin_as, branch):
    patient = PatientFactory(hospital=branch.hospital)
    data = {"branch": branch.pk, "patient": patient.pk, "number": "PHR-7", "category": "pharmacy",
            "description": "", "amount": "320.00", "due_date": "", "_save": "Save"}  # fmt: skip

    response = admin_as("payments").post(reverse("admin:collections_bill_add"), data)

    assert response.status_code == 302
    bill = Bill.objects.get()
    assert (bill.number, bill.hospital, bill.amount, bill.status) == (
        "PHR-7",
        branch.hospital,
        Decimal("320.00"),
        "unpaid",
    )
    assert AuditEntry.objects.filter(action="bill.create", object_id=str(bill.pk)).count() == 1


def test_admin_shows_the_services_rules_as_form_errors(admin_as, branch):
    existing = BillFactory(branch=branch, number="PHR-7", amount_paid=Decimal("100.00"), status="partly_paid")
    client = admin_as("payments")

    duplicate = client.post(
        reverse("admin:collections_bill_add"),
        {"branch": branch.pk, "patient": existing.patient.pk, "number": "PHR-7", "category": "pharmacy",
         "amount": "1.00", "_save": "Save"},
    )  # fmt: skip
    too_low = client.post(
        reverse("admin:collections_bill_change", args=[existing.pk]),
        {"category": "pharmacy", "description": "", "amount": "99.99", "due_date": "", "_save": "Save"},
    )

    assert duplicate.context["adminform"].form.errors == {
        "number": ["A bill with this number already exists."]
    }
    assert too_low.context["adminform"].form.errors == {
        "amount": ["₹100.00 is already paid; the amount cannot be less."]
    }
    assert Bill.objects.get().amount == Decimal("1500.00")


def test_change_goes_through_the_service(admin_as, branch):
    bill = BillFactory(branch=branch)

    response = admin_as("payments").post(
        reverse("admin:collections_bill_change", args=[bill.pk]),
        {
            "category": "package",
            "description": "Revised",
            "amount": "1600.00",
            "due_date": "",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    bill.refresh_from_db()
    assert (bill.category, bill.amount) == ("package", Decimal("1600.00"))
    assert AuditEntry.objects.filter(action="bill.update", object_id=str(bill.pk)).count() == 1


@pytest.mark.parametrize(("role", "listed"), [("payments", 200), ("accountant", 200), ("approver", 403),
                                              ("gateway_admin", 403)])  # fmt: skip
def test_changelist_by_role(admin_as, bill, role, listed):
    response = admin_as(role).get(reverse("admin:collections_bill_changelist"))

    assert response.status_code == listed
    if listed == 200:
        assert list(response.context["cl"].result_list) == [bill]


def test_accountant_cannot_change_a_bill(admin_as, bill):
    response = admin_as("accountant").post(
        reverse("admin:collections_bill_change", args=[bill.pk]),
        {"category": "package", "description": "", "amount": "1.00", "due_date": "", "_save": "Save"},
    )

    assert response.status_code == 403
    bill.refresh_from_db()
    assert bill.amount == Decimal("1500.00")


def test_another_hospitals_bills_are_not_listed_or_opened(admin_as, bill):
    client = admin_as("payments", other_hospital=True)

    listed = client.get(reverse("admin:collections_bill_changelist"))
    opened = client.get(reverse("admin:collections_bill_change", args=[bill.pk]))

    assert list(listed.context["cl"].result_list) == []
    assert (opened.status_code, opened["Location"]) == (302, reverse("admin:index"))
