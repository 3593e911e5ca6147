"""Every reconciliation admin page for every role: accountants and superusers use them, other
roles get 403; another hospital's runs, items and discrepancies are invisible."""

from decimal import Decimal

import pytest
from django.urls import reverse

from skinspire.core.roles import ALL_ROLES, ROLE_ACCOUNTANT
from skinspire.core.tests.factories import HospitalFactory
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.tests import sandbox_support
from skinspire.reconciliation.tests.admin_support import finished_run, user_with

pytestmark = pytest.mark.django_db

USERS = [None, *ALL_ROLES]
USER_IDS = ["superuser", *ALL_ROLES]
MAY_USE = {None, ROLE_ACCOUNTANT}


@pytest.fixture
def run(configuration):
    return finished_run(configuration)


def pages(run) -> list[str]:
    item = run.items.first()
    discrepancy = Discrepancy.objects.get()
    return [
        reverse("admin:reconciliation_reconciliationrun_changelist"),
        reverse("admin:reconciliation_reconciliationrun_change", args=[run.pk]),
        reverse("admin:reconciliation_run_start"),
        reverse("admin:reconciliation_reconciliationrun_export"),
        reverse("admin:reconciliation_reconciliationitem_changelist"),
        reverse("admin:reconciliation_reconciliationitem_change", args=[item.pk]),
        reverse("admin:reconciliation_reconciliationitem_export"),
        reverse("admin:reconciliation_discrepancy_changelist"),
        reverse("admin:reconciliation_discrepancy_change", args=[discrepancy.pk]),
        reverse("admin:reconciliation_discrepancy_export"),
    ]


@pytest.mark.parametrize("role", USERS, ids=USER_IDS)
def test_each_page_for_each_role(client, hospital, run, role):
    client.force_login(user_with(role, hospital))

    statuses = {url: client.get(url).status_code for url in pages(run)}

    expected = 200 if role in MAY_USE else 403
    assert statuses == dict.fromkeys(pages(run), expected)


@pytest.mark.parametrize("role", USERS, ids=USER_IDS)
def test_nobody_adds_changes_or_deletes_through_the_model_pages(client, hospital, run, role):
    client.force_login(user_with(role, hospital))
    discrepancy = Discrepancy.objects.get()
    item = run.items.first()

    writes = [
        client.get(reverse("admin:reconciliation_reconciliationrun_add")).status_code,
        client.post(
            reverse("admin:reconciliation_reconciliationrun_change", args=[run.pk]), {"status": "failed"}
        ).status_code,
        client.post(
            reverse("admin:reconciliation_reconciliationrun_delete", args=[run.pk]), {"post": "yes"}
        ).status_code,
        client.post(
            reverse("admin:reconciliation_reconciliationitem_change", args=[item.pk]), {"category": "matched"}
        ).status_code,
        client.get(reverse("admin:reconciliation_discrepancy_add")).status_code,
        client.post(
            reverse("admin:reconciliation_discrepancy_change", args=[discrepancy.pk]), {"status": "resolved"}
        ).status_code,
        client.post(
            reverse("admin:reconciliation_discrepancy_delete", args=[discrepancy.pk]), {"post": "yes"}
        ).status_code,
    ]

    assert writes == [403] * 7
    discrepancy.refresh_from_db()
    run.refresh_from_db()
    assert (discrepancy.status, run.status) == ("open", "completed")


def test_the_change_pages_offer_no_save_button(client, hospital, run):
    client.force_login(user_with(ROLE_ACCOUNTANT, hospital))
    discrepancy = Discrepancy.objects.get()

    for url in [
        reverse("admin:reconciliation_reconciliationrun_change", args=[run.pk]),
        reverse("admin:reconciliation_discrepancy_change", args=[discrepancy.pk]),
    ]:
        assert 'name="_save"' not in client.get(url).content.decode()


def test_another_hospitals_rows_are_invisible(client, hospital, run):
    other = sandbox_support.razorpay_configuration(HospitalFactory())
    foreign = finished_run(other)
    client.force_login(user_with(ROLE_ACCOUNTANT, hospital))

    runs = client.get(reverse("admin:reconciliation_reconciliationrun_changelist")).context["cl"].result_list
    items = (
        client.get(reverse("admin:reconciliation_reconciliationitem_changelist")).context["cl"].result_list
    )
    discrepancies = (
        client.get(reverse("admin:reconciliation_discrepancy_changelist")).context["cl"].result_list
    )
    foreign_page = client.get(reverse("admin:reconciliation_reconciliationrun_change", args=[foreign.pk]))

    assert [listed.pk for listed in runs] == [run.pk]
    assert {listed.run_id for listed in items} == {run.pk}
    assert [listed.configuration_id for listed in discrepancies] == [run.configuration_id]
    assert foreign_page.status_code == 302  # admin's answer to an object it cannot find
    start_form = client.get(reverse("admin:reconciliation_run_start")).context["form"]
    assert list(start_form.fields["configuration"].queryset) == [run.configuration]


def test_the_match_rate_reads_as_a_percentage_as_on_the_dashboard(client, hospital, run):
    """Admin showed the stored fraction (0.6667) beside the dashboard's 66.67%."""
    client.force_login(user_with(ROLE_ACCOUNTANT, hospital))
    assert run.match_rate == Decimal("0.6667")

    listed = client.get(reverse("admin:reconciliation_reconciliationrun_changelist")).content.decode()
    shown = client.get(
        reverse("admin:reconciliation_reconciliationrun_change", args=[run.pk])
    ).content.decode()

    assert '<td class="field-match_rate_shown">66.67%</td>' in listed
    assert "0.6667" not in listed
    assert "66.67%" in shown and "0.6667" not in shown
