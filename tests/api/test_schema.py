"""The OpenAPI schema, its documentation page, and a bounded schemathesis run against it."""

import json

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/schema/"
OPERATIONS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def openapi(client) -> dict:
    response = client.get(SCHEMA_URL, {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def operations(openapi: dict):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            if method in OPERATIONS:
                yield path, method, operation


def test_the_schema_is_valid_openapi_3(openapi):
    validate_schema(openapi)

    assert openapi["openapi"].startswith("3.")


def test_the_schema_covers_every_endpoint(openapi):
    paths = set(openapi["paths"])

    assert {
        "/api/v1/series/",
        "/api/v1/championships/",
        "/api/v1/championships/{slug}/",
        "/api/v1/championships/{slug}/standings/",
        "/api/v1/meetings/",
        "/api/v1/races/",
        "/api/v1/races/{id}/",
        "/api/v1/races/{id}/results/",
        "/api/v1/penalties/",
        "/api/v1/penalties/{id}/",
        "/api/v1/season-bundles/",
        "/api/v1/entries/",
        "/api/v1/drivers/",
        "/api/v1/drivers/{slug}/",
        "/api/v1/teams/",
        "/api/v1/circuits/",
    } <= paths


def test_every_operation_is_summarised_and_documents_its_errors(openapi):
    for path, method, operation in operations(openapi):
        responses = set(operation["responses"])
        assert operation.get("summary"), (path, method)
        assert "429" in responses, (path, method)
        if "{" in path:
            assert "404" in responses, (path, method)
        if method != "get":
            assert {"401", "403"} <= responses, (path, method)
        if method in ("post", "put", "patch"):
            assert "400" in responses, (path, method)
        if method == "get":
            assert "304" in responses, (path, method)


def test_every_query_parameter_is_described(openapi):
    for path, method, operation in operations(openapi):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                assert parameter.get("description"), (path, method, parameter["name"])


def test_the_writes_have_examples(openapi):
    results = openapi["paths"]["/api/v1/races/{id}/results/"]["post"]

    assert results["requestBody"]["content"]["text/csv"]["examples"]
    assert results["responses"]["400"]["content"]["application/json"]["examples"]
    assert openapi["paths"]["/api/v1/penalties/"]["post"]["requestBody"]["content"][
        "application/json"
    ]["examples"]


def test_the_docs_page_is_served_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/", HTTP_ACCEPT="text/html")

    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


# A bounded run: a few derandomized examples per operation, the schema's own examples first,
# and schemathesis's coverage phase, which sends each documented parameter (valid and invalid
# values, at their bounds): without it, six random examples left some parameters unsent, and
# ?page=64116 on the versions list (documented as paged, answered as an array) went unseen.

CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": 6, "deterministic": True},
        "phases": {"coverage": {"enabled": True}, "stateful": {"enabled": False}},
    }
)


def generated_schema() -> dict:
    """The schema as /api/v1/schema/ serves it, built without a request."""
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(generated_schema(), cls=DjangoJSONEncoder)), config=CONFIG
)
APP = get_wsgi_application()
# No server error, and every answer as the schema says: status, media type, headers, body.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def unthrottled():
    rates = {"anon": "100000/min"}  # the run is hundreds of anonymous requests
    with override_settings(
        REST_FRAMEWORK={**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        yield


@pytest.fixture
def connection_kept():
    """Keep the test's database connection across the WSGI calls, as Django's test client does.

    Called directly, the WSGI handler closes the connection at the end of every request
    (request_finished → close_old_connections); on PostgreSQL that ends the test's
    transaction and every later request fails with "the connection is closed".
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The documented query parameters each read (GET) was answered 200 with, during the run.
REACHED: dict[str, set[str]] = {}


@schema.parametrize()
@settings(max_examples=6, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, pcca, unthrottled, connection_kept):
    response = case.call_and_validate(app=APP, checks=CHECKS)
    if case.operation.method.lower() == "get" and response.status_code == 200:
        REACHED.setdefault(case.operation.path, set()).update(case.query or {})


def test_the_run_reached_every_documented_query_parameter(openapi):
    """Each parameter a read documents was sent, and answered 200, by the run above."""
    if not REACHED:
        pytest.skip("the schemathesis run above was not selected")
    for path, method, operation in operations(openapi):
        documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if method == "get" and documented:
            missing = documented - REACHED.get(path, set())
            assert not missing, (path, missing)
