from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from skinspire.core.authentication import api as authentication_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/auth/token/", authentication_api.ObtainTokenView.as_view(), name="api-token"),
    path("api/auth/logout/", authentication_api.LogoutView.as_view(), name="api-logout"),
    path("api/auth/logout-all/", authentication_api.LogoutAllView.as_view(), name="api-logout-all"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # A person opening the docs in a browser is sent to log in first (the schema is staff-only).
    path(
        "api/docs/",
        login_required(SpectacularSwaggerView.as_view(url_name="api-schema"), login_url="admin:login"),
        name="api-docs",
    ),
]

if settings.SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("skinspire.gateways.sandbox.urls")))
