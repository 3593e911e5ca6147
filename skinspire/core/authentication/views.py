"""The two admin pages of the second factor: enrol an authenticator, or enter a code."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.admin import AdminSite
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django_otp import login as otp_login

from skinspire.core.authentication import totp
from skinspire.core.authentication.forms import WRONG_CODE, CodeForm
from skinspire.core.authentication.lockout import lockout_response
from skinspire.core.authentication.selectors import second_factor_pending, totp_enrolled
from skinspire.core.errors import ApplicationError


def with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


class SecondFactorView(View):
    """Only for a logged-in, active staff member whose second factor is pending."""

    admin_site: AdminSite | None = None  # as_view(admin_site=...) sets it (admin_site.py)

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect(with_next("admin:login", reverse("admin:index")))
        if not second_factor_pending(user):
            return redirect(self.next_url())
        return super().dispatch(request, *args, **kwargs)

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next", "")
        allowed = url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return target if allowed else reverse("admin:index")

    def render_page(self, template: str, context: dict, status: int = 200):
        assert self.admin_site is not None
        context = {**self.admin_site.each_context(self.request), "next": self.next_url(), **context}
        return render(self.request, f"admin/two_factor/{template}", context, status=status)


class TotpEnrolView(SecondFactorView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and totp_enrolled(request.user):
            return redirect(with_next("admin:totp-verify", self.next_url()))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.enrol_page(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.enrol_page(form, status=400)
        device = totp.totp_enrolment_start(user=request.user)
        try:
            codes = totp.totp_enrolment_confirm(
                user=request.user, device=device, token=form.cleaned_data["otp_token"]
            )
        except ApplicationError as error:
            form.add_error("otp_token", error.message)
            return self.enrol_page(form, status=400)
        otp_login(request, device)
        return self.render_page("recovery_codes.html", {"title": "Your recovery codes", "codes": codes})

    def enrol_page(self, form, status=200):
        device = totp.totp_enrolment_start(user=self.request.user)
        context = {
            "title": "Set up two-factor authentication",
            "form": form,
            "qr_data_uri": totp.totp_qr_data_uri(device=device),
            "secret": totp.totp_secret_text(device=device),
        }
        return self.render_page("enrol.html", context, status=status)


class TotpVerifyView(SecondFactorView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not totp_enrolled(request.user):
            return redirect(with_next("admin:totp-enrol", self.next_url()))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.verify_page(CodeForm())

    def post(self, request):
        credentials = {"username": request.user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            logout(request)
            return lockout_response(request)
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.verify_page(form, status=400)
        device = totp.totp_verify(user=request.user, token=form.cleaned_data["otp_token"])
        if device is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return lockout_response(request)
            form.add_error("otp_token", WRONG_CODE)
            return self.verify_page(form, status=400)
        otp_login(request, device)
        return redirect(self.next_url())

    def verify_page(self, form, status=200):
        return self.render_page("verify.html", {"title": "Two-factor code", "form": form}, status=status)
