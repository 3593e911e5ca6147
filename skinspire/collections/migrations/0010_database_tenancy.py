"""Tenancy of the collection rows, enforced by the database and not only by the services.

Every hospital-owned row a collection row names belongs to that row's hospital: a bill's
branch and patient; a payment's and a payment link's branch, bill (also of the same branch)
and gateway configuration; a payment's payment link (also for the same bill); a refund's
branch and payment (also of the same branch). A row's hospital and the party it belongs to
(a bill's patient and branch, a payment's or link's bill, a refund's payment) never change
after insert.

PostgreSQL: a statement-level AFTER INSERT trigger over the transition table, one query per
statement (as ledger/0005), and a BEFORE UPDATE row trigger whose WHEN lets through, without
a call, every update that changes none of the columns concerned. SQLite: row triggers,
BEFORE INSERT and BEFORE UPDATE of those columns. Rows already stored are checked first. The
SQL is built by skinspire.core.database_rules; docs/collections.md has the list. On SQLite a
later migration that rebuilds one of these tables (or a table they read) must drop these
triggers first and create them again after: SQLite refuses to rename a table into place
while a trigger names a table that is missing.
"""

from django.db import migrations

from skinspire.core.database_rules import install, names, table_rules

HOSPITAL = {"hospital_id": "{row}.hospital_id"}
HOSPITAL_AND_BRANCH = {**HOSPITAL, "branch_id": "{row}.branch_id"}


def configuration():
    return names(
        "configuration",
        "gateways_gatewayconfiguration",
        "configuration_id",
        "gateway configuration",
        **HOSPITAL,
    )


RULES = (
    table_rules("collections_patient", "collections: patient", ("hospital_id",), "hospital"),
    table_rules(
        "collections_bill",
        "collections: bill",
        ("hospital_id", "branch_id", "patient_id"),
        "hospital, branch and patient",
        names("branch", "core_branch", "branch_id", "branch", **HOSPITAL),
        names("patient", "collections_patient", "patient_id", "patient", **HOSPITAL),
    ),
    table_rules(
        "collections_paymentlink",
        "collections: payment link",
        ("hospital_id", "bill_id"),
        "hospital and bill",
        names("branch", "core_branch", "branch_id", "branch", **HOSPITAL),
        names("bill", "collections_bill", "bill_id", "bill", **HOSPITAL_AND_BRANCH),
        configuration(),
    ),
    table_rules(
        "collections_patientpayment",
        "collections: patient payment",
        ("hospital_id", "bill_id"),
        "hospital and bill",
        names("branch", "core_branch", "branch_id", "branch", **HOSPITAL),
        names("bill", "collections_bill", "bill_id", "bill", **HOSPITAL_AND_BRANCH),
        configuration(),
        names(
            "payment_link",
            "collections_paymentlink",
            "payment_link_id",
            "payment link",
            **HOSPITAL,
            bill_id="{row}.bill_id",
        ),
    ),
    table_rules(
        "collections_patientrefund",
        "collections: patient refund",
        ("hospital_id", "payment_id"),
        "hospital and payment",
        names("branch", "core_branch", "branch_id", "branch", **HOSPITAL),
        names("payment", "collections_patientpayment", "payment_id", "payment", **HOSPITAL_AND_BRANCH),
    ),
)

FORWARDS, BACKWARDS = install(RULES, app="collections", migration="collections migration 0010")


class Migration(migrations.Migration):
    dependencies = [
        ("collections", "0009_source_without_choices"),
        # After every migration so far that could rebuild a table these triggers read (SQLite).
        ("core", "0006_audit_append_function"),
        ("gateways", "0011_webhook_roles"),
    ]

    operations = [migrations.RunPython(FORWARDS, BACKWARDS)]
