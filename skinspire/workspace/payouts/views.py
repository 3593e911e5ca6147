"""Supplier payment pages: the list with filters, the approvals queue, one payment.

Reads through skinspire.payouts.selectors (tenant-scoped); every action is a call to the
payouts API from the page (workspace.js), so the rules stay in the services.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from skinspire.core.admin_lists import CappedCountPaginator
from skinspire.core.errors import NotFoundError
from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_ACCOUNTANT, ROLE_PAYMENT_APPROVER, ROLE_PAYMENTS_STAFF
from skinspire.payouts import selectors
from skinspire.payouts.selectors import payout_link_url_visible
from skinspire.workspace.access import SignedInRequest, workspace_page
from skinspire.workspace.payouts.actions import payment_actions
from skinspire.workspace.payouts.filters import PaymentFilterForm
from skinspire.workspace.scope import working_scope

READERS = (ROLE_PAYMENTS_STAFF, ROLE_PAYMENT_APPROVER, ROLE_ACCOUNTANT)
PAGE_SIZE = 50


def _require(request: SignedInRequest, *roles: str) -> None:
    if not user_has_role(request.user, *roles):
        raise PermissionDenied(f"This page is for: {', '.join(roles)}.")


def _listing(request: SignedInRequest, *, title: str, base_filters: dict, template: str) -> HttpResponse:
    scope = working_scope(request)
    suppliers = selectors.supplier_list(user=request.user).order_by("name")
    if scope.hospital is not None:
        suppliers = suppliers.filter(hospital=scope.hospital)
    form = PaymentFilterForm(request.GET, scope=scope, suppliers=suppliers)
    payments = form.apply(selectors.payment_list(user=request.user, filters=base_filters))
    page = CappedCountPaginator(payments.select_related("supplier", "branch"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"title": title, "form": form, "page": page, "query": query.urlencode()}
    return render(request, template, context)


@workspace_page
def payment_list(request: SignedInRequest) -> HttpResponse:
    _require(request, *READERS)
    return _listing(
        request, title="Supplier payments", base_filters={}, template="workspace/payouts/list.html"
    )


@workspace_page
def approval_queue(request: SignedInRequest) -> HttpResponse:
    _require(request, ROLE_PAYMENT_APPROVER)
    return _listing(
        request,
        title="Approvals queue",
        base_filters={"status": "pending_approval"},
        template="workspace/payouts/approvals.html",
    )


@workspace_page
def payment_detail(request: SignedInRequest, payment_id: int) -> HttpResponse:
    _require(request, *READERS)
    try:
        payment = selectors.payment_get(user=request.user, payment_id=payment_id)
    except NotFoundError as error:
        raise Http404(str(error)) from error
    context = {
        "payment": payment,
        "allocations": payment.allocations.select_related("invoice").order_by("id"),
        "actions": payment_actions(payment, request.user),
        "link_url_visible": payout_link_url_visible(request.user),
        "gateway": payment.configuration.provider
        if payment.configuration is not None
        else payment.requested_provider,
        # The banners: why the gateway holds a payout in flight, or why it ended badly.
        "held_statuses": ("submitted", "unknown", "processing"),
        "ended_badly_statuses": ("failed", "reversed"),
    }
    return render(request, "workspace/payouts/detail.html", context)
