"""Amounts typed into admin forms are read by the one rule for typed amounts (core.money):
Django's DecimalField would take "५००" as 500, "1e3" as 1000 and "+5" as 5. Each admin
that edits an amount refuses them as a form error on that field and saves nothing; and every
decimal any admin form edits is such an amount field, so a new admin cannot forget it."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.forms import DecimalField
from django.test import RequestFactory
from django.urls import reverse

from skinspire.collections.models import Bill
from skinspire.collections.tests.factories import PatientFactory
from skinspire.core.forms import AmountFormField
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.payouts.models import PayoutPolicy, SupplierInvoice
from skinspire.payouts.tests.factories import SupplierFactory
from skinspire.reconciliation.models import MatchingSettings

pytestmark = pytest.mark.django_db

LOOSE = {
    "५००": "'५००' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00.",
    "٥٠٠": "'٥٠٠' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00.",
    "1e3": "'1e3' has an exponent; write the amount out in full with the digits 0-9, like 1500.00.",
    "NaN": "'NaN' is not an amount; write it with the digits 0-9, like 1500.00.",
    "+5": "'+5' has a plus sign; write the amount with the digits 0-9 alone, like 1500.00.",
    "1_000": "'1_000' has a separator between its digits; write the amount with the digits 0-9 and a point "
    "alone, like 150000.00.",
    "10.005": "'10.005' has more than 2 decimal places; amounts are in whole paise.",
    "-1": "An amount cannot be negative here.",
    "5 lakh": "'5 lakh' is not an amount in rupees with at most 2 decimal places.",
}


@pytest.fixture
def superuser(client):
    client.force_login(UserFactory(username="root", hospital=None, is_superuser=True, is_staff=True))
    return client


def bill_form(branch):
    patient = PatientFactory(hospital=branch.hospital)
    return {"branch": branch.pk, "patient": patient.pk, "number": "PHR-7", "category": "pharmacy",
            "description": "", "due_date": "", "_save": "Save"}  # fmt: skip


def invoice_form(branch):
    supplier = SupplierFactory(hospital=branch.hospital)
    return {
        "hospital": branch.hospital.pk,
        "supplier": supplier.pk,
        "number": "INV-1",
        "invoice_date": "2026-11-01",
    }


def policy_form(branch):
    return {"hospital": branch.hospital.pk}


def settings_form(branch):
    configuration = GatewayConfigurationFactory(hospital=branch.hospital)
    return {"configuration": configuration.pk, "date_window_days": "1", "settlement_cycle_days": "1",
            "amount_tolerance": "0.50", "fee_tolerance": "0.00"}  # fmt: skip


# admin add page, its form without the amount, the amount's field, what holds the saved rows
FORMS = {
    "bill": ("admin:collections_bill_add", bill_form, "amount", Bill),
    "supplier invoice": ("admin:payouts_supplierinvoice_add", invoice_form, "amount", SupplierInvoice),
    "payout policy": ("admin:payouts_payoutpolicy_add", policy_form, "approval_threshold", PayoutPolicy),
    "matching settings": (
        "admin:reconciliation_matchingsettings_add", settings_form, "amount_tolerance", MatchingSettings
    ),
}  # fmt: skip


@pytest.mark.parametrize("form", list(FORMS))
def test_a_loose_amount_is_a_form_error_on_its_field_and_nothing_is_saved(superuser, branch, form):
    url, data, field, model = FORMS[form]
    base = data(branch)

    for typed, message in LOOSE.items():
        response = superuser.post(reverse(url), {**base, field: typed})

        assert response.status_code == 200, (typed, response.status_code)
        assert response.context["adminform"].form.errors == {field: [message]}, typed
    assert not model.objects.exists()


@pytest.mark.parametrize(
    ("form", "typed", "message"),
    [
        ("bill", "0", "The amount must be more than zero."),
        ("supplier invoice", "0.00", "The amount must be more than zero."),
        ("payout policy", "-0.01", "An amount cannot be negative here."),
    ],
)
def test_the_least_amount_each_form_takes(superuser, branch, form, typed, message):
    url, data, field, model = FORMS[form]

    response = superuser.post(reverse(url), {**data(branch), field: typed})

    assert response.context["adminform"].form.errors == {field: [message]}
    assert not model.objects.exists()


@pytest.mark.parametrize(
    ("form", "typed", "expected"),
    [("bill", " 320.5 ", Decimal("320.50")), ("supplier invoice", "100", Decimal("100.00")),
     ("payout policy", "0", Decimal("0.00")), ("matching settings", "0.00", Decimal("0.00"))],
)  # fmt: skip
def test_a_plain_amount_is_saved(superuser, branch, form, typed, expected):
    url, data, field, model = FORMS[form]

    response = superuser.post(reverse(url), {**data(branch), field: typed})

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert getattr(model.objects.get(), field) == expected


def test_every_decimal_an_admin_form_edits_is_an_amount_field():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(hospital=None, is_superuser=True, is_staff=True)
    decimals = {}
    ours = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("skinspire.")
    }
    for model, model_admin in ours.items():  # django-celery-beat's latitude and longitude are no amounts
        forms = [model_admin.get_form(request)] + [
            inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)
        ]
        for form in forms:
            for name, field in form.base_fields.items():
                if isinstance(field, DecimalField):
                    decimals[f"{model._meta.label}.{name}"] = type(field)

    assert decimals == {
        "collections.Bill.amount": AmountFormField,
        "payouts.PayoutPolicy.approval_threshold": AmountFormField,
        "payouts.SupplierInvoice.amount": AmountFormField,
        "reconciliation.MatchingSettings.amount_tolerance": AmountFormField,
        "reconciliation.MatchingSettings.fee_tolerance": AmountFormField,
    }
