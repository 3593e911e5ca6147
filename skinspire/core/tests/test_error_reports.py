"""Error pages (the local DEBUG page included) and error e-mails never show the field
encryption salt or keys, database or Redis passwords, or a credential held in a request,
a setting or a local variable."""

import sys

import pytest
from django.views.debug import ExceptionReporter, technical_500_response

SALT = "salt-QXZJ7WVK"
FIELD_KEY = "field-key-ZQW8XJ3V"
DATABASE_PASSWORD = "dbpass-XJQZ4WKV"
REDIS_PASSWORD = "redispass-WZQX9JVK"
TYPED_SECRET = "typed-secret-JQXZ2VWK"
LOCAL_SECRET = "local-secret-VZXQ6JWK"
DATABASE_URL = f"postgres://skinspire:{DATABASE_PASSWORD}@db.internal:5432/skinspire"
REDIS_URL = f"redis://:{REDIS_PASSWORD}@cache.internal:6379/0"
EVERYTHING = [SALT, FIELD_KEY, DATABASE_PASSWORD, REDIS_PASSWORD, TYPED_SECRET, LOCAL_SECRET]


def connect(cleaned_data: dict) -> None:
    key_secret = cleaned_data["razorpay_key_secret"]
    auth = ("rzp_test_ReportKey01", key_secret)
    raise RuntimeError(f"gateway refused {len(auth)} credentials")


@pytest.fixture
def failure(rf, settings):
    settings.DEBUG = True
    settings.FIELD_ENCRYPTION_SALT = SALT
    settings.SALT_KEY = [SALT]
    settings.FIELD_ENCRYPTION_KEYS = [FIELD_KEY]
    settings.REDIS_URL = REDIS_URL
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.RESULTS_STORE = {"LOCATION": REDIS_URL}  # a URL under an innocent name
    # Under runserver the process environment is part of request.META.
    request = rf.post(
        "/admin/gateways/gatewayconfiguration/add/",
        {"name": "Razorpay", "razorpay_key_secret": TYPED_SECRET},
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        FIELD_ENCRYPTION_SALT=SALT,
        FIELD_ENCRYPTION_KEYS=FIELD_KEY,
    )
    try:
        connect({"name": "Razorpay", "razorpay_key_secret": LOCAL_SECRET})
    except RuntimeError:
        return request, sys.exc_info()


def test_the_debug_page_shows_none_of_them(failure):
    request, exc_info = failure

    html = technical_500_response(request, *exc_info).content.decode()

    assert [secret for secret in EVERYTHING if secret in html] == []
    assert "gateway refused 2 credentials" in html  # it is the error page, with its frames
    assert "FIELD_ENCRYPTION_SALT" in html  # listed, its value hidden
    assert "redis://:********************@cache.internal" in html  # a URL keeps all but its password


def test_the_error_email_text_shows_none_of_them(failure):
    request, exc_info = failure

    text = ExceptionReporter(request, *exc_info).get_traceback_text()

    assert [secret for secret in EVERYTHING if secret in text] == []
    assert "gateway refused 2 credentials" in text
