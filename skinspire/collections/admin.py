"""Admin: patients and bills (bills are saved through the same services as the API)."""

from django import forms
from django.contrib import admin
from django.db.models import F, Q

from skinspire.collections.models import Bill, Patient, PatientPayment, PatientRefund, PaymentLink
from skinspire.collections.models.payments import PaymentSource
from skinspire.collections.services.bills import BILL_UPDATABLE_FIELDS, bill_create, bill_update
from skinspire.core.admin_display import person_display, readonly_field_names
from skinspire.core.admin_ids import StorableIdsAutocompleteMixin
from skinspire.core.admin_lists import BigListAdminMixin, BranchFilter
from skinspire.core.admin_readonly import ReadOnlyAdminMixin
from skinspire.core.forms import amount_form_fields
from skinspire.core.models import Hospital
from skinspire.core.money import format_inr
from skinspire.core.tenancy import TenantScopedAdminMixin, stamp_hospital
from skinspire.core.transition_admin import StatusTransitionInline
from skinspire.gateways.providers.schemas import provider_choices

COUNTER = PaymentSource.INTERNAL


class SourceFilter(admin.SimpleListFilter):
    """The counter and the registered gateways: choices that cost no read of the table (a
    filter by a field without choices reads them from every row)."""

    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        counter = [(COUNTER, "Counter")] if model_admin.model is PatientPayment else []
        return counter + provider_choices()

    def queryset(self, request, queryset):
        return queryset.filter(source=self.value()) if self.value() else queryset


class OverpaidFilter(admin.SimpleListFilter):
    """Bills that received more than they are for: the excess is the patient's, to refund."""

    title = "paid more than the bill"
    parameter_name = "overpaid"

    def lookups(self, request, model_admin):
        return [("yes", "Yes: refund the excess")]

    def queryset(self, request, queryset):
        return queryset.filter(amount_paid__gt=F("amount")) if self.value() == "yes" else queryset


def bill_number_match(spellings: list[str], bills: str = "") -> Q:
    """A bill number, matched through the unique index on (hospital, number): one look-up per
    hospital (a handful), where the number alone has no index of its own."""
    return Q(**{f"{bills}hospital__in": Hospital.objects.all(), f"{bills}number__in": spellings})


def gateway_id_match(field: str, spellings: list[str]) -> Q:
    """A gateway's id, matched through the unique index on (source, id): PostgreSQL uses it
    for an `in` on its first column, not for the id alone."""
    sources = [COUNTER, *(name for name, _ in provider_choices())]
    return Q(source__in=sources, **{f"{field}__in": spellings})


