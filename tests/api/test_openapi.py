import re

from openapi_spec_validator import validate

API_PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def documented_path(rule: str) -> str:
    """/api/v1/enterprises/<int:enterprise_id> -> /enterprises/{enterprise_id}"""
    relative = rule.removeprefix(API_PREFIX)
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", relative)


def test_the_document_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"


def test_the_document_is_a_valid_openapi_description(client):
    document = client.get("/api/v1/openapi.json").json

    validate(document)

    assert document["servers"] == [{"url": API_PREFIX}]


def test_creating_a_firm_documents_its_location_header(client):
    document = client.get("/api/v1/openapi.json").json

    created = document["paths"]["/enterprises"]["post"]["responses"]["201"]

    assert "Location" in created["headers"]


def test_every_api_route_is_documented_with_its_methods(app, client):
    document = client.get("/api/v1/openapi.json").json
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX + "/") and rule.rule != API_PREFIX + "/openapi.json":
            methods = set(rule.methods or ()) - IGNORED_METHODS
            routes.setdefault(documented_path(rule.rule), set()).update(methods)

    documented = {
        path: {method.upper() for method in item if method != "parameters"}
        for path, item in document["paths"].items()
    }

    assert routes
    assert {path: documented.get(path, set()) for path in routes} == routes


def test_every_documented_operation_exists(app, client):
    document = client.get("/api/v1/openapi.json").json
    rules = {
        (documented_path(rule.rule), method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
    }

    operations = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }

    assert operations - rules == set()


def test_the_path_converter_is_mapped_to_a_template():
    path = documented_path("/api/v1/enterprises/<int:enterprise_id>/figures/<year>")

    assert path == "/enterprises/{enterprise_id}/figures/{year}"


FIELD_ERRORS_REF = {"$ref": "#/components/schemas/FieldErrors"}


def operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    ]


def answer_schema(operation: dict, status: str) -> object:
    answer = operation["responses"].get(status, {})
    return answer.get("content", {}).get("application/json", {}).get("schema")


def test_every_documented_answer_has_a_json_schema(client):
    document = client.get("/api/v1/openapi.json").json

    without_schema = [
        f"{method.upper()} {path} {status}"
        for path, method, operation in operations(document)
        for status, answer in operation["responses"].items()
        if "schema" not in answer.get("content", {}).get("application/json", {})
    ]

    assert without_schema == []


def test_every_operation_with_a_body_documents_its_field_errors_for_400_and_422(client):
    document = client.get("/api/v1/openapi.json").json

    missing = [
        f"{method.upper()} {path} {status}"
        for path, method, operation in operations(document)
        if "requestBody" in operation
        for status in ("400", "422")
        if answer_schema(operation, status) != FIELD_ERRORS_REF
    ]

    assert missing == []


def test_every_operation_behind_a_token_documents_401(client):
    document = client.get("/api/v1/openapi.json").json

    missing = [
        f"{method.upper()} {path}"
        for path, method, operation in operations(document)
        if operation.get("security", document["security"]) and "401" not in operation["responses"]
    ]

    assert missing == []


def test_every_operation_with_query_parameters_documents_their_field_errors(client):
    document = client.get("/api/v1/openapi.json").json

    missing = [
        f"{method.upper()} {path}"
        for path, method, operation in operations(document)
        if any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        and answer_schema(operation, "422") != FIELD_ERRORS_REF
    ]

    assert missing == []


def test_every_write_operation_documents_the_409_of_a_lost_race(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]

    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete")
        and path != "/auth/token"
        and "409" not in operation["responses"]
    ]

    assert undocumented == []
