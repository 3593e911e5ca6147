"""Row locks, in one module (Saleor's lock_objects.py).

Every write that reads a row, decides, then writes it back (a status move, a balance, a
retry counter) first locks the row here, inside `transaction.atomic()`, so two workers
deciding at once cannot both win. The lock lives until the outermost transaction ends.

`FOR NO KEY UPDATE` rather than `FOR UPDATE`: it excludes every other locker and writer
of the row just the same, but still lets other transactions insert rows that reference it
by foreign key (a transaction-log line for a payout being settled), which `FOR UPDATE`
would make wait. SQLite has no row locks; there a write transaction locks the whole
database, which is stricter still.
"""

from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.transaction import TransactionManagementError

ModelT = TypeVar("ModelT", bound=models.Model)


class LockOutsideTransactionError(TransactionManagementError):
    """A row lock taken in autocommit mode would be released by the very statement that took it."""


def ensure_in_transaction(*, using: str = DEFAULT_DB_ALIAS) -> None:
    if not connections[using].in_atomic_block:
        raise LockOutsideTransactionError(
            "Row locks only hold inside a transaction: call this within `with transaction.atomic():`."
        )


def lock_queryset(queryset: models.QuerySet[ModelT]) -> models.QuerySet[ModelT]:
    """The rows of `queryset`, locked in primary-key order when evaluated.

    One order for every locker, so two transactions locking overlapping sets never wait
    on each other in a cycle (a deadlock).
    """
    ensure_in_transaction(using=queryset.db)
    return queryset.select_for_update(no_key=_no_key(queryset.db)).order_by("pk")


def lock_rows(queryset: models.QuerySet[ModelT]) -> list[ModelT]:
    """Lock and return every row of `queryset` now."""
    return list(lock_queryset(queryset))


def lock_row(model: type[ModelT], *, pk, related: tuple[str, ...] = ()) -> ModelT:
    """The row `pk` of `model`, freshly read and locked. Raises `model.DoesNotExist`.

    `related`: foreign keys to read in the same statement (select_related), when the caller
    needs them anyway; only the row itself is locked (`OF` the model's table), as without
    them, and PostgreSQL could not lock the nullable side of an outer join in any case.

    Through the base manager: a lock is about the row, whatever a default manager hides."""
    queryset = lock_queryset(model._base_manager.filter(pk=pk))
    if related:
        queryset = queryset.select_related(*related).select_for_update(
            no_key=_no_key(queryset.db), of=("self",)
        )
    return queryset.get()


def lock_instance(instance: ModelT) -> ModelT:
    """A fresh, locked copy of `instance`'s row: what the database holds now, not what
    `instance` remembers."""
    return lock_row(type(instance), pk=instance.pk)


def lock_name(name: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Serialize the holders of one name (no row stands for it) until the transaction ends.

    A transaction-level advisory lock on PostgreSQL: a second holder waits here, then reads
    what the first committed. SQLite needs none: its write transactions begin IMMEDIATE
    (settings), one writer at a time."""
    ensure_in_transaction(using=using)
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])


def _no_key(using: str) -> bool:
    return connections[using].features.has_select_for_no_key_update
