"""The append-only, hash-chained audit log (docs/security.md, "Audit log").

Other apps call `audit_entry_record(action=..., target=..., changes=...)` from their
services; it writes in the caller's transaction, so a rolled-back change leaves no entry. A request
that audits on a hot path opens its transaction with `audited_atomic()`, which appends the
entries just before the commit (deferred.py).
"""

from skinspire.core.audit.deferred import audited_atomic
from skinspire.core.audit.services import SECRET_CHANGED, audit_entry_record
from skinspire.core.models import AuditEntry

__all__ = ["SECRET_CHANGED", "AuditEntry", "audit_entry_record", "audited_atomic"]
