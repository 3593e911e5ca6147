"""The lists that grow with every payment (millions of rows within a year) read only the page
they show: newest first by an index, a count capped at COUNT_CAP and shown as "10,000+",
no second count, filters whose choices cost no read of the table, and a search that
compares whole values (each through an index). Timings are in bench/, not here."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import AllValuesFieldListFilter, RelatedOnlyFieldListFilter
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from skinspire.collections.models import Bill, PatientPayment, PatientRefund, PaymentLink
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core import admin_lists
from skinspire.core.admin_lists import BigListAdminMixin, CappedCountPaginator, CountAtLeast
from skinspire.core.models import AuditEntry
from skinspire.core.roles import ROLE_ACCOUNTANT, ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import BranchFactory, UserFactory
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.ledger.models import JournalEntry
from skinspire.payouts.models import SupplierPayment

BIG_MODELS = [
    JournalEntry,
    AuditEntry,
    WebhookEvent,
    GatewayTransactionLog,
    PatientPayment,
    PatientRefund,
    PaymentLink,
    Bill,
    SupplierPayment,
]


# The audit log is narrowed by date: newest first by when each entry was made, which its
# created_at index gives within any date range (skinspire/core/audit/admin.py).
NEWEST_FIRST = {AuditEntry: ["-created_at", "-id"]}


def model_admin(model):
    return admin.site._registry[model]


def indexed(model, name: str) -> bool:
    """Whether an index of the model's table starts with the column (what serves a sort)."""
    field = model._meta.get_field(name)
    if field.primary_key or field.unique or field.db_index:
        return True
    return any(index.fields and index.fields[0].lstrip("-") == name for index in model._meta.indexes)


@pytest.mark.parametrize("model", BIG_MODELS, ids=lambda model: model.__name__)
def test_a_big_list_shows_newest_first_by_an_index_and_sorts_only_by_indexed_columns(model):
    listing = model_admin(model)
    assert isinstance(listing, BigListAdminMixin)
    assert listing.ordering == NEWEST_FIRST.get(model, ["-pk"])
    first = listing.ordering[0].lstrip("-")
    assert first == "pk" or indexed(model, first)
    assert all(indexed(model, name) for name in listing.sortable_by)
    assert listing.date_hierarchy is None  # each level reads the dates of every row


@pytest.mark.parametrize("model", BIG_MODELS, ids=lambda model: model.__name__)
def test_a_big_list_counts_once_and_at_most_to_the_cap(model):
    listing = model_admin(model)
    assert listing.show_full_result_count is False
    assert listing.paginator is CappedCountPaginator


def superuser_changelist(model):
    request = RequestFactory().get("/")
    request.user = UserFactory(hospital=None, is_superuser=True)
    return model_admin(model).get_changelist_instance(request)


@pytest.mark.django_db
@pytest.mark.parametrize("model", BIG_MODELS, ids=lambda model: model.__name__)
def test_a_big_lists_filters_take_their_choices_from_elsewhere_than_its_rows(model):
    changelist = superuser_changelist(model)
    reading_every_row = (AllValuesFieldListFilter, RelatedOnlyFieldListFilter)
    assert not [spec for spec in changelist.filter_specs if isinstance(spec, reading_every_row)]


@pytest.mark.django_db
@pytest.mark.parametrize("model", BIG_MODELS, ids=lambda model: model.__name__)
def test_on_postgresql_an_index_serves_the_first_page_of_a_big_list_without_a_sort(postgres_only, model):
    plan = first_page_plan(superuser_changelist(model))
    assert not whole_sort(plan), plan
    assert "Index" in plan, plan


def first_page_plan(changelist) -> str:
    sql, params = changelist.queryset[:100].query.sql_with_params()
    with connection.cursor() as cursor:
        # The tables are empty here: a sort would be cheaper for the planner, so it is
        # forbidden; a Sort left in the plan means no index can give the list's order.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def whole_sort(plan: str) -> bool:
    """A sort of every matching row. An Incremental Sort reads an index in order and sorts
    only the rows that tie on it (the audit log's entries of one instant, by id)."""
    return any(re.match(r"\s*(->\s+)?Sort\s+\(", line) for line in plan.splitlines())


