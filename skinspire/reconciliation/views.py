"""The reconciliation dashboard in the staff workspace: accountants and superusers."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_ACCOUNTANT
from skinspire.reconciliation.dashboard import dashboard_context
from skinspire.workspace.access import SignedInRequest, workspace_page
from skinspire.workspace.scope import working_scope


@workspace_page
def dashboard(request: SignedInRequest) -> HttpResponse:
    if not user_has_role(request.user, ROLE_ACCOUNTANT):
        raise PermissionDenied(f"This page is for: {ROLE_ACCOUNTANT}.")
    hospital = working_scope(request).hospital
    context = dashboard_context(user=request.user, hospital=hospital, today=timezone.localdate())
    context["title"] = "Reconciliation"
    return render(request, "reconciliation/dashboard.html", context)
