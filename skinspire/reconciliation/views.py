"""The reconciliation dashboard in the staff workspace, and its reports as xlsx: accountants
and superusers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_ACCOUNTANT
from skinspire.reconciliation.dashboard import dashboard_context
from skinspire.reconciliation.reports import REPORTS
from skinspire.reconciliation.reports.excel import report_workbook
from skinspire.reconciliation.reports.windows import report_since
from skinspire.workspace.access import SignedInRequest, workspace_page
from skinspire.workspace.scope import working_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _accountants_only(request: SignedInRequest) -> None:
    if not user_has_role(request.user, ROLE_ACCOUNTANT):
        raise PermissionDenied(f"This page is for: {ROLE_ACCOUNTANT}.")


@workspace_page
def dashboard(request: SignedInRequest) -> HttpResponse:
    _accountants_only(request)
    hospital = working_scope(request).hospital
    context = dashboard_context(user=request.user, hospital=hospital, today=timezone.localdate())
    context["title"] = "Reconciliation"
    return render(request, "reconciliation/dashboard.html", context)


@workspace_page
def report_export(request: SignedInRequest, name: str) -> HttpResponse:
    _accountants_only(request)
    if name not in REPORTS:
        raise Http404("No such report.")
    today = timezone.localdate()
    report = REPORTS[name](
        user=request.user, hospital=working_scope(request).hospital, since=report_since(name, today=today)
    )
    response = HttpResponse(report_workbook(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{today.isoformat()}.xlsx"'
    return response
