"""Re-encrypt every SecretCharField value under the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first (`FIELD_ENCRYPTION_KEYS=new,old`), run this command, run it
again with --verify, then drop the old key. A rotation is recorded in the audit log
(action "encryption_keys.rotate"). The ciphertext is read and written with raw
SQL, so no value is ever decrypted into a model instance, and rows are locked batch by
batch so a concurrent admin save cannot be overwritten with a stale token.
"""

from cryptography.fernet import InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Model

from skinspire.core.audit import audit_entry_record
from skinspire.core.fields import SecretCharField, current_key_fernet, field_fernet

FERNET_TOKEN_PREFIX = "gAAAA"
ACTION_ROTATE = "encryption_keys.rotate"


def secret_fields_by_model() -> dict[type[Model], list[SecretCharField]]:
    found: dict[type[Model], list[SecretCharField]] = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [field for field in model._meta.concrete_fields if isinstance(field, SecretCharField)]
        if fields:
            found[model] = fields
    return found


def _select_raw(model, fields, primary_keys) -> list[tuple]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(primary_keys))
    sql = (
        f"SELECT {quote(model._meta.pk.column)}, {columns} FROM {quote(model._meta.db_table)} "  # noqa: S608 - quoted names, values as parameters
        f"WHERE {quote(model._meta.pk.column)} IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(primary_keys))
        return cursor.fetchall()


def _update_raw(model, primary_key, new_values: dict[str, str]) -> None:
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in new_values)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*new_values.values(), primary_key])


def _reencrypt(fernet: MultiFernet, value: str) -> str:
    if value.startswith(FERNET_TOKEN_PREFIX):
        return fernet.rotate(value.encode()).decode()
    # A plain value (written before the field was encrypted): encrypt it now.
    return fernet.encrypt(value.encode()).decode()


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the first FIELD_ENCRYPTION_KEYS key (--verify: check only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify", action="store_true", help="Check that the first key alone decrypts every value."
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, verify: bool, batch_size: int, **options):
        action = self._verify_batch if verify else self._rotate_batch
        totals = {"values": 0, "failures": 0}
        summaries = []
        for model, fields in secret_fields_by_model().items():
            counts = self._walk(model, fields, batch_size, action)
            totals = {key: totals[key] + counts[key] for key in totals}
            summaries.append(f"{model._meta.label}: {counts['values']} values, {counts['failures']} failures")
            self.stdout.write(summaries[-1])
        if not verify:
            self._record_rotation(totals["values"], summaries)
        if totals["failures"]:
            raise CommandError(
                f"{totals['failures']} values cannot be decrypted with the first key; keep the old key "
                "and run rotate_encryption_keys before removing it."
            )
        verb = "verified" if verify else "re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"{totals['values']} values {verb} under the first key."))

    def _record_rotation(self, values: int, summaries: list[str]) -> None:
        keys = len([key for key in settings.FIELD_ENCRYPTION_KEYS if key])
        audit_entry_record(
            action=ACTION_ROTATE,
            message=(
                f"{values} values re-encrypted under the first of {keys} configured keys "
                f"(manage.py rotate_encryption_keys). " + "; ".join(summaries)
            ),
        )

    def _walk(self, model, fields, batch_size, action) -> dict[str, int]:
        counts = {"values": 0, "failures": 0}
        last_pk = None
        while True:
            with transaction.atomic():
                rows = model._base_manager.select_for_update().order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                primary_keys = list(rows.values_list("pk", flat=True)[:batch_size])
                if not primary_keys:
                    return counts
                for key, value in action(model, fields, primary_keys).items():
                    counts[key] += value
            last_pk = primary_keys[-1]

    def _rotate_batch(self, model, fields, primary_keys) -> dict[str, int]:
        fernet, values = field_fernet(), 0
        for primary_key, *stored in _select_raw(model, fields, primary_keys):
            new_values = {}
            for field, value in zip(fields, stored, strict=True):
                if not value:
                    continue
                try:
                    new_values[field.column] = _reencrypt(fernet, value)
                except InvalidToken as error:
                    raise CommandError(
                        f"{model._meta.label}.{field.name} of row {primary_key} cannot be decrypted with any "
                        "FIELD_ENCRYPTION_KEYS key; nothing in this batch was changed."
                    ) from error
            if new_values:
                _update_raw(model, primary_key, new_values)
                values += len(new_values)
        return {"values": values, "failures": 0}

    def _verify_batch(self, model, fields, primary_keys) -> dict[str, int]:
        first_key_only = current_key_fernet()
        values = failures = 0
        for primary_key, *stored in _select_raw(model, fields, primary_keys):
            for field, value in zip(fields, stored, strict=True):
                if not value:
                    continue
                values += 1
                try:
                    first_key_only.decrypt(value.encode())
                except InvalidToken:
                    failures += 1
                    self.stderr.write(
                        f"{model._meta.label}.{field.name} of row {primary_key}: not under the first key"
                    )
        return {"values": values, "failures": failures}
