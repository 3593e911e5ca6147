"""Hospitals, branches, staff users and the audit log, scoped to the user's hospital (core.tenancy)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError

from skinspire.core import schedule_admin  # noqa: F401  (re-registers the periodic task admin)
from skinspire.core.audit.admin import AuditEntryAdmin
from skinspire.core.authentication.admin import reset_two_factor
from skinspire.core.models import AuditEntry, Branch, Hospital, User
from skinspire.core.services import hospital_create
from skinspire.core.tenancy import HospitalFixedAdminMixin, TenantScopedAdminMixin


class BranchRowForm(forms.ModelForm):
    def validate_unique(self):
        super().validate_unique()
        # Django leaves an inline's key to its parent out of the model's validation, and with
        # it every constraint naming it: a code the hospital already uses (a new row, or an
        # existing row posted as new) reached the INSERT, a 500 (branch_code_unique_per_hospital).
        # Checked here with the key; the formset checks the rows posted together.
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self.add_error(None, error)


class BranchInline(admin.TabularInline):
    model = Branch
    form = BranchRowForm
    extra = 0
    fields = ["name", "code"]


@admin.register(Hospital)
class HospitalAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "created_at"]
    search_fields = ["name", "code"]
    inlines = [BranchInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, so every app's per-hospital set-up runs (ledger accounts).
        created = hospital_create(name=obj.name, code=obj.code)
        obj.pk = created.pk
        obj._state.adding = False


@admin.register(Branch)
class BranchAdmin(HospitalFixedAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "hospital"]
    list_filter = ["hospital"]
    search_fields = ["name", "code", "hospital__name"]
    list_select_related = ["hospital"]


@admin.register(User)
class StaffUserAdmin(TenantScopedAdminMixin, UserAdmin):
    list_display = ["username", "email", "hospital", "is_staff", "is_superuser", "is_active"]
    list_filter = [*UserAdmin.list_filter, "hospital"]
    list_select_related = ["hospital"]
    actions = [reset_two_factor]
    filter_horizontal = [*UserAdmin.filter_horizontal, "branches"]
    fieldsets = [*(UserAdmin.fieldsets or ()), ("Hospital", {"fields": ["hospital", "branches"]})]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        ("Hospital", {"classes": ["wide"], "fields": ["hospital", "branches"]}),
    ]


admin.site.register(AuditEntry, AuditEntryAdmin)
