"""`audited_atomic()`: a transaction whose audit entries join their chains just before it commits.

An entry commits with the change it records, and appending it takes its chain's lock until
that commit (chain.lock_chain). Appended in the middle of a request, the lock is held for
the rest of the request, and every other request of the same hospital that audits waits
that long: the payout benchmark found the server's threads waiting on this lock most of
the time (docs/payouts.md, "Benchmark"). Inside `audited_atomic()` the entries are built
where the change is made (who, what, when, which object) and kept in memory; as the block's
last statements they are appended under the lock (on PostgreSQL one call of
core_audit_append: lock, head, hash, insert) and the block commits. The lock is then held
for the append and the COMMIT only.

Nothing about the chain changes: the same positions, hashes and checks, and an entry that
cannot be appended still fails the change (it is written inside the same transaction).
An entry recorded inside a savepoint that is then rolled back is dropped with it: each
queued entry is also registered as a (no-op) on-commit callback, and Django forgets the
callbacks of a rolled-back savepoint, so only the entries whose callback is still
registered are appended.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from skinspire.core.models import AuditEntry

_QUEUE_ATTRIBUTE = "skinspire_audit_queue"


class QueuedEntry:
    """An entry waiting for the end of its transaction; also its on-commit marker."""

    def __init__(self, entry: AuditEntry):
        self.entry = entry

    def __call__(self) -> None:
        """Run by Django after the commit, when the entry is already written: nothing to do."""


@contextmanager
def audited_atomic() -> Iterator[None]:
    """`transaction.atomic()` that appends the block's audit entries at its end.

    Use it for the outermost transaction of a request or task that audits: nested inside
    another transaction, the lock is held until that one commits, as without it.
    """
    outermost = queue() is None
    with transaction.atomic():
        if not outermost:
            yield
            return
        setattr(connection, _QUEUE_ATTRIBUTE, [])
        try:
            yield
            _append_queued()
        finally:
            setattr(connection, _QUEUE_ATTRIBUTE, None)


def queue() -> list[QueuedEntry] | None:
    """The current audited_atomic() block's queue on this connection, if one is open."""
    return getattr(connection, _QUEUE_ATTRIBUTE, None)


def entry_queue(entry: AuditEntry) -> bool:
    """Queue `entry` for the end of the open audited_atomic() block; False if none is open."""
    pending = queue()
    if pending is None:
        return False
    queued = QueuedEntry(entry)
    transaction.on_commit(queued)
    pending.append(queued)
    return True


def _append_queued() -> None:
    # Local import: services imports this module for entry_queue.
    from skinspire.core.audit.services import entries_append

    registered = {id(item[1]) for item in connection.run_on_commit}  # (savepoint ids, callback, robust)
    entries_append([queued.entry for queued in queue() or [] if id(queued) in registered])
