"""Fuzz: no operation in the API's OpenAPI schema answers a 5xx, whatever it is sent.

Schemathesis reads the schema the project serves (drf-spectacular's, as /api/schema/ gives
it), so an endpoint added later is fuzzed without touching this module. Requests go
through the project's real WSGI entry point (skinspire/wsgi.py, its wrapper and middleware
included), authenticated as a staff user holding every role, so each operation runs its
own checks. The schema is built at import rather than fetched from /api/schema/ by a
fixture: schemathesis's fixture loader reads `request.node._nodeid`, which pytest 9
removed; `test_the_fuzzed_schema_is_the_served_schema` keeps the two the same.
"""

import ipaddress
import itertools
import json
import re

import pytest
import schemathesis
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from skinspire.core.authentication.tokens import api_token_create
from skinspire.core.roles import ALL_ROLES
from skinspire.core.testing import in_test_transaction
from skinspire.core.tests import bad_input
from skinspire.core.tests.factories import UserFactory
from skinspire.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 30
# Each request comes from its own address (TEST-NET-2 onwards), so the anonymous rate
# limit neither cuts the fuzz short nor spends the budget of other tests, which share the
# limit's cache when it is Redis.
_addresses = (str(ipaddress.ip_address("198.51.100.0") + number) for number in itertools.count())


def served_schema() -> dict:
    """The OpenAPI document /api/schema/?format=json serves, as plain JSON."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


schema = schemathesis.openapi.from_dict(served_schema())
schema.app = in_test_transaction(application)


@pytest.fixture
def staff_token(hospital, branch):
    user = UserFactory(hospital=hospital, roles=ALL_ROLES, branches=[branch])
    return api_token_create(user=user)[1]


def test_the_fuzzed_schema_is_the_served_schema(api_client, staff_token):
    response = api_client.get("/api/schema/?format=json", HTTP_AUTHORIZATION=f"Token {staff_token}")

    assert response.status_code == 200
    assert json.loads(response.content) == served_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_operation_never_answers_a_server_error(case, staff_token):
    with transaction.atomic():  # every example meets the same database
        response = case.call(
            headers={"Authorization": f"Token {staff_token}"},
            environ_base={"REMOTE_ADDR": next(_addresses)},
        )
        transaction.set_rollback(True)

    case.validate_response(response, checks=[not_a_server_error])


# Bodies no schema would generate: nesting 1,000 deep (the 2 KB body that was a 500 on
# /api/auth/token/), text the database cannot hold, numbers out of range, bytes that are
# not UTF-8 or not JSON; each sent as JSON, as JSON in a charset that cannot decode, as a form.
UNREADABLE_BODIES = [
    *bad_input.RAW_BODIES,
    b'{"username":' + b"[" * 1000 + b"]" * 1000 + b',"password":"x"}',
    b'{"username":"a\\u0000b","password":"x"}',
    b'{"username":"\\ud800","password":"x"}',
    b'{"username":"asha","password":1e999}',
]
BODY_CONTENT_TYPES = [
    "application/json",
    "application/json; charset=hex",
    "application/x-www-form-urlencoded",
]
OPERATIONS_WITH_BODIES = [
    (method.upper(), path)
    for path, operations in served_schema()["paths"].items()
    for method, operation in operations.items()
    if "requestBody" in operation
]


@pytest.mark.parametrize("method, path", OPERATIONS_WITH_BODIES)
def test_api_operation_answers_every_unreadable_body_with_a_4xx_in_the_error_shape(method, path, staff_token):
    client = bad_input.wsgi_client()
    url = re.sub(r"\{[^}]+\}", "1", path)  # path parameters: any id; the body is what is tested
    for body, content_type in itertools.product(UNREADABLE_BODIES, BODY_CONTENT_TYPES):
        request = bad_input.FuzzRequest(
            method, url, body, content_type, {"Authorization": f"Token {staff_token}"}
        )
        response = bad_input.send_isolated(request, client, remote_addr=next(_addresses))

        assert 400 <= response.status_code < 500, (body[:60], content_type, response.status_code)
        document = json.loads(response.data)
        assert isinstance(document["message"], str) and isinstance(document["extra"], dict), document
