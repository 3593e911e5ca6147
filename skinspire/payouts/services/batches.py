"""Batch payouts: a CSV or Excel file of payouts, every row validated before anything is
kept, approved as one by a Payment approver who is not its maker, then sent at a rate the
gateway accepts. Each row is its own SupplierPayment, so a row that fails stops no other.

Columns: supplier (name), account (its id, as the bank-accounts API lists), amount (rupees),
mode (upi/imps/neft/rtgs), invoices (numbers separated by ";", paid oldest first up to what
each has open), reference (unique: it is the payment's idempotency key).
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from import_export.formats.base_formats import CSV, XLSX

from skinspire.core import json_input
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.models import Hospital, User
from skinspire.core.money import MoneyError, amount_from_text, format_inr
from skinspire.core.spreadsheets import (
    CSV_FORMULA_STARTS,
    UNREADABLE,
    cell_text,
    formula_like,
    formula_restored,
    workbook_unpacked_size_check,
)
from skinspire.core.tenancy import user_may_see
from skinspire.core.text import counted
from skinspire.core.transitions import transition
from skinspire.payouts.dispatch_rate import dispatch_rate
from skinspire.payouts.models import (
    PaymentMethod,
    PayoutBatch,
    Supplier,
    SupplierAccount,
    SupplierInvoice,
    SupplierPayment,
)
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import _check_checker, _moved
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create

COLUMNS = ("supplier", "account", "amount", "mode", "invoices", "reference")
MAX_ROWS = 1000
FORMATS = {"csv": CSV, "xlsx": XLSX}
# The supplier column is only looked up among the hospital's suppliers, whose names may start
# with "=" (or +, -, @): the starting file writes such a name inert, with an apostrophe, and a
# spreadsheet may hand it back with or without one. The other columns are kept (a reference
# becomes the payment's description and key) or read as numbers: never a formula.
FORMULAS_REFUSED_IN = tuple(column for column in COLUMNS if column != "supplier")


class BatchInvalidError(ApplicationError):
    """Some rows are wrong: `extra["rows"]` maps each row number (from 2, after the header) to its problems."""


def _rows_refused(errors: dict[int, list[str]], rows: list[dict]) -> BatchInvalidError:
    """ "1 of 2 rows needs correcting", "6 of 7 rows need correcting", "1 of 1 row needs ..."."""
    verb = "needs" if len(errors) == 1 else "need"
    return BatchInvalidError(
        f"{len(errors)} of {counted(len(rows), 'row')} {verb} correcting; nothing was created.",
        {"rows": errors},
    )


def batch_rows_read(*, content: bytes, file_format: str) -> list[dict]:
    reader = FORMATS.get(file_format)
    if reader is None:
        raise ApplicationError("Upload a .csv or .xlsx file.", {"fields": {"file": ["format"]}})
    try:
        if file_format == "xlsx":
            workbook_unpacked_size_check(content)
        dataset = reader().create_dataset(content.decode("utf-8-sig") if file_format == "csv" else content)
    except UNREADABLE as error:  # UnicodeDecodeError is a ValueError
        raise ApplicationError(
            "The file could not be read as a table.", {"fields": {"file": ["unreadable"]}}
        ) from error
    if not all(json_input.storable(str(cell)) for row in dataset for cell in row if cell is not None):
        # Text the database cannot store (PostgreSQL refuses NUL): a corrupt file, not a row to correct.
        raise ApplicationError(
            "The file holds a NUL character (U+0000).", {"fields": {"file": ["unreadable"]}}
        )
    headers = [str(header or "").strip().lower() for header in (dataset.headers or [])]
    missing = [column for column in COLUMNS if column not in headers]
    if missing:
        raise ApplicationError(
            f"The file lacks the columns: {', '.join(missing)}.",
            {"fields": {"file": ["columns"]}, "missing": missing},
        )
    if not 1 <= len(dataset) <= MAX_ROWS:
        raise ApplicationError(f"A batch has 1 to {MAX_ROWS} rows.", {"fields": {"file": ["rows"]}})
    rows = [
        {header: cell_text(value) for header, value in zip(headers, row, strict=False)} for row in dataset
    ]
    _formulas_refuse(rows)
    for row in rows:
        row["supplier"] = formula_restored(row["supplier"], CSV_FORMULA_STARTS)
    return rows


def _formulas_refuse(rows: list[dict]) -> None:
    """A cell starting with "=" is a spreadsheet formula typed as text (or injected): no
    amount or reference is one, and a reference kept would come back out in the pages and
    files staff open."""
    errors = {
        number: [f"{column}: starts with '=', a spreadsheet formula, not a value." for column in formulas]
        for number, row in enumerate(rows, start=2)
        if (formulas := [column for column in FORMULAS_REFUSED_IN if formula_like(row.get(column))])
    }
    if errors:
        raise _rows_refused(errors, rows)


def payout_batch_create(
    *, hospital: Hospital, maker: User, name: str, file_name: str, rows: list[dict]
) -> PayoutBatch:
    """All rows become draft payments of a new batch, or none do (BatchInvalidError)."""
    errors: dict[int, list[str]] = {}
    with transaction.atomic():
        batch = PayoutBatch.objects.create(
            hospital=hospital, name=name, file_name=file_name, created_by=maker
        )
        for number, row in enumerate(rows, start=2):
            try:
                with transaction.atomic():
                    request = _row_request(hospital, row)
                    used = SupplierPayment.objects.filter(
                        hospital=hospital, idempotency_key=request.idempotency_key
                    ).first()
                    if used is not None:
                        # Named only to a maker who may see it (core.idempotency).
                        named = f" (payment {used.reference})" if user_may_see(maker, used) else ""
                        raise ConflictError(f"Reference {row['reference']} was already used{named}.")
                    payment, _ = supplier_payment_create(request=request, maker=maker)
                    payment.batch, payment.batch_row = batch, number
                    payment.save(update_fields=["batch", "batch_row", "updated_at"])
            except ApplicationError as error:
                errors[number] = [error.message]
        if errors:
            transaction.set_rollback(True)
        else:
            audit_entry_record(
                action="payouts.batch.create",
                actor=maker,
                target=batch,
                hospital=hospital,
                changes={"rows": {"from": None, "to": len(rows)}},
            )
    if errors:
        raise _rows_refused(errors, rows)
    return batch


def _row_request(hospital: Hospital, row: dict) -> PaymentRequest:
    supplier = Supplier.objects.filter(hospital=hospital, name=row["supplier"]).first()
    if supplier is None:
        raise ApplicationError(f"No supplier named '{row['supplier']}'.")
    account = SupplierAccount.objects.filter(supplier=supplier, pk=_number(row["account"])).first()
    if account is None:
        raise ApplicationError(f"'{row['account']}' is not one of {supplier}'s account ids.")
    try:
        amount = amount_from_text(row["amount"])
    except MoneyError as error:
        raise ApplicationError(f"Amount: {error.message}") from error
    if not row["reference"]:
        raise ApplicationError("Each row needs a reference.")
    return PaymentRequest(
        supplier=supplier,
        account=account,
        amount=amount,
        method=PaymentMethod.GATEWAY_PAYOUT,
        mode=row["mode"].lower(),
        invoices=_shares(supplier, row["invoices"], amount),
        idempotency_key=f"batch:{row['reference']}"[:100],
        description=row["reference"][:200],
    )


def _number(text: str) -> int:
    # ASCII digits alone: isdigit() also takes "²" (which int() refuses) and "١" (read as 1).
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else 0


def _shares(supplier: Supplier, numbers: str, amount: Decimal) -> list[AllocationRequest]:
    wanted = [number.strip() for number in numbers.split(";") if number.strip()]
    invoices = {
        invoice.number: invoice
        for invoice in SupplierInvoice.objects.filter(supplier=supplier, number__in=wanted)
    }
    unknown = [number for number in wanted if number not in invoices]
    if unknown:
        raise ApplicationError(f"Unknown invoices of {supplier}: {', '.join(unknown)}.")
    shares, left = [], amount
    for invoice in sorted(
        (invoices[number] for number in wanted), key=lambda item: (item.invoice_date, item.pk)
    ):
        share = min(left, invoice.amount_open)
        if share > 0:
            shares.append(AllocationRequest(invoice.pk, share))
            left -= share
    if wanted and left > 0:
        raise ApplicationError(
            f"The invoices have {format_inr(amount - left)} open, less than {format_inr(amount)}."
        )
    return shares


def payout_batch_approve(*, batch: PayoutBatch, approver: User) -> PayoutBatch:
    """Approve every row at once, then send them spread at PAYOUT_DISPATCH_RATE_PER_SECOND."""
    _check_checker(batch, approver)
    with transaction.atomic():
        _moved(transition(instance=batch, to="approved", reason="Batch approved", actor=approver), batch)
        batch.approved_by, batch.approved_at = approver, timezone.now()
        batch.save(update_fields=["approved_by", "approved_at", "updated_at"])
        payment_ids = []
        for payment in batch.payments.filter(status="draft").order_by("batch_row"):
            transition(
                instance=payment, to="approved", reason=f"Approved with batch {batch.pk}", actor=approver
            )
            payment.approved_by, payment.approved_at = approver, batch.approved_at
            payment.save(update_fields=["approved_by", "approved_at", "updated_at"])
            payment_ids.append(payment.pk)
        audit_entry_record(
            action="payouts.batch.approve",
            actor=approver,
            target=batch,
            changes={"status": {"from": "pending_approval", "to": "approved"}},
        )
        transaction.on_commit(lambda: _dispatch_spread(payment_ids))
    return batch


def payout_batch_reject(*, batch: PayoutBatch, approver: User, reason: str) -> PayoutBatch:
    from skinspire.payouts.services.allocations import allocations_release

    if not (reason or "").strip():
        raise ApplicationError("Say why the batch is rejected.", {"fields": {"reason": ["required"]}})
    _check_checker(batch, approver)
    with transaction.atomic():
        _moved(transition(instance=batch, to="rejected", reason=reason.strip(), actor=approver), batch)
        batch.rejection_reason = reason.strip()
        batch.save(update_fields=["rejection_reason", "updated_at"])
        for payment in batch.payments.filter(status="draft"):
            # A row cancelled on its own since it was read here freed its share then.
            record = transition(
                instance=payment, to="cancelled", reason=f"Batch {batch.pk} rejected", actor=approver
            )
            if record.applied:
                allocations_release(payment=payment)
        audit_entry_record(
            action="payouts.batch.reject",
            actor=approver,
            target=batch,
            message=reason.strip(),
            changes={"status": {"from": "pending_approval", "to": "rejected"}},
        )
    return batch


def _dispatch_spread(payment_ids: list[int]) -> None:
    from skinspire.payouts.tasks import supplier_payment_dispatch_task

    rate = dispatch_rate()
    for position, payment_id in enumerate(payment_ids):
        supplier_payment_dispatch_task.apply_async(args=[payment_id], countdown=position // rate)
