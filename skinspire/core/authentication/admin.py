"""Admin for logins: revoke API tokens, unlock locked-out logins, reset a second factor.

Each goes through a service, so the same rule applies from every entry point. django-otp's
own device admins are removed: they show TOTP secrets and would bypass the reset service.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from skinspire.core.authentication import lockout, tokens, totp
from skinspire.core.text import counted

for model in (AuthToken, AccessAttempt, TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed by their 15-character lookup prefix; deleting one revokes it."""

    list_display = ["token_key", "user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["token_key", "user__username"]
    fields = ("token_key", "user", "created", "expiry")
    readonly_fields = fields
    actions = ["delete_selected"]

    def has_add_permission(self, request):
        return False  # tokens come from POST /api/auth/token/, shown once to their owner

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        tokens.api_token_revoke(token=obj, actor=request.user, reason="admin")

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            tokens.api_token_revoke(token=token, actor=request.user, reason="admin")


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    """axes' failed-attempt records: deleting them unlocks the username and address.

    Without axes' "clean up expired attempts" action: it deletes outside the audited
    service, and it needs the attributes axes sets on a login's request (a 500 from admin)."""

    actions: list = []

    def delete_model(self, request, obj):
        lockout.login_attempts_clear(attempts=AccessAttempt.objects.filter(pk=obj.pk), actor=request.user)

    def delete_queryset(self, request, queryset):
        lockout.login_attempts_clear(attempts=queryset, actor=request.user)


@admin.action(
    description="Reset two-factor authentication (they set it up again at next login)", permissions=["change"]
)
def reset_two_factor(modeladmin, request, queryset):
    """For a lost phone: the user's authenticator and recovery codes stop working."""
    for user in queryset:
        totp.totp_reset(user=user, actor=request.user)
    modeladmin.message_user(
        request, f"Two-factor authentication reset for {counted(queryset.count(), 'user')}.", messages.SUCCESS
    )
