from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from skinspire.core.api import ObtainTokenView

# 400s Django raises before a view runs, in the caller's shape (JSON for the API).
handler400 = "skinspire.core.views.bad_request"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/auth/token/", ObtainTokenView.as_view(), name="api-token"),
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
