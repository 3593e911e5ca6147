"""The storage migrations: 0004-0006 move the public identifiers out of their encrypted
columns into plain ones, 0007-0009 the per-provider encrypted columns into one encrypted
JSON; and back. No secret is in clear in the database at any step.

Each pair is one test, forwards then back: each fixture migrates the schema down and up again
(some 15 s a round trip), and the way back starts where the way forwards ends."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("gateways", "0003_secret_visibility_roles")]
# The tenancy migrations whose SQLite triggers name the configurations' table. They go back first:
# 0004-0009 rebuild that table on SQLite, which refuses to while another table's trigger names
# it, and nothing orders these after those (they depend on later gateways migrations or on none).
# 0007-0009 rebuild it too.
TRIGGERS_NAMING_CONFIGURATIONS = [
    ("reconciliation", "0009_discrepancy_references_checked_per_statement"),
    ("payouts", "0010_payout_link_failed_attempts"),
    ("collections", "0009_source_without_choices"),
]
AFTER = [("gateways", "0006_remove_encrypted_identifiers")]


def migrate(targets, *, first=()):
    """The apps at `targets`, after migrating to `first`, then to `targets`: one plan, so the
    project's states (most of a migration's time here) are computed once for both."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([*first, *targets])
    return executor.loader.project_state(targets).apps


def columns(pk: int, *names: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(names)} FROM gateways_gatewayconfiguration WHERE id = %s", [pk])
        return dict(zip(names, cursor.fetchone(), strict=True))


@pytest.fixture
def old_rows():
    """A Razorpay and a Paytm configuration as 0003 stored them; the latest schema after."""
    apps = migrate(BEFORE, first=TRIGGERS_NAMING_CONFIGURATIONS)
    hospital = apps.get_model("core", "Hospital").objects.create(name="Migrated", code="migrated")
    configuration = apps.get_model("gateways", "GatewayConfiguration")
    razorpay = configuration.objects.create(
        hospital=hospital,
        name="Razorpay",
        provider="razorpay",
        razorpay_key_id="rzp_test_Migrated0001",
        razorpay_key_secret="migrated_key_secret_01",
        razorpayx_account_number="7878780055554444",
    )
    paytm = configuration.objects.create(
        hospital=hospital,
        name="Paytm",
        provider="paytm",
        paytm_mid="MIGRTD00000000000001",
        paytm_merchant_key="MigratedKey12345",
    )
    yield razorpay.pk, paytm.pk
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_forwards_copies_the_identifiers_into_plain_columns_and_backwards_puts_them_back_encrypted(old_rows):
    razorpay, paytm = old_rows

    migrate(AFTER)

    names = ("key_id", "merchant_id", "account_number", "razorpay_key_secret", "paytm_merchant_key")
    stored = columns(razorpay, *names)
    assert (stored["key_id"], stored["merchant_id"], stored["account_number"]) == (
        "rzp_test_Migrated0001",
        "",  # Razorpay's account id was never stored: a gateway admin enters it
        "7878780055554444",
    )
    assert stored["razorpay_key_secret"].startswith("gAAAA")
    stored = columns(paytm, *names)
    assert (stored["key_id"], stored["merchant_id"], stored["account_number"]) == (
        "MIGRTD00000000000001",
        "MIGRTD00000000000001",
        "",
    )
    assert stored["paytm_merchant_key"].startswith("gAAAA")

    apps = migrate(BEFORE)

    names = ("razorpay_key_id", "razorpayx_account_number", "paytm_mid")
    assert all(value.startswith("gAAAA") for value in columns(razorpay, names[0], names[1]).values())
    assert columns(razorpay, "paytm_mid") == {"paytm_mid": ""}
    assert columns(paytm, "razorpay_key_id", "paytm_mid")["razorpay_key_id"] == ""
    configuration = apps.get_model("gateways", "GatewayConfiguration")
    restored = configuration.objects.get(pk=razorpay)
    assert (restored.razorpay_key_id, restored.razorpayx_account_number) == (
        "rzp_test_Migrated0001",
        "7878780055554444",
    )
    assert configuration.objects.get(pk=paytm).paytm_mid == "MIGRTD00000000000001"


SECRETS_BEFORE = [("gateways", "0006_remove_encrypted_identifiers")]
SECRETS_AFTER = [("gateways", "0009_remove_per_provider_secret_columns")]
OLD_SECRET_COLUMNS = ("razorpay_key_secret", "razorpay_webhook_secret", "paytm_merchant_key", "paytm_website")


@pytest.fixture
def per_provider_rows():
    """A Razorpay and a Paytm configuration with 0006's per-provider encrypted columns."""
    apps = migrate(SECRETS_BEFORE, first=TRIGGERS_NAMING_CONFIGURATIONS)
    hospital = apps.get_model("core", "Hospital").objects.create(name="Columns", code="columns")
    configuration = apps.get_model("gateways", "GatewayConfiguration")
    razorpay = configuration.objects.create(
        hospital=hospital,
        name="Razorpay",
        provider="razorpay",
        key_id="rzp_test_Migrated0002",
        razorpay_key_secret="migrated_key_secret_02",
        razorpay_webhook_secret="migrated_whsec_02",
    )
    paytm = configuration.objects.create(
        hospital=hospital,
        name="Paytm",
        provider="paytm",
        key_id="MIGRTD00000000000002",
        paytm_merchant_key="MigratedKey67890",
        paytm_website="WEBSTAGING",
        paytm_client_id="C11",
    )
    yield razorpay.pk, paytm.pk
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_secrets_move_into_one_encrypted_json_and_back_to_their_encrypted_columns(per_provider_rows):
    razorpay, paytm = per_provider_rows

    apps = migrate(SECRETS_AFTER)

    for pk in (razorpay, paytm):
        stored = columns(pk, "secrets")["secrets"]
        assert stored.startswith("gAAAA")
        assert "migrated" not in stored.lower() and "Migrated" not in stored
    configuration = apps.get_model("gateways", "GatewayConfiguration")
    assert configuration.objects.get(pk=razorpay).secrets == {
        "key_secret": "migrated_key_secret_02",
        "webhook_secret": "migrated_whsec_02",
    }
    moved = configuration.objects.get(pk=paytm)
    assert moved.secrets == {"merchant_key": "MigratedKey67890", "client_id": "C11"}
    assert moved.public_settings == {"website": "WEBSTAGING"}

    apps = migrate(SECRETS_BEFORE)

    assert all(value.startswith("gAAAA") for value in columns(razorpay, *OLD_SECRET_COLUMNS[:2]).values())
    assert columns(razorpay, "paytm_merchant_key") == {"paytm_merchant_key": ""}
    configuration = apps.get_model("gateways", "GatewayConfiguration")
    restored = configuration.objects.get(pk=paytm)
    assert (restored.paytm_merchant_key, restored.paytm_website, restored.paytm_client_id) == (
        "MigratedKey67890",
        "WEBSTAGING",
        "C11",
    )
