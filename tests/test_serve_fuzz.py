"""The OpenAPI document of ``mtlint serve``, fuzzed with schemathesis, in process (ASGI).

Every operation gets a bounded number of generated requests, valid
(``positive``) and schema-violating (``negative``); each answer must be no
5xx, a JSON error object for any 4xx, and conform to the documented
responses (schemathesis' checks).  A hang fails through pytest-timeout.

Driven with Hypothesis directly over ``APIOperation.as_strategy`` rather than
``@schema.parametrize``: schemathesis' lazy pytest loader reads a private
pytest attribute that pytest 9.2 no longer has.
"""

from __future__ import annotations

import pytest

from serve_helpers import app, serve_extra

serve_extra()
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed: pip install '.[test]'")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

#: generated requests per operation and mode
EXAMPLES = 30
#: (method, path, takes input): operations without input have no invalid requests to make
OPERATIONS = [
    ("POST", "/api/v1/check", True),
    ("POST", "/api/v1/fix", True),
    ("GET", "/api/v1/rules", False),
    ("POST", "/v2/check", True),
    ("GET", "/v2/check", True),
    ("GET", "/v2/languages", False),
    ("GET", "/healthz", False),
]
CASES = [
    pytest.param(method, path, mode, id=f"{method} {path} {mode.value}")
    for method, path, takes_input in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if takes_input or mode is GenerationMode.POSITIVE
]


@pytest.fixture(scope="module")
def api_schema():
    return schemathesis.openapi.from_asgi("/openapi.json", app(timeout=60.0))


def test_every_operation_is_fuzzed(api_schema):
    documented = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert documented == {(m, p) for m, p, _ in OPERATIONS}


@pytest.mark.parametrize("method,path,mode", CASES)
def test_no_server_error_and_answers_as_documented(api_schema, method, path, mode):
    operation = api_schema[path][method]
    seen = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    def run(case):
        response = case.call()
        seen.append(response.status_code)
        assert response.status_code < 500, (case.body, case.query, response.text)
        if response.status_code >= 400:
            assert response.json()["error"]["message"], response.text
        # a schema-valid request may still name a rule that does not exist or hold only
        # whitespace: those are 400s by design, so "valid data is accepted" cannot hold
        case.validate_response(response, excluded_checks=[positive_data_acceptance])

    run()
    assert seen
