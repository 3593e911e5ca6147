"""Supplier accounts' stored masks show at most half of a short account number or UPI name
(skinspire.core.redaction.mask_account); masks made before that are made again. Only the
mask is written, and only where it changes: the clear values stay as they are, encrypted."""

from django.db import migrations

from skinspire.core.redaction import mask_account


def masks_refresh(apps, schema_editor):
    SupplierAccount = apps.get_model("payouts", "SupplierAccount")
    accounts = SupplierAccount.objects.only("pk", "kind", "account_number", "vpa", "ifsc", "masked")
    for account in accounts.iterator():
        identifier = account.vpa if account.kind == "upi" else account.account_number
        masked = mask_account(identifier) + (f" ({account.ifsc})" if account.ifsc else "")
        if masked != account.masked:
            SupplierAccount.objects.filter(pk=account.pk).update(masked=masked)


class Migration(migrations.Migration):
    dependencies = [("payouts", "0015_payment_search_indexes")]

    operations = [migrations.RunPython(masks_refresh, migrations.RunPython.noop)]
