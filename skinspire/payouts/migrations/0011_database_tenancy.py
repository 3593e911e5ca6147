"""Tenancy of the payout rows, enforced by the database and not only by the services.

Every hospital-owned row a payout row names belongs to that row's hospital: a payment's
branch, supplier, account (also of the payment's supplier), gateway configuration, batch and
the payment it retries; an allocation's invoice is of its payment's hospital and supplier; an
account's and an invoice's supplier, an account's validation configuration, a gateway link's
configuration. A row's hospital and the party it belongs to never change after insert.

PostgreSQL: a statement-level AFTER INSERT trigger over the transition table, one query per
statement (as ledger/0005), and a BEFORE UPDATE row trigger whose WHEN lets through, without
a call, every update that changes none of the columns concerned. SQLite: row triggers,
BEFORE INSERT and BEFORE UPDATE of those columns. Rows already stored are checked first. The
SQL is built by skinspire.core.database_rules; docs/payouts.md has the list. On SQLite a
later migration that rebuilds one of these tables (or a table they read) must drop these
triggers first and create them again after: SQLite refuses to rename a table into place
while a trigger names a table that is missing.
"""

from django.db import migrations

from skinspire.core.database_rules import install, names, table_rules

HOSPITAL = {"hospital_id": "{row}.hospital_id"}
HOSPITAL_AND_SUPPLIER = {**HOSPITAL, "supplier_id": "{row}.supplier_id"}

RULES = (
    table_rules("payouts_supplier", "payouts: supplier", ("hospital_id",), "hospital"),
    table_rules("payouts_payoutbatch", "payouts: payout batch", ("hospital_id",), "hospital"),
    table_rules(
        "payouts_supplieraccount",
        "payouts: supplier account",
        ("hospital_id", "supplier_id"),
        "hospital and supplier",
        names("supplier", "payouts_supplier", "supplier_id", "supplier", **HOSPITAL),
        names(
            "validation_configuration",
            "gateways_gatewayconfiguration",
            "validation_configuration_id",
            "validation configuration",
            **HOSPITAL,
        ),
    ),
    table_rules(
        "payouts_supplierinvoice",
        "payouts: supplier invoice",
        ("hospital_id", "supplier_id"),
        "hospital and supplier",
        names("supplier", "payouts_supplier", "supplier_id", "supplier", **HOSPITAL),
    ),
    table_rules(
        "payouts_supplieraccountgatewaylink",
        "payouts: account gateway link",
        ("account_id",),
        "account",
        names("account", "payouts_supplieraccount", "account_id", "account"),
        names(
            "configuration",
            "gateways_gatewayconfiguration",
            "configuration_id",
            "gateway configuration",
            hospital_id="account.hospital_id",
        ),
    ),
    table_rules(
        "payouts_supplierpayment",
        "payouts: supplier payment",
        ("hospital_id", "supplier_id"),
        "hospital and supplier",
        names("branch", "core_branch", "branch_id", "branch", **HOSPITAL),
        names("supplier", "payouts_supplier", "supplier_id", "supplier", **HOSPITAL),
        names("account", "payouts_supplieraccount", "account_id", "account", **HOSPITAL_AND_SUPPLIER),
        names(
            "configuration",
            "gateways_gatewayconfiguration",
            "configuration_id",
            "gateway configuration",
            **HOSPITAL,
        ),
        names("batch", "payouts_payoutbatch", "batch_id", "batch", **HOSPITAL),
        names(
            "retried", "payouts_supplierpayment", "retry_of_id", "retried payment", **HOSPITAL_AND_SUPPLIER
        ),
    ),
    table_rules(
        "payouts_paymentallocation",
        "payouts: payment allocation",
        ("payment_id", "invoice_id"),
        "payment and invoice",
        names("payment", "payouts_supplierpayment", "payment_id", "payment"),
        names(
            "invoice",
            "payouts_supplierinvoice",
            "invoice_id",
            "invoice",
            hospital_id="payment.hospital_id",
            supplier_id="payment.supplier_id",
        ),
    ),
)

FORWARDS, BACKWARDS = install(RULES, app="payouts", migration="payouts migration 0011")


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0010_payout_link_failed_attempts"),
        # After every migration so far that could rebuild a table these triggers read (SQLite).
        ("core", "0006_audit_append_function"),
        ("gateways", "0011_webhook_roles"),
    ]

    operations = [migrations.RunPython(FORWARDS, BACKWARDS)]
