"""What the home page shows a signed-in person: their roles, and where their work is."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse

from skinspire.core.roles import ALL_ROLES, ROLE_DESCRIPTIONS, SUPERUSER_DESCRIPTION


@dataclass(frozen=True)
class Role:
    name: str
    description: str


@dataclass(frozen=True)
class Place:
    title: str
    url: str
    description: str


def roles_of(user) -> list[Role]:
    if user.is_superuser:
        return [Role("Superuser", SUPERUSER_DESCRIPTION)]
    names = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    return [Role(name, ROLE_DESCRIPTIONS[name]) for name in ALL_ROLES if name in names]


@dataclass(frozen=True)
class AdminSection:
    name: str
    places: list[Place]


def admin_sections_for(request: HttpRequest) -> list[AdminSection]:
    """The admin apps and models this person may open: Django admin decides, by permission."""
    if not admin.site.has_permission(request):
        return []
    return [
        AdminSection(
            app["name"],
            [
                Place(model["name"], model["admin_url"], _abilities(model["perms"]))
                for model in app["models"]
                if model["admin_url"]
            ],
        )
        for app in admin.site.get_app_list(request)
    ]


def _abilities(permissions: dict[str, bool]) -> str:
    # A change permission lets admin show the object, so "change" implies "view".
    granted = [verb for verb in ("view", "add", "change", "delete") if permissions.get(verb)]
    if "change" in granted and "view" not in granted:
        granted.insert(0, "view")
    return "you can " + ", ".join(granted)


def api_places() -> list[Place]:
    places = [
        Place("API documentation (Swagger UI)", reverse("api-docs"), "Try every endpoint while signed in."),
        Place("API reference (ReDoc)", reverse("api-redoc"), "The same operations, to read."),
        Place("API index", reverse("api-index"), "Links for scripts: token, schema, docs."),
    ]
    return places + app_places()


def app_places() -> list[Place]:
    """Places an installed app adds itself (AppConfig.home_places: title, URL name,
    description), e.g. the sandbox in development. Core never names those apps (DESIGN)."""
    return [
        Place(title, reverse(url_name), description)
        for app_config in apps.get_app_configs()
        for title, url_name, description in getattr(app_config, "home_places", ())
    ]
