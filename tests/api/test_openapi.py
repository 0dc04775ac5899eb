"""The OpenAPI 3.1 document, and schemathesis run against the live app with it."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.opendata.ideas import add_idea

ST = Path(sys.executable).with_name("st")


def test_document_describes_the_json_api_and_open311(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    paths = document["paths"]
    ideas = paths["/api/v1/ideas.geojson"]["get"]
    assert {p["name"] for p in ideas["parameters"]} >= {
        "bbox",
        "status",
        "category",
        "territory",
        "q",
        "zoom",
    }
    error = ideas["responses"]["400"]["content"]["application/json"]["schema"]
    assert error["properties"]["error"]["required"] == ["code", "message"]
    assert "/api/v1/territories.geojson" in paths
    for fmt in ("json", "xml"):
        for path in ("discovery", "services", "requests", "requests/{service_request_id}"):
            assert f"/open311/v2/{path}.{fmt}" in paths
    assert "post" in paths["/open311/v2/requests.json"]


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, balvu):
    for number in range(5):
        add_idea(title=f"Priekšlikums numur {number}", unit="Viļaka")
    add_idea(title="Paslēpts priekšlikums", hidden=True)
    result = subprocess.run(
        [
            str(ST),
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_schema_conformance",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "15",
            "--seed",
            "20261125",
            "--workers",
            "1",
            "--request-timeout",
            "20",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    assert "12 selected / 12 total" in result.stdout, report
