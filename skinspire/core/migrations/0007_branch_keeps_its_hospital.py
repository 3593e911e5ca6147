"""A branch's hospital never changes, enforced by the database.

Bills, patient payments, refunds, payment links, supplier payments and gateway
configurations are checked, when written, to name a branch of their own hospital (payouts
0011, collections 0010, gateways 0012). Moving the branch afterwards would put all of them in
another hospital's books at once, with nothing refused; so it never moves (admin shows the
hospital read-only once the branch exists). The SQL is built by skinspire.core.database_rules.
"""

from django.db import migrations

from skinspire.core.database_rules import install, table_rules

RULES = (table_rules("core_branch", "core: branch", ("hospital_id",), "hospital"),)

FORWARDS, BACKWARDS = install(RULES, app="core", migration="core migration 0007")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_append_function")]

    operations = [migrations.RunPython(FORWARDS, BACKWARDS)]
