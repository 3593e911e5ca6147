"""Answers are not kept by browsers or proxies unless their view says they may be.

Nearly every answer of the site names a patient, a supplier, an amount or an account: the
workspace, the API, the patient's pages. Django's admin sends no-store itself (never_cache);
the rest sent nothing, so a shared hospital desk's back button after a logout, or a shared
proxy, could show them again. A view whose answer may be cached sets Cache-Control itself
(the ReDoc bundle does); static files are served before this middleware runs (WhiteNoise).
"""

from django.utils.cache import add_never_cache_headers


class NoStoreByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
