"""Content-Security-Policy (django-csp 4, CSPMiddleware in base.MIDDLEWARE).

Everything a page uses comes from this site: no inline script or style (the hosted pages'
CSS and scripts are static files), no plugins, no framing. Forms post only here; a hosted
payment page adds the one other origin its form goes to, for itself (skinspire.core.csp).
data: images are the inline icons Swagger UI and the admin draw with.

Beside it, Permissions-Policy (django-permissions-policy, first in base.MIDDLEWARE): the
browser features no page uses are off, for every page and anything it could frame.
"""

from csp.constants import NONE, SELF

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Each feature -> the origins allowed it ([] = none), as django-permissions-policy spells it.
# Only names Chromium knows (an unknown one is a console warning on every page). `payment` is
# off too: no script of ours or the sandbox's calls the Payment Request API, and the gateways'
# hosted checkouts are their own pages, reached by a top-level form POST (an embedded checkout
# is ruled out by the CSP anyway). The clipboard is left alone: the copy buttons write to it.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}
