"""Patient payment pages: the list with filters and one payment with its refunds.

Reads through skinspire.collections.selectors (tenant-scoped); a refund is a call to the
collections API from the page (workspace.js), so its bounds stay in the service.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from skinspire.collections import selectors
from skinspire.collections.services.checkout_release import checkout_order_releasable
from skinspire.collections.services.overpaid import refund_prefill
from skinspire.collections.services.refunds import REFUNDABLE_STATUSES, refundable_amount
from skinspire.core.admin_lists import CappedCountPaginator
from skinspire.core.errors import NotFoundError
from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_ACCOUNTANT, ROLE_PAYMENTS_STAFF
from skinspire.workspace.access import SignedInRequest, workspace_page
from skinspire.workspace.collections.filters import PatientPaymentFilterForm
from skinspire.workspace.scope import working_scope

READERS = (ROLE_PAYMENTS_STAFF, ROLE_ACCOUNTANT)
PAGE_SIZE = 50


def _require_reader(request: SignedInRequest) -> None:
    if not user_has_role(request.user, *READERS):
        raise PermissionDenied(f"This page is for: {', '.join(READERS)}.")


@workspace_page
def payment_list(request: SignedInRequest) -> HttpResponse:
    _require_reader(request)
    form = PatientPaymentFilterForm(request.GET, scope=working_scope(request))
    payments = form.apply(selectors.patient_payment_list(user=request.user))
    payments = payments.select_related("bill__patient", "branch")
    page = CappedCountPaginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"title": "Patient payments", "form": form, "page": page, "query": query.urlencode()}
    return render(request, "workspace/collections/list.html", context)


@workspace_page
def payment_detail(request: SignedInRequest, payment_id: int) -> HttpResponse:
    _require_reader(request)
    try:
        payment = selectors.patient_payment_get(user=request.user, payment_id=payment_id)
    except NotFoundError as error:
        raise Http404(str(error)) from error
    can_refund = payment.status in REFUNDABLE_STATUSES and user_has_role(request.user, ROLE_PAYMENTS_STAFF)
    refundable = refundable_amount(payment=payment) if can_refund else None
    context = {
        "payment": payment,
        "refunds": payment.refunds.order_by("created_at", "id"),
        "refundable": refundable if refundable and refundable > 0 else None,
        # An overpaid bill's excess, when this is the payment to refund it from (services/overpaid.py).
        "refund_prefill": refund_prefill(payment=payment, refundable=refundable) if refundable else None,
        "refund_url": reverse("collections-refund-list", args=[payment.pk]),
        # One key per form: submitting twice (a double click, a retry) returns the first refund.
        "refund_idempotency_key": uuid.uuid4().hex,
        # An online payment still being made, for staff to release (workspace/collections/release.py).
        "can_release": checkout_order_releasable(payment)
        and user_has_role(request.user, ROLE_PAYMENTS_STAFF),
    }
    return render(request, "workspace/collections/detail.html", context)