@pytest.mark.django_db
def test_on_postgresql_the_audit_log_of_a_date_range_is_read_in_order_from_its_date_index(postgres_only):
    # Admin's date filter (a week, a month): the range's newest entries are the first read,
    # whatever ids they have, not found by walking every newer entry (bench/big_lists).
    week = {"created_at__gte": "2026-07-01 00:00:00+05:30", "created_at__lt": "2026-07-08 00:00:00+05:30"}
    for user in (UserFactory(hospital=None, is_superuser=True), UserFactory(roles=[ROLE_ACCOUNTANT])):
        request = RequestFactory().get("/", week)
        request.user = user
        plan = first_page_plan(model_admin(AuditEntry).get_changelist_instance(request))
        assert "Index Scan Backward using core_auditentry_created_at" in plan, plan
        assert not whole_sort(plan), plan


@pytest.mark.django_db
def test_a_count_past_the_cap_is_shown_as_at_least_the_cap(monkeypatch, client):
    monkeypatch.setattr(admin_lists, "COUNT_CAP", 2)
    user = UserFactory(hospital=None, is_superuser=True)
    bill = BillFactory()
    for _ in range(3):
        PatientPaymentFactory(bill=bill)
    client.force_login(user)

    response = client.get(reverse("admin:collections_patientpayment_changelist"))

    assert response.status_code == 200
    count = response.context["cl"].result_count
    assert isinstance(count, CountAtLeast) and count == 3
    assert "2+ patient payments" in response.content.decode()
    assert len(response.context["cl"].result_list) == 3


def test_a_count_under_the_cap_is_the_count():
    assert CappedCountPaginator(PatientPayment.objects.none(), 100).count == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, ROLE_PAYMENTS_STAFF])
def test_payments_are_listed_newest_first_for_each_role(client, role):
    branch = BranchFactory()
    bill = BillFactory(branch=branch)
    payments = [PatientPaymentFactory(bill=bill) for _ in range(3)]
    other_hospital = PatientPaymentFactory()
    if role is None:
        user = UserFactory(hospital=None, is_superuser=True)
    else:
        user = UserFactory(hospital=branch.hospital, roles=[role], branches=[branch])
    client.force_login(user)

    response = client.get(reverse("admin:collections_patientpayment_changelist"))

    listed = [payment.pk for payment in response.context["cl"].result_list]
    newest_first = [payment.pk for payment in reversed(payments)]
    assert listed == ([other_hospital.pk, *newest_first] if role is None else newest_first)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, ROLE_ACCOUNTANT])
def test_a_payment_is_found_by_its_whole_reference_gateway_id_or_utr_in_any_case(client, role):
    branch = BranchFactory()
    wanted = PatientPaymentFactory(
        bill=BillFactory(branch=branch), gateway_payment_id="pay_Abc123", bank_transaction_id="412345678901"
    )
    PatientPaymentFactory(bill=BillFactory(branch=branch), gateway_payment_id="pay_Abc1234")
    if role is None:
        user = UserFactory(hospital=None, is_superuser=True)
    else:
        user = UserFactory(hospital=branch.hospital, roles=[role], branches=[branch])
    client.force_login(user)
    url = reverse("admin:collections_patientpayment_changelist")

    for term in [wanted.reference, wanted.reference.lower(), "pay_Abc123", " 412345678901 "]:
        found = client.get(url, {"q": term}).context["cl"].result_list
        assert [payment.pk for payment in found] == [wanted.pk], term
    assert list(client.get(url, {"q": "pay_Abc"}).context["cl"].result_list) == []


@pytest.mark.django_db
def test_the_workspace_payments_list_is_newest_first_and_its_count_capped(monkeypatch, client):
    monkeypatch.setattr(admin_lists, "COUNT_CAP", 2)
    branch = BranchFactory()
    bill = BillFactory(branch=branch)
    payments = [PatientPaymentFactory(bill=bill) for _ in range(3)]
    client.force_login(UserFactory(hospital=branch.hospital, roles=[ROLE_PAYMENTS_STAFF], branches=[branch]))

    response = client.get(reverse("workspace-patient-payments"))

    assert response.status_code == 200
    page = response.context["page"]
    assert [payment.pk for payment in page.object_list] == [payment.pk for payment in reversed(payments)]
    assert "2+ payments" in response.content.decode()


@pytest.mark.django_db
def test_on_postgresql_an_index_serves_the_audit_logs_search_by_object_id(postgres_only):
    # A superuser's list: on an empty table a hospital's staff are as well served by their
    # hospital's index (bench/big_lists has both at a year's volume).
    request = RequestFactory().get("/", {"q": "123456"})
    request.user = UserFactory(hospital=None, is_superuser=True)
    changelist = model_admin(AuditEntry).get_changelist_instance(request)
    sql, params = changelist.queryset[:100].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the table is empty here
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_entry_object_id" in plan, plan
    assert "Seq Scan on core_auditentry" not in plan, plan
