"""Payout reads, scoped to the user's hospital and branches (skinspire.core.tenancy)."""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from skinspire.core.models import Hospital, StatusTransition, User
from skinspire.core.permissions import request_has_role, user_has_role
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tenancy import get_scoped_object_or_404, scope_queryset
from skinspire.payouts.models import (
    PaymentAllocation,
    PayoutBatch,
    Supplier,
    SupplierAccount,
    SupplierInvoice,
    SupplierPayment,
)


def supplier_get(*, user: User, supplier_id: int) -> Supplier:
    return get_scoped_object_or_404(Supplier.objects.all(), user, pk=supplier_id)


def supplier_list(*, user: User) -> QuerySet[Supplier]:
    return scope_queryset(Supplier.objects.all(), user)


def supplier_account_list(*, user: User, supplier_id: int) -> QuerySet[SupplierAccount]:
    supplier = supplier_get(user=user, supplier_id=supplier_id)
    # Deferred: listing never decrypts an account number or UPI id.
    return supplier.accounts.defer("account_number", "vpa").order_by("id")


def supplier_account_list_all(*, user: User) -> QuerySet[SupplierAccount]:
    """Every account of the user's suppliers, by supplier; numbers deferred, never decrypted."""
    return (
        SupplierAccount.objects.filter(supplier__in=supplier_list(user=user))
        .select_related("supplier")
        .defer("account_number", "vpa")
        .order_by("supplier__name", "id")
    )


def supplier_account_get(*, user: User, account_id: int) -> SupplierAccount:
    queryset = SupplierAccount.objects.select_related("supplier__hospital")
    return get_scoped_object_or_404(queryset, user, pk=account_id)


def account_supplier_in_scope(*, account: SupplierAccount, supplier_id: int) -> Supplier | None:
    """The account's supplier, already read with it, when it is `supplier_id` and in the same
    hospital as the account (which the user's scope admitted), so `supplier_get` would
    return it too; else None, and the caller looks the supplier up."""
    supplier = account.supplier
    if supplier.pk == supplier_id and supplier.hospital_id == account.hospital_id:
        return supplier
    return None


def supplier_invoice_list(*, user: User, supplier_id: int) -> QuerySet[SupplierInvoice]:
    return supplier_get(user=user, supplier_id=supplier_id).invoices.order_by("invoice_date", "id")


def payment_list(*, user: User, filters: dict) -> QuerySet[SupplierPayment]:
    queryset = scope_queryset(
        SupplierPayment.objects.select_related("configuration", "account", "created_by", "approved_by"), user
    ).prefetch_related("allocations__invoice")
    for name in ("status", "method", "mode", "supplier_id"):
        if filters.get(name) not in (None, ""):
            queryset = queryset.filter(**{name: filters[name]})
    # Newest first by id, which the primary key's index serves (no sort of every payment).
    return queryset.defer("account__account_number", "account__vpa").order_by("-id")


# What a search matches is looked up first, each part through its index, and the payments'
# query names the payments and suppliers found: PostgreSQL then knows how few they are and
# reads them through the primary key's and the supplier's indexes. Its own guess for a part
# of a reference is too high, and with the page's LIMIT (1 when one payment matches) it would
# walk the newest payments looking for one that is old. Past these counts the term is
# common, and that walk meets its matches at once.
PAYMENTS_LOOKED_UP = 1_000
SUPPLIERS_LOOKED_UP = 2_000
INVOICES_LOOKED_UP = 1_000


def payment_search(*, term: str, hospital: Hospital | None = None) -> Q:
    """Supplier payments whose reference or manual reference (a cheque number) contains `term`,
    whose UTR or gateway payout id is it, whose supplier's name contains it, or that settle an
    invoice whose number contains it; any case. `hospital` narrows what is looked up (the
    caller scopes the payments themselves).

    No join: a condition on the joined supplier and invoices (through the allocations) had
    every payment of the year joined to them, de-duplicated (DISTINCT over every column) and
    sorted before the page's first 50 were taken (2-5 s at a year's volume, for a word
    hundreds of suppliers share as for a name nobody has: bench/big_lists/README.md). On
    PostgreSQL each part has an index (payouts migration 0015: trigram indexes of the
    payment's searched columns and of invoice numbers; a hospital's suppliers are few enough
    to read)."""
    own = payment_columns_match(term=term)
    payments = SupplierPayment.objects.filter(own)
    suppliers = Supplier.objects.filter(name__icontains=term)
    invoices = SupplierInvoice.objects.filter(number__icontains=term)
    if hospital is not None:
        payments = payments.filter(hospital=hospital)
        suppliers = suppliers.filter(hospital=hospital)
        invoices = invoices.filter(hospital=hospital)
    settling = PaymentAllocation.objects.filter(invoice__in=invoices.values("pk"))
    return (
        _named_or(own, payments, "pk", PAYMENTS_LOOKED_UP)
        | _named_or(
            Q(supplier__in=suppliers.values("pk")), suppliers, "pk", SUPPLIERS_LOOKED_UP, "supplier_id"
        )
        | _named_or(Q(pk__in=settling.values("payment_id")), settling, "payment_id", INVOICES_LOOKED_UP)
    )


