"""The admin site: a key holder who must use TOTP sees no admin page until verified."""

from functools import update_wrapper

from django.contrib import admin
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from skinspire.core.authentication import views
from skinspire.core.authentication.forms import AdminLoginForm
from skinspire.core.authentication.selectors import second_factor_pending, totp_enrolled


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
            try:
                return guarded(request, *args, **kwargs)
            except OverflowError as error:
                # A number past 64 bits in a list's filter (?supplier=99999999999999999999, or
                # ?id__in=...): SQLite cannot bind it, and Django checks the range only for an
                # integer field's own comparisons, not for a foreign key or `in`. No row can
                # match such a value, so the request is bad, not the server (PostgreSQL
                # compares it as numeric and lists nothing).
                raise BadRequest("A filter value is out of range.") from error

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
