"""A gateway configuration's hospital never changes, and its branch is of that hospital,
enforced by the database.

Payments, payment links, supplier accounts' gateway links, reconciliation runs and
discrepancies are checked, when written, to name a configuration of their own hospital
(payouts 0011, collections 0010, reconciliation 0010). Moving the configuration afterwards
would put all of them in another hospital's books at once, with nothing refused. So it never
moves: a configuration made for the wrong hospital is replaced by a new one there (the
service refuses the change with a message first; admin shows the hospital read-only). The
SQL is built by skinspire.core.database_rules, as the payouts' rules are.
"""

from django.db import migrations

from skinspire.core.database_rules import install, names, table_rules

RULES = (
    table_rules(
        "gateways_gatewayconfiguration",
        "gateways: gateway configuration",
        ("hospital_id",),
        "hospital",
        names("branch", "core_branch", "branch_id", "branch", hospital_id="{row}.hospital_id"),
    ),
)

FORWARDS, BACKWARDS = install(RULES, app="gateways", migration="gateways migration 0012")


class Migration(migrations.Migration):
    dependencies = [("gateways", "0011_webhook_roles"), ("core", "0007_branch_keeps_its_hospital")]

    operations = [migrations.RunPython(FORWARDS, BACKWARDS)]
