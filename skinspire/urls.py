from django.apps import apps
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from skinspire.core.api import ApiIndexView
from skinspire.core.api_docs import RedocView, SwaggerView, redoc_bundle_view
from skinspire.core.authentication import api as authentication_api
from skinspire.core.views import home
from skinspire.link_api import CreatePaymentLinkView

# A person opening the docs in a browser is sent to log in first (the schema is staff-only).
docs_login_required = login_required(login_url="admin:login")

admin.site.site_header = "Skinspire Payments administration"
admin.site.site_title = "Skinspire Payments admin"

# 400s Django raises before a view runs, an address nothing answers and a server error, in
# the caller's shape (JSON for the API).
handler400 = "skinspire.core.error_views.bad_request"
handler404 = "skinspire.core.error_views.page_not_found"
handler500 = "skinspire.core.error_views.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("workspace/", include("skinspire.workspace.urls")),
    path("admin/", admin.site.urls),
    path("api/", ApiIndexView.as_view(), name="api-index"),
    path("api/auth/token/", authentication_api.ObtainTokenView.as_view(), name="api-token"),
    path("api/auth/logout/", authentication_api.LogoutView.as_view(), name="api-logout"),
    path("api/auth/logout-all/", authentication_api.LogoutAllView.as_view(), name="api-logout-all"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", docs_login_required(SwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("api/redoc/", docs_login_required(RedocView.as_view(url_name="api-schema")), name="api-redoc"),
    path("api/redoc/redoc.standalone.js", redoc_bundle_view, name="api-redoc-bundle"),
    path("api/gateway/webhook/", include("skinspire.gateways.webhooks.urls")),
    # A patient's payment link or a supplier's payout link, by the body (skinspire/link_api.py).
    path("api/gateway/create-payment-link", CreatePaymentLinkView.as_view(), name="collections-link-create"),
    path("api/", include("skinspire.payouts.api.urls")),
    path("api/", include("skinspire.collections.urls")),
    path("api/", include("skinspire.reconciliation.api.urls")),
    path("pay/", include("skinspire.collections.page_urls")),
]

# An app installed only in some environments (the sandbox: development and tests) routes
# itself: its AppConfig's `url_prefix` mounts `<app>.urls` there. So it is routed exactly
# where it is installed, and this file never names it.
urlpatterns += [
    path(url_prefix, include(f"{app_config.name}.urls"))
    for app_config in apps.get_app_configs()
    if (url_prefix := getattr(app_config, "url_prefix", ""))
]
