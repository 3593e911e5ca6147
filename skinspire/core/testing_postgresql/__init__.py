"""PostgreSQL as in production, except that the test suite's flush may empty the audit log.

Django's flush between `transaction=True` tests is one TRUNCATE of every table, which the
audit log's trigger refuses (migrations/0003_audit_log.py). This backend, used only by
skinspire.settings.test, disables that one trigger around the flush, inside the flush's own
transaction, so no other session ever sees the log unguarded. Production keeps refusing
`manage.py flush`.
"""
