"""The writes of the API, fuzzed by schemathesis as staff with every permission.

tests/api/test_schema.py runs schemathesis over every operation of the schema anonymously, so a
write there stops at 401. This run sends the same generated requests with a superuser's token,
so that the validation behind each write (penalties, race results, season bundles) meets the
bad input too: never a server error. Bounded and derandomized.
"""

from __future__ import annotations

import json
import re

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from championships.bundle import season_import
from tests.factories import EXAMPLE_SEASON

CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": 8, "deterministic": True},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(
    json.loads(
        json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder)
    ),
    config=CONFIG,
).include(method=["POST", "PUT", "PATCH", "DELETE"])
APP = get_wsgi_application()


@pytest.fixture
def kept_connection():
    """The WSGI handler closes the database connection after each request, which would end the
    test's transaction; the test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def season(db, kept_connection) -> None:
    cache.clear()
    season_import(EXAMPLE_SEASON)
    rates = {"anon": "100000/min"}
    with override_settings(
        REST_FRAMEWORK={**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        yield
    cache.clear()


def staff_token() -> str:
    user, _ = get_user_model().objects.get_or_create(
        username="fuzzer", defaults={"is_staff": True, "is_superuser": True}
    )
    return Token.objects.get_or_create(user=user)[0].key


@schema.parametrize()
@settings(max_examples=8, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_write_ends_in_a_server_error(case, season):
    headers = {"Authorization": f"Token {staff_token()}"}

    case.call_and_validate(app=APP, headers=headers, checks=[not_a_server_error])


def test_the_fuzzed_schema_names_every_endpoint_of_the_api():
    """Both schemathesis runs (here and tests/api/test_schema.py) cover what the schema lists;
    the schema must list every endpoint but its own page and docs."""
    from drf_spectacular.generators import EndpointEnumerator

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]+\}", "{}", path)

    endpoints = {shape(path) for path, *_ in EndpointEnumerator().get_api_endpoints()}
    documented = {shape(path) for path in schema.raw_schema["paths"]}

    assert endpoints - documented == {"/api/v1/docs/", "/api/v1/schema/"}
