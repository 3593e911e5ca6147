"""Bill pages for the counter: the list, and one bill with its payments and links, where
staff record a counter payment or send a payment link. Reads through the collections
selectors; both actions are calls to the collections API (workspace.js)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from skinspire.collections import selectors
from skinspire.collections.models import EXPIRY_HOURS, BillStatus, ManualMethod
from skinspire.collections.services.links_beyond_open import bill_links_beyond_open
from skinspire.collections.services.open_amount import bill_open_requests
from skinspire.collections.services.overpaid import bill_overpaid_refund
from skinspire.core.admin_lists import CappedCountPaginator
from skinspire.core.errors import NotFoundError
from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.workspace.access import SignedInRequest, workspace_page
from skinspire.workspace.collections.release import can_release
from skinspire.workspace.collections.views import PAGE_SIZE, READERS
from skinspire.workspace.filters import ListFilterForm
from skinspire.workspace.scope import working_scope


class BillFilterForm(ListFilterForm):
    provider = None  # type: ignore[assignment]  # bills have no gateway: None removes the field (Django forms)
    statuses = BillStatus

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["q"].help_text = "Bill number, patient name or number (UHID)"

    def narrow(self, bills: QuerySet, data: dict) -> QuerySet:
        if data.get("q"):
            bills = bills.filter(selectors.bill_lookup(term=data["q"].strip(), hospital=self.scope.hospital))
        return bills


def _require_reader(request: SignedInRequest) -> None:
    if not user_has_role(request.user, *READERS):
        raise PermissionDenied(f"This page is for: {', '.join(READERS)}.")


@workspace_page
def bill_list(request: SignedInRequest) -> HttpResponse:
    _require_reader(request)
    form = BillFilterForm(request.GET, scope=working_scope(request))
    bills = form.apply(selectors.bill_list(user=request.user))
    page = CappedCountPaginator(bills, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"title": "Bills", "form": form, "page": page, "query": query.urlencode()}
    return render(request, "workspace/collections/bills.html", context)


@workspace_page
def bill_detail(request: SignedInRequest, bill_id: int) -> HttpResponse:
    _require_reader(request)
    try:
        bill = selectors.bill_get(user=request.user, bill_id=bill_id)
    except NotFoundError as error:
        raise Http404(str(error)) from error
    is_staff = user_has_role(request.user, ROLE_PAYMENTS_STAFF)
    can_collect = is_staff and bill.amount_open > 0
    links = list(
        selectors.payment_link_list(user=request.user, bill_id=bill.pk).order_by("-created_at", "-id")
    )
    cancel_reasons = selectors.payment_link_cancel_reasons(links=links)
    for link in links:
        link.cancel_reason = cancel_reasons.get(link.pk, "")  # type: ignore[attr-defined]  # for the template
    context = {
        "bill": bill,
        "payments": selectors.patient_payment_list(user=request.user, bill_id=bill.pk).order_by(
            "created_at", "id"
        ),
        "links": links,
        "overpaid": bill_overpaid_refund(bill=bill),
        "links_beyond_open": [beyond.link for beyond in bill_links_beyond_open(bill=bill)],
        "can_collect": can_collect,
        # Checkout orders still counting against the bill, for staff to release one the patient
        # gave up on (workspace/collections/release.py).
        "unfinished_orders": bill_open_requests(bill=bill).orders if can_release(request.user) else [],
        # Resend and cancel are calls to the collections API (PaymentLinkResendApi,
        # PaymentLinkCancelApi), which let the same role act; the page offers them to it.
        "can_manage_links": is_staff,
        "manual_methods": ManualMethod.choices,
        "expiry_hours": EXPIRY_HOURS,
        "manual_url": reverse("collections-payment-manual"),
        "link_url": reverse("collections-link-create"),
        # One key per form: submitting twice (a double click, a retry) returns the first payment.
        "counter_idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "workspace/collections/bill.html", context)
