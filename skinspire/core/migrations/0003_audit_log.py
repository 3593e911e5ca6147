"""The audit log: its table, the triggers that keep it append-only, and who may read it.

PostgreSQL (production, CI): a row trigger refuses UPDATE and DELETE, and a statement
trigger refuses TRUNCATE (which fires no row triggers). The test suite's flush between
`transaction=True` tests passes it through skinspire.core.testing_postgresql only.

SQLite (development only): as for the ledger, a trigger refuses UPDATE but none refuses
DELETE, because Django's flush between tests is a plain DELETE there; the model refuses
deletion (save/delete/queryset). See docs/security.md, "Audit log".

Gateway admins and accountants may view entries (of their own hospital: core.tenancy).
Nobody may add, change or delete them: the model declares only the view permission.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TABLE = "core_auditentry"
POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION core_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log: % on % refused: audit entries are append-only', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRESQL_TRIGGERS = (
    f"CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION core_audit_refuse_change();",
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_audit_refuse_change();",
)
SQLITE_TRIGGER = (
    f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} BEGIN "
    f"SELECT RAISE(ABORT, 'audit log: UPDATE on {TABLE} refused: audit entries are append-only'); END;"
)
VIEWER_ROLES = ["Gateway admin", "Accountant"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No parameters: the function body uses % placeholders of its own (RAISE).
        schema_editor.execute(POSTGRESQL_FUNCTION, params=None)
        for statement in POSTGRESQL_TRIGGERS:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)
    else:
        raise NotImplementedError(f"The audit log's triggers are not written for {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE};")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};")
        schema_editor.execute("DROP FUNCTION IF EXISTS core_audit_refuse_change();")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update;")


def grant_view(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create ours now.
    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="core", codename="view_auditentry")
    for role in VIEWER_ROLES:
        Group.objects.get_or_create(name=role)[0].permissions.add(view)


def revoke_view(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="core", codename="view_auditentry").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("chain", models.CharField(editable=False, max_length=40)),
                (
                    "sequence",
                    models.PositiveBigIntegerField(
                        editable=False, help_text="Position in its chain, from 1."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
                ),
                ("action", models.CharField(db_index=True, max_length=100)),
                (
                    "actor_username",
                    models.CharField(blank=True, help_text="The actor's username then.", max_length=150),
                ),
                ("object_id", models.CharField(blank=True, max_length=64)),
                ("object_repr", models.CharField(blank=True, max_length=200, verbose_name="object")),
                ("changes", models.JSONField(blank=True, default=dict)),
                ("ip_address", models.CharField(blank=True, max_length=45, verbose_name="IP address")),
                ("message", models.TextField(blank=True)),
                ("previous_hash", models.CharField(editable=False, max_length=64)),
                ("entry_hash", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audit_entries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="object type",
                    ),
                ),
                (
                    "hospital",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audit_entries",
                        to="core.hospital",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "audit entries",
                "ordering": ["-created_at", "-id"],
                "default_permissions": ("view",),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("chain", "sequence"), name="audit_entry_one_per_chain_position"
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(grant_view, revoke_view),
    ]
