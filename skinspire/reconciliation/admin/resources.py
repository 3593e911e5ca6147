"""Excel exports (django-import-export) of runs, items and discrepancies.

Each lists its columns explicitly: a configuration appears by name and provider only (never
its key id, account number or secrets), and free text (references, rules, notes) has
account numbers and UPI ids masked, as pages and logs do (skinspire.core.redaction).
"""

from import_export import fields, resources, widgets

from skinspire.core.redaction import redact_text
from skinspire.core.spreadsheets import formula_inert
from skinspire.reconciliation.models import Discrepancy, ReconciliationItem, ReconciliationRun


class SpreadsheetResource(resources.ModelResource):
    """No exported text is run as a formula by the spreadsheet that opens it (formula_inert);
    the sheet is named after what it holds (tablib would call it "Tablib Dataset")."""

    sheet_title = ""

    def export(self, *args, **kwargs):
        dataset = super().export(*args, **kwargs)
        dataset.title = self.sheet_title
        return dataset

    def export_field(self, field, instance, **kwargs):
        return formula_inert(super().export_field(field, instance, **kwargs))


class MaskedField(fields.Field):
    def get_value(self, instance):
        value = super().get_value(instance)
        return redact_text(value) if isinstance(value, str) else value


class ReconciliationRunResource(SpreadsheetResource):
    sheet_title = "Reconciliation runs"
    configuration = fields.Field(attribute="configuration__name", column_name="configuration")
    provider = fields.Field(attribute="configuration__provider", column_name="provider")
    started_by = fields.Field(attribute="started_by__username", column_name="started_by")

    class Meta:
        model = ReconciliationRun
        fields = [
            "id", "run_date", "configuration", "provider", "status", "trigger", "started_by", "started_at",
            "finished_at", "gateway_row_count", "system_row_count", "matched_count", "discrepancy_count",
            "match_rate", "gross", "fees", "tax", "net", "error_message",
        ]  # fmt: skip
        export_order = fields


class ReconciliationItemResource(SpreadsheetResource):
    sheet_title = "Reconciliation items"
    # A date cell, as the runs' and discrepancies' own run_date: a field declared without a
    # widget is written as text, which Excel neither sorts nor filters as a date.
    run_date = fields.Field(attribute="run__run_date", column_name="run_date", widget=widgets.DateWidget())
    provider = fields.Field(attribute="run__configuration__provider", column_name="provider")
    reference = MaskedField(attribute="reference", column_name="reference")
    rule = MaskedField(attribute="rule", column_name="rule")

    class Meta:
        model = ReconciliationItem
        fields = [
            "run", "run_date", "provider", "side", "key", "group", "category", "match_pass", "score", "rule",
            "kind", "row_status", "gateway_id", "utr", "reference", "transaction_date", "amount", "fee", "tax",
            "amount_difference", "fee_difference",
        ]  # fmt: skip
        export_order = fields


class DiscrepancyResource(SpreadsheetResource):
    sheet_title = "Discrepancies"
    configuration = fields.Field(attribute="configuration__name", column_name="configuration")
    provider = fields.Field(attribute="configuration__provider", column_name="provider")
    summary = MaskedField(attribute="summary", column_name="summary")
    resolution_note = MaskedField(attribute="resolution_note", column_name="resolution_note")
    resolved_by = fields.Field(attribute="resolved_by__username", column_name="resolved_by")

    class Meta:
        model = Discrepancy
        fields = [
            "id", "run_date", "configuration", "provider", "category", "status", "gateway_keys", "system_keys",
            "summary", "amount_difference", "resolution", "resolution_note", "resolved_by", "resolved_at",
        ]  # fmt: skip
        export_order = fields
