"""The admin site: a key holder who must use TOTP sees no admin page until verified, and a
list filtered by, or an action given, a value the database refuses answers 400, not 500."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IS_FACETS_VAR, IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.views.main import ALL_VAR, ERROR_FLAG, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.core.exceptions import BadRequest
from django.db import DataError, NotSupportedError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from skinspire.core.admin_ids import storable_id
from skinspire.core.authentication import views
from skinspire.core.authentication.forms import AdminLoginForm
from skinspire.core.authentication.selectors import second_factor_pending, totp_enrolled

# What a list's own links put in its query string; anything else filters by a field.
LIST_PARAMETERS = {
    ALL_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    ERROR_FLAG,
    TO_FIELD_VAR,
    IS_POPUP_VAR,
    IS_FACETS_VAR,
}
FILTER_ERRORS = (OverflowError, DataError, NotSupportedError, ValueError, TypeError)


def filtered_list(view, request) -> bool:
    """A GET of a model's list with a filter by one of its fields in the query string."""
    return (
        request.method in ("GET", "HEAD")
        and getattr(view, "__name__", "") == "changelist_view"
        and any(key not in LIST_PARAMETERS for key in request.GET)
    )


def posted_form(view, request) -> bool:
    """A POST of a model's add or change form."""
    return request.method == "POST" and getattr(view, "__name__", "") in ("add_view", "change_view")


def selected_ids_refused(view, request) -> bool:
    """An action's posted row ids (`_selected_action`) of which one is no id of the list's
    model: admin filters the list by them as they are (see core.admin_ids)."""
    model_admin = getattr(view, "__self__", None)
    if request.method != "POST" or getattr(view, "__name__", "") != "changelist_view" or model_admin is None:
        return False
    pk = model_admin.model._meta.pk
    return not all(storable_id(pk, value) for value in request.POST.getlist(ACTION_CHECKBOX_NAME))


class SkinspireAdminSite(admin.AdminSite):
    login_form = AdminLoginForm
    login_template = "admin/two_factor/login.html"

    def has_permission(self, request):
        return super().has_permission(request) and not second_factor_pending(request.user)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            user = request.user
            if user.is_active and user.is_staff and second_factor_pending(user):
                if request.path == reverse("admin:logout", current_app=self.name):
                    # Logging out needs no second factor (LogoutView is CSRF-protected itself).
                    return view(request, *args, **kwargs)
                return never_cache(self.second_factor_redirect)(request)
            if any(key.endswith("__range") for key in request.GET):
                # Admin hands a `__range` filter its text as is, and the database is then
                # given each character as a bound (a 500). No list here offers one.
                raise BadRequest("Filter by __gte and __lte, not __range.")
            if selected_ids_refused(view, request):
                raise BadRequest("An action was given a row id that is no id of this list.")
            try:
                return guarded(request, *args, **kwargs)
            except FILTER_ERRORS as error:
                if isinstance(error, OverflowError) and posted_form(view, request):
                    # A number past 64 bits posted for a many-to-many choice: Django's
                    # ModelMultipleChoiceField looks the ids up as they are (`in`), which
                    # SQLite's driver cannot bind. Raised nowhere else in a form's save.
                    raise BadRequest("A number posted is too large for the database.") from error
                if not filtered_list(view, request):
                    raise  # not a list's filter: our bug, and a 500 says so
                # Admin lets a list be filtered by any of its fields from the query string;
                # some values only the database (or its driver) can refuse: a number past 64
                # bits (SQLite cannot bind it; Django range-checks only an integer field's own
                # comparisons, not a foreign key or `in`), text that is no IP address, text
                # for a binary field, a JSON `contains` on SQLite. The request is bad, not the server.
                raise BadRequest("This list cannot be filtered by that value.") from error

        return update_wrapper(inner, guarded)

    def second_factor_redirect(self, request):
        """To enrolment if the user has no authenticator yet, else to the code page."""
        name = "admin:totp-verify" if totp_enrolled(request.user) else "admin:totp-enrol"
        url = reverse(name, current_app=self.name)
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")

    def get_urls(self):
        pages = [
            path("two-factor/enrol/", self.two_factor_view(views.TotpEnrolView), name="totp-enrol"),
            path("two-factor/verify/", self.two_factor_view(views.TotpVerifyView), name="totp-verify"),
        ]
        return pages + super().get_urls()

    def two_factor_view(self, view_class):
        """Outside admin_view, which would send the pending user straight back here; the
        view itself admits only logged-in active staff whose second factor is pending."""
        return never_cache(view_class.as_view(admin_site=self))
