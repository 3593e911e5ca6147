"""The project's URLs plus a test webhook receiver at /test-hooks/<provider>/.

Until the real webhook inbox exists, end-to-end tests point the sandbox merchants'
webhook URL here (settings.ROOT_URLCONF = "tests.webhook_receiver_urls") and read what
arrived from RECEIVED: the exact body bytes and headers, as a receiver must verify them.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from skinspire.urls import urlpatterns as project_urlpatterns


@dataclass(frozen=True)
class ReceivedWebhook:
    provider: str
    body: bytes
    headers: dict[str, str]


# Module-level on purpose: the sandbox posts in-process, so the test reads the same list.
# Cleared by the tests' receiver fixture before and after each test.
RECEIVED: list[ReceivedWebhook] = []


@csrf_exempt
@require_POST
def record_view(request: HttpRequest, provider: str) -> HttpResponse:
    RECEIVED.append(ReceivedWebhook(provider=provider, body=request.body, headers=dict(request.headers)))
    return HttpResponse("ok")


urlpatterns = [
    *project_urlpatterns,
    path("test-hooks/<str:provider>/", record_view, name="test-hooks"),
]
