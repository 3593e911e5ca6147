"""/api/ answers with an index; Swagger UI and ReDoc come from our own files only."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

SIDECAR = "/static/drf_spectacular_sidecar"


def test_the_api_index_lists_where_to_start(api_client):
    response = api_client.get("/api/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "name": "Skinspire Payments API",
        "version": "1.0.0",
        "authentication": (
            "POST username and password to `token`, then send `Authorization: Token <token>`; "
            "browsers may use the session of the admin login instead."
        ),
        "links": {
            "token": "http://testserver/api/auth/token/",
            "schema": "http://testserver/api/schema/",
            "docs": "http://testserver/api/docs/",
            "redoc": "http://testserver/api/redoc/",
        },
    }


@pytest.mark.parametrize(
    "path",
    [
        "swagger-ui-dist/swagger-ui.css",
        "swagger-ui-dist/swagger-ui-bundle.js",
        "swagger-ui-dist/swagger-ui-standalone-preset.js",
        "swagger-ui-dist/favicon-32x32.png",
        "swagger-ui-dist/oauth2-redirect.html",
        "redoc/bundles/redoc.standalone.js",
    ],
)
def test_the_sidecar_has_every_file_drf_spectacular_asks_for(path):
    assert finders.find(f"drf_spectacular_sidecar/{path}")


def scripts_and_styles(html: str) -> tuple[list[str], list[str]]:
    return re.findall(r"<script src=\"([^\"]+)\"></script>", html), re.findall(
        r'rel="stylesheet" href="([^"]+)"', html
    )


def test_swagger_ui_loads_local_files_and_no_inline_script_or_style(client, staff_user):
    client.force_login(staff_user)
    html = client.get("/api/docs/").content.decode()
    assert scripts_and_styles(html) == (
        [
            f"{SIDECAR}/swagger-ui-dist/swagger-ui-bundle.js",
            f"{SIDECAR}/swagger-ui-dist/swagger-ui-standalone-preset.js",
            "/api/docs/?script=",
        ],
        [f"{SIDECAR}/swagger-ui-dist/swagger-ui.css", "/static/skinspire/api-docs.css"],
    )
    assert html.count("<script") == 3
    assert "<style" not in html
    assert " style=" not in html


def test_swaggers_start_up_script_is_a_file_and_turns_the_online_validator_off(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    script = response.content.decode()
    assert '"validatorUrl": null' in script
    assert '  url: "/api/schema/",\n' in script


def test_redoc_sends_an_anonymous_browser_to_log_in(client):
    response = client.get("/api/redoc/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/api/redoc/")


def test_redoc_loads_local_files_and_no_web_fonts(client, staff_user):
    client.force_login(staff_user)
    html = client.get("/api/redoc/").content.decode()
    assert scripts_and_styles(html) == (
        ["/api/redoc/redoc.standalone.js"],
        ["/static/skinspire/api-docs.css"],
    )
    assert '<redoc spec-url="/api/schema/"></redoc>' in html
    assert html.count("<script") == 1
    assert "fonts.googleapis.com" not in html
    assert "<style" not in html


def test_the_redoc_bundle_shows_a_local_logo_instead_of_fetching_redoclys(client):
    response = client.get("/api/redoc/redoc.standalone.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    bundle = response.content.decode()
    assert "cdn.redoc.ly" not in bundle
    assert 'src:"/static/skinspire/redoc-logo.svg"' in bundle
    assert bundle.endswith(f"//# sourceMappingURL={SIDECAR}/redoc/bundles/redoc.standalone.js.map")
    assert finders.find("skinspire/redoc-logo.svg")
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js.map")

    again = client.get("/api/redoc/redoc.standalone.js", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
