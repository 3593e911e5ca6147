"""Batch payout pages: the batches with an upload form, and one batch's progress.

The pages only read (skinspire.payouts.selectors, tenant-scoped); uploading, approving,
rejecting and the live progress are calls to the batch API from static/workspace/batch.js,
so every rule stays in skinspire.payouts.services.batches.
"""

import csv
import json

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from skinspire.core.errors import NotFoundError
from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_PAYMENT_APPROVER, ROLE_PAYMENTS_STAFF
from skinspire.core.spreadsheets import csv_row_inert
from skinspire.payouts import selectors
from skinspire.payouts.models import AccountKind, SupplierPayment
from skinspire.payouts.services.batches import COLUMNS
from skinspire.workspace.access import SignedInRequest, workspace_page
from skinspire.workspace.payouts.views import PAGE_SIZE, READERS, _require
from skinspire.workspace.templatetags.workspace import status_tone

# The batch's badge (selectors.batch_progress's phase): its status until approved, then
# where its rows stand.
PHASE_LABELS = {
    "pending_approval": "Pending approval",
    "rejected": "Rejected",
    "cancelled": "Cancelled",
    "sending": "Sending",
    "completed": "Completed",
    "finished_with_failures": "Finished with failures",
}


@workspace_page
def batch_list(request: SignedInRequest) -> HttpResponse:
    _require(request, *READERS)
    batches = selectors.batch_list_with_progress(user=request.user)
    page = Paginator(batches.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for batch in page:
        phase = selectors.batch_phase(
            status=batch.status,
            rows=batch.row_count,  # type: ignore[attr-defined]  # annotated by the selector
            finished=batch.finished_count,  # type: ignore[attr-defined]
            completed=batch.completed_count,  # type: ignore[attr-defined]
        )
        rows.append({"batch": batch, "phase": phase, "label": PHASE_LABELS.get(phase, phase)})
    context = {
        "page": page,
        "rows": rows,
        "can_upload": user_has_role(request.user, ROLE_PAYMENTS_STAFF)
        and request.user.hospital_id is not None,
        "columns": COLUMNS,
        "query": "",
    }
    return render(request, "workspace/payouts/batches.html", context)


@workspace_page
def batch_detail(request: SignedInRequest, batch_id: int) -> HttpResponse:
    _require(request, *READERS)
    try:
        batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    except NotFoundError as error:
        raise Http404(str(error)) from error
    progress = selectors.batch_progress(batch=batch)
    labels = dict(SupplierPayment._meta.get_field("status").choices or [])
    statuses = [
        {"status": status, "label": labels.get(status, status), "tone": status_tone(status), **totals}
        for status, totals in progress["by_status"].items()
    ]
    decides = (
        batch.status == "pending_approval"
        and user_has_role(request.user, ROLE_PAYMENT_APPROVER)
        and batch.created_by_id != request.user.pk
    )
    every_label = {**{str(key): str(value) for key, value in labels.items()}, **PHASE_LABELS}
    context = {
        "batch": batch,
        "progress": progress,
        "statuses": statuses,
        "status_labels": json.dumps(every_label),
        "status_tones": json.dumps({key: status_tone(key) for key in every_label}),
        "decides": decides,
        "phase": progress["phase"],
        "phase_label": PHASE_LABELS.get(progress["phase"], progress["phase"]),
        "payments": selectors.batch_rows(batch=batch),
    }
    return render(request, "workspace/payouts/batch.html", context)


@workspace_page
def batch_starting_file(request: SignedInRequest) -> HttpResponse:
    """A CSV to fill in: one line per active account of the hospital's suppliers, with the
    account ids the upload needs (nobody has to look them up) and the mode that fits the
    account. `account_shown` and `can_be_paid` are for the person filling it in; the
    upload ignores columns it does not know. A supplier's name is staff's text: one a
    spreadsheet would run is written inert, and the upload reads it back (csv_row_inert)."""
    _require(request, ROLE_PAYMENTS_STAFF)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="batch-payouts.csv"'
    writer = csv.writer(response)
    writer.writerow([*COLUMNS, "account_shown", "can_be_paid"])
    for account in selectors.supplier_account_list_all(user=request.user).filter(is_active=True):
        mode = "upi" if account.kind == AccountKind.UPI else "neft"
        payable = "yes" if account.is_payable() and account.validation_status != "invalid" else "no"
        writer.writerow(
            csv_row_inert([account.supplier.name, account.pk, "", mode, "", "", account.masked, payable])
        )
    return response
