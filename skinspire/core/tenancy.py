"""The one place querysets are scoped to a user's hospital and branches.

Admin (TenantScopedAdminMixin), the API (TenantScopedAPIMixin, get_scoped_object_or_404)
and selectors all call `scope_queryset`, so a rule changes here or nowhere.

A model says where its tenant lives with two class attributes:
    tenant_hospital_field = "hospital"   # lookup path to the Hospital (default "hospital")
    tenant_branch_field = "branch"       # lookup path to the Branch, if the model is branch-bound
A branch-bound row with no branch is hospital-wide, and every staff member of the hospital
sees it.
"""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from skinspire.core.errors import NotFoundError
from skinspire.core.models import Branch, Hospital

DEFAULT_HOSPITAL_FIELD = "hospital"
ModelT = TypeVar("ModelT", bound=Model)


def tenant_fields(model: type[Model]) -> tuple[str, str | None]:
    hospital_field = getattr(model, "tenant_hospital_field", DEFAULT_HOSPITAL_FIELD)
    branch_field = getattr(model, "tenant_branch_field", None)
    return hospital_field, branch_field


def is_tenant_model(model: type[Model]) -> bool:
    """Whether the model's rows belong to a hospital: it names its tenant field, or has a
    `hospital` foreign key."""
    if hasattr(model, "tenant_hospital_field"):
        return True
    return any(
        field.name == DEFAULT_HOSPITAL_FIELD and field.related_model is Hospital
        for field in model._meta.concrete_fields
    )


def _is_unrestricted(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _has_hospital(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.hospital_id)


def scope_queryset(queryset: QuerySet[ModelT], user) -> QuerySet[ModelT]:
    """Rows of `queryset` the user may see: all for a superuser, none without a hospital."""
    if _is_unrestricted(user):
        return queryset
    if not _has_hospital(user):
        return queryset.none()
    hospital_field, branch_field = tenant_fields(queryset.model)
    scoped = queryset.filter(**{hospital_field: user.hospital_id})
    if branch_field:
        # A subquery, not a list read first: the same rows, without a round trip of its own
        # before every scoped read of a branch-bound model (a payment, in each initiation).
        branch_ids = user.branches.order_by().values("pk")
        scoped = scoped.filter(
            Q(**{f"{branch_field}__isnull": True}) | Q(**{f"{branch_field}__in": branch_ids})
        )
    return scoped


def user_hospitals(user) -> QuerySet:
    return scope_queryset(Hospital.objects.all(), user)


def user_branches(user) -> QuerySet:
    """Branches the user may act in: every branch for a superuser, else their own."""
    if _is_unrestricted(user):
        return Branch.objects.all()
    if not _has_hospital(user):
        return Branch.objects.none()
    return user.branches.filter(hospital_id=user.hospital_id)


def user_can_act_in_branch(user, branch: Branch | None) -> bool:
    """Whether the user may act in `branch` (None: hospital-wide, any staff of a hospital)."""
    if _is_unrestricted(user):
        return True
    if not _has_hospital(user):
        return False
    if branch is None:
        return True
    return user_branches(user).filter(pk=branch.pk).exists()


def user_may_see(user, row: Model) -> bool:
    """Whether `row` is among the rows scope_queryset gives `user`, by the same rules. Read
    from the row itself where its fields say it (a superuser; another hospital's row; a
    hospital-wide row); only a branch-bound row asks the database for the user's branches."""
    if _is_unrestricted(user):
        return True
    if not _has_hospital(user):
        return False
    hospital_field, branch_field = tenant_fields(type(row))
    if "__" in hospital_field or (branch_field and "__" in branch_field):
        return scope_queryset(type(row)._default_manager.filter(pk=row.pk), user).exists()
    if getattr(row, f"{hospital_field}_id") != user.hospital_id:
        return False
    branch_id = getattr(row, f"{branch_field}_id") if branch_field else None
    return branch_id is None or user.branches.filter(pk=branch_id).exists()


def get_scoped_object_or_404(queryset: QuerySet[ModelT], user, **lookup) -> ModelT:
    """The one row matching `lookup` within the user's scope; another hospital's row is
    indistinguishable from a missing one (404, not 403), so ids reveal nothing."""
    try:
        return scope_queryset(queryset, user).get(**lookup)
    except ObjectDoesNotExist as error:  # the model's DoesNotExist: .get() raises no other
        raise NotFoundError(f"{str(queryset.model._meta.verbose_name).capitalize()} not found.") from error


class TenantScopedAPIMixin:
    """For DRF generic views: the queryset is scoped, so get_object() 404s across tenants."""

    def get_queryset(self):
        return scope_queryset(super().get_queryset(), self.request.user)


class TenantScopedAdminMixin:
    """For ModelAdmin: scoped changelist and change pages, scoped hospital/branch choices,
    and the user's own hospital stamped on rows a non-superuser saves."""

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Hospital:
            kwargs["queryset"] = user_hospitals(request.user)
        elif db_field.related_model is Branch:
            kwargs["queryset"] = user_branches(request.user)
        elif is_tenant_model(db_field.related_model):
            # Another hospital's supplier, patient or configuration is no choice either: the
            # form refuses its id as it refuses any id it does not offer.
            kwargs["queryset"] = scope_queryset(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Branch:
            kwargs["queryset"] = user_branches(request.user)
        elif is_tenant_model(db_field.related_model):
            kwargs["queryset"] = scope_queryset(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        stamp_hospital(obj, request.user)
        super().save_model(request, obj, form, change)


def stamp_hospital(obj: Model, user) -> None:
    """A non-superuser's rows always belong to their own hospital, whatever was posted."""
    hospital_field, _ = tenant_fields(type(obj))
    if not _is_unrestricted(user) and hospital_field == DEFAULT_HOSPITAL_FIELD:
        setattr(obj, f"{hospital_field}_id", user.hospital_id)


class HospitalFixedAdminMixin:
    """Once a row exists its hospital is shown, not edited: the database refuses moving a
    branch or a gateway configuration to another hospital (core 0007, gateways 0012). A
    disabled field, not a read-only one: it stays in the form with the stored value, so the
    checks that involve it (a branch's code unique in its hospital, a configuration's branch
    and default) still run as form errors. An admin names other such fields (a supplier
    invoice's supplier) in `fixed_after_create`."""

    fixed_after_create: tuple[str, ...] = ("hospital",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for name in self.fixed_after_create if obj is not None else ():
            if name in form.base_fields:
                form.base_fields[name].disabled = True
        return form
