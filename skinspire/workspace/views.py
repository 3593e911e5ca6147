"""The workspace's own views. Pages over payouts and collections live in their modules."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from skinspire.workspace.access import workspace_page
from skinspire.workspace.scope import ScopeRefused, working_scope, working_scope_choose


def _identifier(value: str) -> int | None:
    """One id of the choice: '' means "all"; anything else must be a whole number."""
    if value == "":
        return None
    if not (value.isascii() and value.isdigit()):  # isdigit() alone takes "²" and "١"
        raise ValueError(value)
    return int(value)


def _choice(value: str) -> tuple[int | None, int | None]:
    """The scope select's value, "<hospital id>:<branch id>" (either may be empty)."""
    hospital, separator, branch = value.partition(":")
    if not separator:
        raise ValueError(value)
    return _identifier(hospital), _identifier(branch)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@require_POST
@workspace_page
def scope_choose(request: HttpRequest) -> HttpResponse:
    try:
        hospital_id, branch_id = _choice(request.POST.get("scope", ""))
    except ValueError:
        return HttpResponseBadRequest("Choose a hospital and branch from the list.")
    try:
        working_scope_choose(request, hospital_id=hospital_id, branch_id=branch_id)
    except ScopeRefused as error:
        messages.error(request, str(error))
        return redirect(_back(request))
    messages.success(request, f"You are now working in {working_scope(request).label}.")
    return redirect(_back(request))
