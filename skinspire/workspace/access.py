"""Who may open a workspace page: a signed-in person whose second factor, if their role
needs one, is done (the same rule as the API's VerifiedSessionAuthentication)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from skinspire.core.authentication.selectors import second_factor_pending
from skinspire.core.models import User


class SignedInRequest(HttpRequest):
    """The request a workspace_page view is given: its user is signed in, never anonymous."""

    user: User


def workspace_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if second_factor_pending(request.user):
            return redirect("admin:index")  # the admin asks for the code, then comes back
        return view(request, *args, **kwargs)

    return guarded