def payment_columns_match(*, term: str) -> Q:
    """The payment's own searched columns (one trigram index of the four on PostgreSQL)."""
    return (
        Q(reference__icontains=term)
        | Q(utr__iexact=term)
        | Q(gateway_payout_id__iexact=term)
        | Q(manual_reference__icontains=term)
    )


def _named_or(condition: Q, rows: QuerySet, column: str, limit: int, field: str = "pk") -> Q:
    """`field` in the `column` of `rows` named one by one, if at most `limit`; else `condition`."""
    found = _first(rows, column, limit + 1)
    return condition if len(found) > limit else Q(**{f"{field}__in": found})


def _first(rows: QuerySet, column: str, limit: int) -> list[int]:
    return list(rows.order_by().values_list(column, flat=True)[:limit])


def payment_get(*, user: User, payment_id: int) -> SupplierPayment:
    queryset = SupplierPayment.objects.select_related("configuration", "account", "created_by", "approved_by")
    return get_scoped_object_or_404(queryset, user, pk=payment_id)


def payment_history(*, payment: SupplierPayment) -> QuerySet[StatusTransition]:
    return (
        StatusTransition.objects.filter(
            content_type__app_label="payouts",
            content_type__model="supplierpayment",
            object_id=str(payment.pk),
        )
        .select_related("actor")
        .order_by("occurred_at", "id")
    )


def batch_list(*, user: User) -> QuerySet[PayoutBatch]:
    return scope_queryset(PayoutBatch.objects.select_related("created_by", "approved_by"), user)


def batch_get(*, user: User, batch_id: int) -> PayoutBatch:
    return get_scoped_object_or_404(
        PayoutBatch.objects.select_related("created_by", "approved_by"), user, pk=batch_id
    )


FINISHED = ("completed", "failed", "reversed", "rejected", "cancelled")


def batch_progress(*, batch: PayoutBatch) -> dict:
    """Counts and amounts by status, and how many rows have reached an end."""
    rows = (
        batch.payments.values("status").annotate(count=Count("id"), amount=Sum("amount")).order_by("status")
    )
    by_status = {row["status"]: {"count": row["count"], "amount": f"{row['amount']:.2f}"} for row in rows}
    total = sum(item["count"] for item in by_status.values())
    finished = sum(item["count"] for status, item in by_status.items() if status in FINISHED)
    amount = sum((Decimal(item["amount"]) for item in by_status.values()), Decimal("0.00"))
    completed = by_status.get("completed", {}).get("count", 0)
    return {
        "rows": total,
        "finished": finished,
        "total_amount": f"{amount:.2f}",
        "by_status": by_status,
        "phase": batch_phase(status=batch.status, rows=total, finished=finished, completed=completed),
    }


def batch_list_with_progress(*, user: User) -> QuerySet[PayoutBatch]:
    """The batches a user may see, each with its rows, amount and what `batch_phase` needs,
    counted in the same query (no query per batch)."""
    return batch_list(user=user).annotate(
        row_count=Count("payments"),
        total_amount=Sum("payments__amount"),
        finished_count=Count("payments", filter=Q(payments__status__in=FINISHED)),
        completed_count=Count("payments", filter=Q(payments__status="completed")),
    )


def batch_phase(*, status: str, rows: int, finished: int, completed: int) -> str:
    """Where an approved batch stands, which its own status (approved, for good) does not
    say: sending until every row has ended, then completed, or finished_with_failures."""
    if status != "approved":
        return status
    if finished < rows:
        return "sending"
    return "completed" if completed == rows else "finished_with_failures"


def batch_rows(*, batch: PayoutBatch) -> QuerySet[SupplierPayment]:
    """The batch's payments in file order, with what their rows show."""
    return (
        batch.payments.select_related("supplier", "account")
        .defer("account__account_number", "account__vpa")
        .order_by("batch_row")
    )


def payout_link_url_visible(user, *, request=None) -> bool:
    """Whoever holds a payout link's address can claim the money to an account of their
    choosing, so it is shown only to those who send it: Payments staff (and superusers).
    Approvers and accountants see that a link exists and its status, not the address.
    Given the request (of `user`), its roles are read once for all its questions."""
    if request is not None:
        return request_has_role(request, ROLE_PAYMENTS_STAFF)
    return user_has_role(user, ROLE_PAYMENTS_STAFF)
