"""Swagger UI and ReDoc, served entirely from this site.

The pages load only our own files, with no inline script or style, so they work on an
intranet and under a Content-Security-Policy without 'unsafe-inline'. Swagger UI's start-up
script is a separate request (SpectacularSwaggerSplitView's `?script`).
"""

import hashlib
from functools import cache
from pathlib import Path

import drf_spectacular_sidecar
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import etag, require_GET
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOC_MAP = f"{REDOC_BUNDLE}.map"
# ReDoc's side menu always shows "API docs by Redocly" with a logo fetched from Redocly's
# CDN: a request to another host from every docs page. The bundle is served with that logo
# swapped for a local one (and its source map pointed at the static copy).
REDOC_REWRITES = {
    '"https://cdn.redoc.ly/redoc/logo-mini.svg"': lambda: f'"{static("skinspire/redoc-logo.svg")}"',
    "//# sourceMappingURL=redoc.standalone.js.map": lambda: f"//# sourceMappingURL={static(REDOC_MAP)}",
}


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

    @staticmethod
    def _redoc_standalone():
        return reverse("api-redoc-bundle")


@cache
def redoc_bundle() -> tuple[bytes, str]:
    """The rewritten bundle and its ETag, built once per process."""
    text = (Path(drf_spectacular_sidecar.__file__).parent / "static" / REDOC_BUNDLE).read_text("utf-8")
    for original, replacement in REDOC_REWRITES.items():
        text = text.replace(original, replacement())
    content = text.encode("utf-8")
    return content, hashlib.sha256(content).hexdigest()[:32]


@require_GET
@etag(lambda request: redoc_bundle()[1])
def redoc_bundle_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(redoc_bundle()[0], content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
