"""SQLite as in `make run`, except that the test suite's flush may empty the money tables.

Django's flush between `transaction=True` tests is a plain DELETE of every table on SQLite,
which the money rows' delete triggers refuse (payouts 0012, collections 0011); SQLite has no
way to disable a trigger. This backend, used only by skinspire.settings.test, drops those
triggers around the flush and creates them again from their stored SQL, in the flush's own
transaction. A database of `make run` keeps refusing the deletes.
"""
