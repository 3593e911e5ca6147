"""Content-Security-Policy (django-csp 4, CSPMiddleware in base.MIDDLEWARE).

Everything a page uses comes from this site: no inline script or style (the hosted pages'
CSS and scripts are static files), no plugins, no framing. Forms post only here; a hosted
payment page adds the one other origin its form goes to, for itself (skinspire.core.csp).
data: images are the inline icons Swagger UI and the admin draw with.
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
