"""Swagger UI and ReDoc, served entirely from this site.

The pages load only our own files, with no inline script, so they work on an intranet and
under a Content-Security-Policy without 'unsafe-inline' for scripts. Swagger UI's start-up
script is a separate request (SpectacularSwaggerSplitView's `?script`). Both bundles insert
<style> elements at run time (ReDoc's styled-components, Swagger UI's highlighter), so these
two pages alone add 'unsafe-inline' to style-src, and ReDoc's search worker needs
worker-src blob:; script-src stays 'self' only.
"""

import hashlib
from functools import cache
from pathlib import Path

import drf_spectacular_sidecar
from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
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


# Styles the bundles inject at run time; scripts are not relaxed. (One csp_update per view:
# a second decorator would replace the first's update, not add to it.)
INJECTED_STYLES = {"style-src": ["'unsafe-inline'"]}


@method_decorator(csp_update(INJECTED_STYLES), name="dispatch")
class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


# ReDoc's search index also runs in a Web Worker it creates from a blob: URL of its bundle.
@method_decorator(csp_update({**INJECTED_STYLES, "worker-src": ["'self'", "blob:"]}), name="dispatch")
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
