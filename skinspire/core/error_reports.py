"""What error pages and error e-mails may show (settings.DEFAULT_EXCEPTION_REPORTER_FILTER).

Django's SafeExceptionReporterFilter hides settings named like API/AUTH/TOKEN/KEY/SECRET/
PASS/SIGNATURE, and only when DEBUG is off. Here it also hides the field-encryption salt,
database, Redis and broker URLs (the environment shows up in request.META under runserver),
the password inside any URL, secret-named POST parameters, and secret-named local variables
and dictionary entries in traceback frames (a form's cleaned_data holds typed credentials);
and it does so with DEBUG on, because the local DEBUG page is where such values were seen.
"""

import re

from django.conf import settings
from django.views.debug import SafeExceptionReporterFilter

HIDDEN_NAMES = re.compile(
    "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|SALT|CREDENTIAL|CHECKSUM|"
    "DATABASE_URL|REDIS_URL|BROKER_URL|SUBWALLET|(^|_)MID$",
    flags=re.IGNORECASE,
)
URL_WITH_PASSWORD = re.compile(
    r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@/\s]+)(?P<tail>@)", re.I
)
MAX_DEPTH = 6


class SecretHidingExceptionReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = HIDDEN_NAMES

    def is_active(self, request):
        # Django switches its filter off under DEBUG; secrets are no less secret there.
        return True

    def cleanse_setting(self, key, value):
        return self._cleanse(key, value, depth=0)

    def _cleanse(self, key, value, *, depth: int):
        if isinstance(key, str) and (key == settings.SESSION_COOKIE_NAME or self.hidden_settings.search(key)):
            return self.cleansed_substitute
        if isinstance(value, str):
            # str(): lazy settings values (axes' form field names) pass isinstance but not re.
            return URL_WITH_PASSWORD.sub(rf"\g<head>{self.cleansed_substitute}\g<tail>", str(value))
        if depth >= MAX_DEPTH and isinstance(value, (dict, list, tuple)):
            return self.cleansed_substitute  # too deep to inspect (or a cycle): hidden, not shown
        if isinstance(value, dict):
            return {name: self._cleanse(name, item, depth=depth + 1) for name, item in value.items()}
        if isinstance(value, (list, tuple)):
            items = [self._cleanse("", item, depth=depth + 1) for item in value]
            return items if isinstance(value, list) else tuple(items)
        return super().cleanse_setting(key, value)

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not any(self.hidden_settings.search(name) for name in parameters):
            return parameters
        cleansed = parameters.copy()
        for name in cleansed:
            if self.hidden_settings.search(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self._cleanse(name, value, depth=0)) for name, value in variables]
