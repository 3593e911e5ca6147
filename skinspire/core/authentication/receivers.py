"""Lockouts reach us only through axes' user_locked_out signal."""

from axes.signals import user_locked_out
from django.dispatch import receiver

from skinspire.core.authentication.lockout import lockout_record


@receiver(user_locked_out, dispatch_uid="skinspire-record-lockout")
def record_lockout(sender, request, username, ip_address, **kwargs):
    lockout_record(
        username=username,
        ip_address=ip_address,
        path=request.path,
        failures=getattr(request, "axes_failures_since_start", None),
    )
