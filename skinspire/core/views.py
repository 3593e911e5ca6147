"""Pages of the site itself. The staff workspace grows here in later issues."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skinspire.core.home import admin_sections_for, api_places, roles_of


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {
        "roles": roles_of(request.user),
        "admin_sections": admin_sections_for(request),
        "api_places": api_places(),
    }
    return render(request, "home.html", context)