@admin.register(Patient)
class PatientAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["patient_number", "name", "phone", "email", "hospital"]
    search_fields = ["patient_number", "name", "phone", "email"]
    fields = ["hospital", "patient_number", "name", "phone", "email"]

    def get_readonly_fields(self, request, obj=None):
        return ["hospital", "patient_number"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


class BillAdminForm(forms.ModelForm):
    """The services' rules, checked here too so that admin shows them as form errors."""

    class Meta:
        model = Bill
        fields = ["branch", "patient", "number", "category", "description", "amount", "due_date"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            if cleaned.get("amount") is not None and cleaned["amount"] < self.instance.amount_paid:
                self.add_error(
                    "amount",
                    f"{format_inr(self.instance.amount_paid)} is already paid; the amount cannot be less.",
                )
            return cleaned
        branch, patient, number = cleaned.get("branch"), cleaned.get("patient"), cleaned.get("number")
        if branch and patient and patient.hospital_id != branch.hospital_id:
            self.add_error("patient", "This patient belongs to another hospital than the branch.")
        if branch and number and Bill.objects.filter(hospital_id=branch.hospital_id, number=number).exists():
            self.add_error("number", "A bill with this number already exists.")
        if cleaned.get("amount") is not None and cleaned["amount"] <= 0:
            self.add_error("amount", "The amount must be more than zero.")
        return cleaned


@admin.register(Bill)
class BillAdmin(StorableIdsAutocompleteMixin, BigListAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    # A bill for most payments (see BigListAdminMixin): looked up by its number.
    form = BillAdminForm
    formfield_overrides = amount_form_fields()
    list_display = [
        "number", "patient", "branch", "category", "amount", "amount_paid", "excess", "status", "due_date",
    ]  # fmt: skip
    list_filter = ["status", OverpaidFilter, "category", ("branch", BranchFilter)]
    search_fields = ["number"]
    list_select_related = ["patient", "branch__hospital"]

    def search_match(self, name: str, spellings: list[str]) -> Q:
        return bill_number_match(spellings)

    fields = [
        "branch",
        "patient",
        "number",
        "category",
        "description",
        "amount",
        "amount_paid",
        "status",
        "due_date",
    ]
    autocomplete_fields = ["patient"]

    @admin.display(description="to refund")
    def excess(self, obj: Bill) -> str:
        """Received beyond the bill (services/overpaid.py): shown so that it is refunded."""
        return format_inr(obj.amount_paid - obj.amount) if obj.amount_paid > obj.amount else ""

    def get_readonly_fields(self, request, obj=None):
        always = ["amount_paid", "status"]
        return [*always, "branch", "patient", "number"] if obj else always

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the services, like the API: validation, row lock, audit entry.
        if change:
            changes = {
                name: form.cleaned_data[name] for name in form.changed_data if name in BILL_UPDATABLE_FIELDS
            }
            saved = bill_update(actor=request.user, bill=obj, **changes)
        else:
            stamp_hospital(obj, request.user)
            saved = bill_create(
                actor=request.user,
                branch=form.cleaned_data["branch"],
                patient=form.cleaned_data["patient"],
                number=form.cleaned_data["number"],
                category=form.cleaned_data["category"],
                amount=form.cleaned_data["amount"],
                due_date=form.cleaned_data.get("due_date"),
                description=form.cleaned_data.get("description", ""),
            )
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(PatientPayment)
class PatientPaymentAdmin(BigListAdminMixin, TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: payments change only through the services (gateway events, the API).

    Some 20,000 a day in a hospital chain (see BigListAdminMixin): looked up by reference,
    gateway order or payment id, or the bank's reference (UTR), each through its index."""

    list_display = ["reference", "bill", "amount", "amount_refunded", "category", "source", "method", "status",
                    "captured_at"]  # fmt: skip
    list_filter = ["status", "category", SourceFilter, ("branch", BranchFilter)]
    search_fields = ["reference", "gateway_order_id", "gateway_payment_id", "bank_transaction_id"]
    gateway_id_fields = ["gateway_order_id", "gateway_payment_id"]
    list_select_related = ["bill"]
    inlines = [StatusTransitionInline]
    created_by_name = person_display("created_by", "created by")

    def get_readonly_fields(self, request, obj=None):
        return readonly_field_names(self.model)

    def search_match(self, name: str, spellings: list[str]) -> Q:
        if name in self.gateway_id_fields:
            return gateway_id_match(name, spellings)
        return super().search_match(name, spellings)

    # Read-only for everyone, so the page shows exactly the read-only columns: without this
    # the model's own `created_by` is shown too, as a link only superusers may open.
    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)


class AttentionFilter(admin.SimpleListFilter):
    """Refunds marked for a person (services/gateway_refunds_overdue.py): pending at the gateway
    longer than its own bound."""

    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", "Needs attention"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(attention_since__isnull=False)
        if self.value() == "no":
            return queryset.filter(attention_since__isnull=True)
        return queryset


@admin.register(PatientRefund)
class PatientRefundAdmin(PatientPaymentAdmin):
    # When it was recorded and why it failed: a counter refund a stopped request left pending is
    # failed by the sweep (services/counter_refunds.py) with a reason staff act on; a gateway
    # refund pending too long says what to do (attention_reason) until it resolves.
    list_display = ["reference", "payment", "amount", "status", "attention_reason", "failure_reason", "reason",
                    "created_at", "processed_at", "requested_by"]  # fmt: skip
    list_filter = ["status", AttentionFilter, ("branch", BranchFilter)]
    search_fields = ["reference", "payment__reference", "gateway_refund_id"]
    gateway_id_fields: list[str] = []

    def search_match(self, name: str, spellings: list[str]) -> Q:
        if name == "payment__reference":  # through its index, not a join of every payment
            return Q(payment__in=PatientPayment.objects.filter(reference__in=spellings))
        return super().search_match(name, spellings)

    list_select_related = ["payment", "requested_by"]
    requested_by_name = person_display("requested_by", "requested by")


@admin.register(PaymentLink)
class PaymentLinkAdmin(PatientPaymentAdmin):
    list_display = [
        "reference",
        "bill",
        "amount",
        "amount_paid",
        "status",
        "source",
        "expires_at",
        "created_by_name",
    ]
    list_filter = ["status", SourceFilter, ("branch", BranchFilter)]
    search_fields = ["reference", "gateway_link_id"]
    gateway_id_fields = ["gateway_link_id"]
    list_select_related = ["bill", "created_by"]
    exclude = ["token"]  # the patient's key to the page: not shown to staff

    def get_readonly_fields(self, request, obj=None):
        return readonly_field_names(self.model, exclude=("token",))
