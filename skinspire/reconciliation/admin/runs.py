"""Runs and their items, read-only, and the form that starts a run (for any date, by fetching
the gateway's settlement or from its uploaded report file)."""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from skinspire.core.admin_display import person_display
from skinspire.core.admin_lists import CappedCountPaginator
from skinspire.core.admin_readonly import ReadOnlyAdminMixin
from skinspire.core.errors import ApplicationError
from skinspire.core.tenancy import TenantScopedAdminMixin
from skinspire.core.text import counted
from skinspire.reconciliation.admin.exporting import ExcelExportMixin
from skinspire.reconciliation.admin.forms import StartRunForm
from skinspire.reconciliation.admin.resources import ReconciliationItemResource, ReconciliationRunResource
from skinspire.reconciliation.dashboard import rated_rows
from skinspire.reconciliation.inputs.reports import report_rows
from skinspire.reconciliation.models import ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.services.runs import reconciliation_run_start

START_PERMISSION = "reconciliation.add_reconciliationrun"


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(TenantScopedAdminMixin, ExcelExportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    started_by_name = person_display("started_by", "started by")
    resource_classes = [ReconciliationRunResource]
    list_display = [
        "id", "run_date", "configuration", "status", "trigger", "matched_count", "discrepancy_count",
        "match_rate_shown", "gross", "fees", "tax", "net", "items_link",
    ]  # fmt: skip
    list_filter = ["status", "trigger", "configuration__provider", "run_date"]
    date_hierarchy = "run_date"
    list_select_related = ["configuration"]
    fields = (
        "hospital", "configuration", "run_date", "status", "trigger", "started_by_name", "report_file_name",
        "started_at", "finished_at", "error_message", "rules", "gateway_row_count", "system_row_count",
        "category_counts", "matched_count", "discrepancy_count", "match_rate_shown", "gross", "fees", "tax", "net",
    )  # fmt: skip
    readonly_fields = fields
    change_list_template = "admin/reconciliation/reconciliationrun/change_list.html"

    @admin.display(description="match rate", ordering="match_rate")
    def match_rate_shown(self, run):
        """In percent, as the dashboard shows it (stored as a fraction); none when nothing was rated."""
        return f"{run.match_rate * 100:.2f}%" if rated_rows(run) else "—"

    @admin.display(description="Items")
    def items_link(self, run):
        url = reverse("admin:reconciliation_reconciliationitem_changelist") + f"?run__id__exact={run.pk}"
        return format_html(
            '<a href="{}">{}</a>', url, counted(run.gateway_row_count + run.system_row_count, "row")
        )

    def get_urls(self):
        start = path("start/", self.admin_site.admin_view(self.start_view), name="reconciliation_run_start")
        return [start, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_start": request.user.has_perm(START_PERMISSION)}
        return super().changelist_view(request, extra_context)

    def start_view(self, request):
        if not request.user.has_perm(START_PERMISSION):
            raise PermissionDenied
        form = StartRunForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                run = _start(request, form.cleaned_data)
            except ApplicationError as error:
                field = "report" if "rows" in error.extra or "fields" in error.extra else None
                for line in [error.message, *error.extra.get("rows", [])]:
                    form.add_error(field, line)
            else:
                level = messages.SUCCESS if run.status == "completed" else messages.ERROR
                messages.add_message(request, level, _summary(run))
                return HttpResponseRedirect(
                    reverse("admin:reconciliation_reconciliationrun_change", args=[run.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.opts,
            "title": "Start a reconciliation run",
        }
        return TemplateResponse(request, "admin/reconciliation/reconciliationrun/start.html", context)


def _start(request, data) -> ReconciliationRun:
    configuration, run_date, report = data["configuration"], data["run_date"], data.get("report")
    rows = None
    if report:
        rows = report_rows(
            content=report.read(), file_name=report.name, provider=configuration.provider, on=run_date
        )
    return reconciliation_run_start(
        configuration=configuration,
        run_date=run_date,
        trigger=ReconciliationRun.Trigger.UPLOAD if report else ReconciliationRun.Trigger.MANUAL,
        actor=request.user,
        gateway_rows=rows,
        report_file_name=report.name if report else "",
    )


def _summary(run: ReconciliationRun) -> str:
    if run.status != "completed":
        return f"Run #{run.pk} for {run.run_date} failed: {run.error_message}"
    return (
        f"Run #{run.pk} for {run.run_date}: {run.matched_count} matched, "
        f"{counted(run.discrepancy_count, 'discrepancy', 'discrepancies')}, match rate {run.match_rate:.2%}."
    )


@admin.register(ReconciliationItem)
class ReconciliationItemAdmin(TenantScopedAdminMixin, ExcelExportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    resource_classes = [ReconciliationItemResource]
    list_display = [
        "key", "side", "category", "match_pass", "score", "rule", "amount", "fee", "amount_difference",
        "transaction_date", "run",
    ]  # fmt: skip
    list_filter = ["category", "side", "match_pass", "run__configuration__provider", "run__run_date"]
    search_fields = ["gateway_id", "utr", "reference", "key"]  # compared whole: get_search_results
    search_help_text = "A whole gateway id, UTR, our reference or row key, as the gateway writes it."
    list_select_related = ["run", "run__configuration"]
    sortable_by = [
        "key", "side", "category", "match_pass", "score", "rule", "amount", "fee", "amount_difference",
        "transaction_date",
    ]  # fmt: skip  # not the run: always newest run first
    # Items grow by every run's rows (a year of a busy chain: millions). Newest run first, its
    # rows by match group: the unique (run, side, key) index read backwards hands PostgreSQL the
    # newest run's rows, and only those are sorted for the first page (an incremental sort),
    # where the model's ascending order sorted the whole table for every page (4M items: 7 s).
    ordering = ["-run_id", "group", "side", "key"]  # the column: "-run" would sort by its date
    show_full_result_count = False  # the unfiltered total would count the whole table every page
    paginator = CappedCountPaginator  # the filtered count too, past 10,000 ("10,000+")
    fields = (
        "run", "side", "key", "group", "category", "match_pass", "rule", "score", "kind", "row_status",
        "gateway_id", "utr", "reference", "transaction_date", "amount", "fee", "tax", "amount_difference",
        "fee_difference",
    )  # fmt: skip
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        # Whole values, as they are: a part ("contains", the default) or any case (UPPER) is
        # read in every item of every run, no index helping (4M items: 9 s and 5 s a page; whole
        # values 1 s); within one run, the run's index narrows it first. A whole value is what an
        # accountant holds: the gateway id, UTR or reference on a statement.
        term = search_term.strip()
        if not term:
            return queryset, False
        found = Q(gateway_id=term) | Q(utr=term) | Q(reference=term) | Q(key=term)
        return queryset.filter(found), False

    def get_changelist(self, request, **kwargs):
        return NewestRunFirstChangeList


class NewestRunFirstChangeList(ChangeList):
    """A column's sort applies within each run, newest run first: sorting every item of every run
    by an amount reads and sorts the whole table (4M items: 8 s a page); per run, PostgreSQL
    sorts the newest run's items for the first page. Filtered to one run, the column's sort."""

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        return ["-run_id", *(field for field in ordering if field not in NEWEST_RUN_FIRST)]


NEWEST_RUN_FIRST = {"-run_id", "run_id", "-run", "run"}
