"""Payouts in Django admin, scoped to the user's hospital (skinspire.core.tenancy).

Account numbers and UPI ids are never rendered, for any role: lists and pages show the
masked form; a new account's number is typed into a password input and goes straight to the
service. Changes of an account's details happen through the API (they need re-approval);
admin offers the approval itself and validation as actions, each through a service.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

from skinspire.core.admin_display import person_display, unlinked_display
from skinspire.core.admin_lists import BigListAdminMixin
from skinspire.core.admin_readonly import ReadOnlyAdminMixin
from skinspire.core.errors import ApplicationError
from skinspire.core.forms import amount_form_fields
from skinspire.core.tenancy import (
    HospitalFixedAdminMixin,
    TenantScopedAdminMixin,
    stamp_hospital,
    user_hospitals,
)
from skinspire.core.transition_admin import StatusTransitionInline
from skinspire.payouts.models import (
    PaymentAllocation,
    PayoutBatch,
    PayoutPolicy,
    Supplier,
    SupplierAccount,
    SupplierInvoice,
    SupplierPayment,
)
from skinspire.payouts.selectors import payout_link_url_visible
from skinspire.payouts.services.accounts import (
    account_details_checked,
    supplier_account_approve,
    supplier_account_create,
)
from skinspire.payouts.services.policy import payout_policy_update
from skinspire.payouts.services.validation import supplier_account_validate

ACCOUNT_FIELDS = [
    "supplier",
    "kind",
    "holder_name",
    "masked",
    "is_active",
    "validation_status",
    "registered_name",
    "name_mismatch",
    "validated_at",
    "approval_status",
    "details_changed_at",
    "details_changed_by_name",
    "approved_by_name",
    "approved_at",
    "payable_after",
]
SECRET_FIELDS = {"account_number", "vpa"}


LINK_URL_HIDDEN = "payout_link_url_hidden"


@admin.register(PayoutPolicy)
class PayoutPolicyAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """Saved through payout_policy_update, which audits every change (the switch included)."""

    formfield_overrides = amount_form_fields(minimum=Decimal("0.00"))  # 0: every payment needs approval
    list_display = ["hospital", "approval_threshold", "gateway_payouts_enabled"]
    fields = [
        "hospital",
        "approval_threshold",
        "gateway_payouts_enabled",
        "gateway_payouts_disabled_branches",
    ]
    filter_horizontal = ["gateway_payouts_disabled_branches"]

    def save_model(self, request, obj, form, change):
        stamp_hospital(obj, request.user)
        policy = payout_policy_update(
            hospital=obj.hospital,
            actor=request.user,
            approval_threshold=form.cleaned_data["approval_threshold"],
            gateway_payouts_enabled=form.cleaned_data["gateway_payouts_enabled"],
        )
        obj.pk, obj._state.adding = policy.pk, False

    def save_related(self, request, form, formsets, change):
        payout_policy_update(
            hospital=form.instance.hospital,
            actor=request.user,
            disabled_branches=list(form.cleaned_data["gateway_payouts_disabled_branches"]),
        )


@admin.register(Supplier)
class SupplierAdmin(HospitalFixedAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "hospital", "email", "phone", "gstin", "is_active"]
    search_fields = ["name", "email", "gstin"]


@admin.register(SupplierInvoice)
class SupplierInvoiceAdmin(HospitalFixedAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    # The database refuses moving an invoice to another hospital or supplier (payouts' rules).
    fixed_after_create = ("hospital", "supplier")
    formfield_overrides = amount_form_fields()
    list_display = [
        "number",
        "supplier",
        "invoice_date",
        "amount",
        "amount_allocated",
        "amount_paid",
        "status",
    ]
    list_filter = ["status"]
    search_fields = ["number", "supplier__name"]
    readonly_fields = ["amount_allocated", "amount_paid", "status"]


class SupplierAccountAddForm(forms.ModelForm):
    account_number = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False))
    vpa = forms.CharField(required=False, label="UPI id", widget=forms.PasswordInput(render_value=False))

    class Meta:
        model = SupplierAccount
        fields = ["supplier", "kind", "holder_name", "ifsc"]

    def clean(self):
        cleaned = super().clean()
        try:
            account_details_checked(
                kind=cleaned.get("kind") or "",
                holder_name=cleaned.get("holder_name") or "",
                account_number=cleaned.get("account_number") or "",
                ifsc=cleaned.get("ifsc") or "",
                vpa=cleaned.get("vpa") or "",
            )
        except ApplicationError as error:
            for name, problems in error.extra.get("fields", {}).items():
                self.add_error(name if name in self.fields else None, problems)
        return cleaned


@admin.register(SupplierAccount)
class SupplierAccountAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    approved_by_name = person_display("approved_by", "approved by")
    details_changed_by_name = person_display("details_changed_by", "details changed by")
    list_display = [
        "supplier",
        "kind",
        "masked",
        "holder_name",
        "validation_status",
        "name_mismatch",
        "approval_status",
    ]
    list_filter = ["kind", "validation_status", "approval_status", "name_mismatch"]
    search_fields = ["supplier__name", "holder_name"]
    list_select_related = ["supplier"]
    actions = ["approve_changed_details", "validate_at_gateway"]

    def get_fields(self, request, obj=None):
        return (
            ["supplier", "kind", "holder_name", "ifsc", "account_number", "vpa"]
            if obj is None
            else ACCOUNT_FIELDS
        )

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [name for name in ACCOUNT_FIELDS if name != "is_active"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = SupplierAccountAddForm
            kwargs["fields"] = ["supplier", "kind", "holder_name", "ifsc"]
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Supplier:
            kwargs["queryset"] = Supplier.objects.filter(hospital__in=user_hospitals(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__")[0] in SECRET_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    @method_decorator(sensitive_post_parameters("account_number", "vpa"))
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["is_active", "updated_at"])
            return
        created = supplier_account_create(
            supplier=form.cleaned_data["supplier"],
            kind=form.cleaned_data["kind"],
            holder_name=form.cleaned_data["holder_name"],
            account_number=form.cleaned_data.get("account_number", ""),
            ifsc=form.cleaned_data.get("ifsc", ""),
            vpa=form.cleaned_data.get("vpa", ""),
            actor=request.user,
        )
        obj.pk = created.pk
        obj._state.adding = False

    @admin.action(description="Approve changed details", permissions=["change"])
    def approve_changed_details(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda account: supplier_account_approve(account=account, approver=request.user),
        )

    @admin.action(description="Validate at the gateway (penny drop / VPA check)", permissions=["change"])
    def validate_at_gateway(self, request, queryset):
        self._each(
            request, queryset, lambda account: supplier_account_validate(account=account, actor=request.user)
        )

    def _each(self, request, queryset, operation) -> None:
        for account in queryset:
            try:
                operation(account)
            except ApplicationError as error:
                self.message_user(request, f"{account}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{account}: done.", messages.SUCCESS)


class AllocationInline(admin.TabularInline):
    model = PaymentAllocation
    fields = ("invoice", "amount")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(SupplierPayment)
class SupplierPaymentAdmin(BigListAdminMixin, TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: payments move through the API and their services, never an edit form.

    Hundreds a day (see BigListAdminMixin): looked up by reference, gateway payout or link
    id, UTR, or the supplier's whole name, each through an index."""

    approved_by_name = person_display("approved_by", "approved by")
    created_by_name = person_display("created_by", "created by")

    list_display = [
        "reference",
        "supplier",
        "amount",
        "method",
        "mode",
        "status",
        "created_by_name",
        "created_at",
    ]
    list_filter = ["status", "method", "mode"]
    search_fields = ["reference", "supplier__name", "gateway_payout_id", "utr", "payout_link_id"]

    def search_match(self, name: str, spellings: list[str]) -> Q:
        if name == "supplier__name":  # names are typed in any case
            return Q(supplier__name__iexact=spellings[0])
        return super().search_match(name, spellings)

    list_select_related = ["supplier", "created_by"]
    inlines = [AllocationInline, StatusTransitionInline]
    exclude = ["account"]
    readonly_fields = (
        "reference",
        "hospital",
        "branch",
        "supplier",
        "account_masked",
        "method",
        "mode",
        "amount",
        "status",
        "idempotency_key",
        "configuration_name",
        "gateway_payout_id",
        "fee_preview",
        "fee",
        "tax",
        "utr",
        "failure_reason",
        "failure_code",
        "waiting_reason",
        "waiting_code",
        "manual_reference",
        "payout_link_id",
        "payout_link_url",
        "payout_link_status",
        "payout_link_expires_at",
        "created_by_name",
        "approved_by_name",
        "approved_at",
        "rejection_reason",
        "submitted_at",
        "completed_at",
    )
    fields = readonly_fields
    configuration_name = unlinked_display("configuration", "configuration")

    def get_fields(self, request, obj=None):
        # A payout link's address claims the money: only those who send it see it.
        if payout_link_url_visible(request.user):
            return self.fields
        return [LINK_URL_HIDDEN if name == "payout_link_url" else name for name in self.fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="Payout link url")
    def payout_link_url_hidden(self, payment):
        return "(shown to Payments staff only)" if payment.payout_link_url else "—"

    @admin.display(description="Account")
    def account_masked(self, payment):
        return payment.account.masked if payment.account_id else "—"


@admin.register(PayoutBatch)
class PayoutBatchAdmin(TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: batches are uploaded, approved and rejected through the API's services."""

    created_by_name = person_display("created_by", "created by")
    approved_by_name = person_display("approved_by", "approved by")
    list_display = ["name", "status", "created_by_name", "created_at"]
    list_filter = ["status"]
    fields = (
        "hospital",
        "name",
        "file_name",
        "status",
        "created_by_name",
        "approved_by_name",
        "approved_at",
        "rejection_reason",
    )
    readonly_fields = fields
