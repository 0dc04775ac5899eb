"""Errors of the JSON API and of Open311 speak the reader's language: ?lang=, then
Accept-Language, then Latvian. Codes for programs (HTTP status, `code`, `reason`) never change."""

import pytest

IDEAS = "/api/v1/ideas.geojson"
BBOX = "26.6,56.8,28.2,57.4"


def error_of(response, status: int = 400) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == status
    return error


@pytest.mark.parametrize(
    ("query", "headers", "message"),
    [
        ("", {}, "bbox ir obligāts: bbox=west,south,east,north grādos (WGS 84)."),
        ("", {"Accept-Language": "en-GB,en;q=0.8"}, "bbox is required: "),
        ("?lang=en", {"Accept-Language": "lv"}, "bbox is required: "),
        ("?lang=lv", {"Accept-Language": "en"}, "bbox ir obligāts: "),
        ("?lang=de", {"Accept-Language": "de, en;q=0.5"}, "bbox is required: "),
    ],
)
def test_the_language_comes_from_lang_then_accept_language_then_latvian(
    client, db, query, headers, message
):
    response = client.get(IDEAS + query, headers=headers)
    error = error_of(response)
    assert error["reason"] == "bbox_required"
    assert error["message"].startswith(message)
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("lang", "reason", "query", "message"),
    [
        ("lv", "unknown_category", "category=nonexistent", "Nezināma kategorija: nonexistent."),
        ("en", "unknown_category", "category=nonexistent", "Unknown category: nonexistent."),
        ("lv", "unknown_parameter", "colour=red", "Nezināms parametrs: colour. Atļautie: "),
        ("en", "unknown_parameter", "colour=red", "Unknown parameter(s): colour. Allowed: "),
        ("lv", "invalid_zoom", "zoom=99", "zoom jābūt veselam skaitlim no 0 līdz 22."),
        ("en", "invalid_zoom", "zoom=99", "zoom must be a whole number from 0 to 22."),
        ("lv", "bbox_west_not_less_than_east", "", "bbox west jābūt mazākam par east."),
        ("en", "bbox_west_not_less_than_east", "", "bbox west must be less than east."),
    ],
)
def test_validation_errors_are_translated_with_a_stable_reason(
    client, balvu, lang, reason, query, message
):
    bbox = "28,57,27,58" if reason.startswith("bbox") else BBOX
    error = error_of(client.get(f"{IDEAS}?bbox={bbox}&{query}&lang={lang}"))
    assert error["reason"] == reason
    assert error["message"].startswith(message)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("lv", "Šajā adresē nav lapas."),
        ("en", "There is no page at this address."),
    ],
)
def test_unknown_api_addresses_are_localized_json_404s(client, db, lang, message):
    error = error_of(client.get(f"/api/v1/nothing-here?lang={lang}"), 404)
    assert error["reason"] == "not_found"
    assert error["message"].startswith(message)


@pytest.mark.parametrize(
    ("headers", "query", "message"),
    [
        ({}, "", "status jābūt open vai closed."),
        ({"Accept-Language": "en"}, "", "status must be open or closed."),
        ({"Accept-Language": "lv"}, "&lang=en", "status must be open or closed."),
    ],
)
def test_open311_errors_keep_the_spec_format_in_either_language(
    client, balvu, headers, query, message
):
    response = client.get(f"/open311/v2/requests.json?status=pending{query}", headers=headers)
    assert response.status_code == 400
    assert response.get_json() == [{"code": 400, "description": message}]


@pytest.mark.parametrize(
    ("lang", "message"),
    [("lv", "api_key nav norādīta vai nav derīga."), ("en", "api_key was not provided")],
)
def test_open311_submission_errors_follow_lang(client, balvu, lang, message):
    response = client.post(f"/open311/v2/requests.json?lang={lang}", data={"api_key": "wrong"})
    [error] = response.get_json()
    assert (response.status_code, error["code"]) == (403, 403)
    assert error["description"].startswith(message)
