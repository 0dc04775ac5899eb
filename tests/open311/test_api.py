"""Open311 GeoReport v2 spoken to by a real HTTP client (requests) against the live server.

The live server runs with CSRF protection on, as in production: the POST works because the
API is exempt and authenticated by its api_key instead.
"""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from tests.open311.conftest import open311_errors as _errors
from tests.opendata.ideas import add_idea, unit_centre


def test_discovery_in_json_and_xml(api, live_server):
    body = api.get(f"{api.base}/discovery.json").json()
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == f"{live_server.url}/open311/v2"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    response = api.get(f"{api.base}/discovery.xml")
    assert response.headers["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/specification").text.endswith("GeoReport_v2")
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "application/json",
        "text/xml",
    ]


def test_services_are_our_categories(api):
    services = api.get(f"{api.base}/services.json", headers={"Accept-Language": "en"}).json()
    assert len(services) == 10
    roads = services[0]
    assert roads["service_code"] == "roads"
    assert roads["service_name"] == "Roads and streets"
    assert roads["metadata"] is False and roads["type"] == "realtime"
    lv = api.get(f"{api.base}/services.json", headers={"Accept-Language": "lv"}).json()
    assert lv[0]["service_name"] == "Ceļi un ielas"
    root = ET.fromstring(api.get(f"{api.base}/services.xml").content)
    assert root.tag == "services"
    assert [s.find("service_code").text for s in root.findall("service")][:2] == [
        "roads",
        "public-space",
    ]
    assert root.find("service/metadata").text == "false"


def test_requests_list_shows_public_ideas_with_open_and_closed_status(api, balvu):
    from app.ideas.models import Idea, IdeaStatus

    open_idea = add_idea(title="Bedres Brīvības ielā")
    done = add_idea(title="Jauns rotaļu laukums", slug="public-space", unit="Viļaka")
    balvu.session.execute(update(Idea).where(Idea.id == done.id).values(status=IdeaStatus.DONE))
    balvu.session.commit()
    hidden = add_idea(title="Paslēpts priekšlikums", hidden=True)
    add_idea(title="Gaida moderatoru", awaiting=True)

    body = api.get(f"{api.base}/requests.json").json()
    assert [r["service_request_id"] for r in body] == [str(done.id), str(open_idea.id)]
    by_id = {r["service_request_id"]: r for r in body}
    assert by_id[str(open_idea.id)]["status"] == "open"
    assert by_id[str(done.id)]["status"] == "closed"
    assert by_id[str(done.id)]["service_code"] == "public-space"
    assert by_id[str(open_idea.id)]["description"].startswith("Vakaros")
    lon, lat = unit_centre("Balvi")
    assert by_id[str(open_idea.id)]["long"] == pytest.approx(lon, abs=1e-6)
    assert by_id[str(open_idea.id)]["lat"] == pytest.approx(lat, abs=1e-6)
    assert by_id[str(open_idea.id)]["agency_responsible"] == "Balvu novads"

    def ids(**params):
        found = api.get(f"{api.base}/requests.json", params=params).json()
        return [r["service_request_id"] for r in found]

    assert ids(status="open") == [str(open_idea.id)]
    assert ids(status="closed") == [str(done.id)]
    assert ids(service_code="roads") == [str(open_idea.id)]
    assert ids(service_code="roads,public-space") == [str(done.id), str(open_idea.id)]
    assert ids(service_request_id=f"{open_idea.id},{hidden.id},999") == [str(open_idea.id)]
    assert ids(page_size=1) == [str(done.id)]
    assert ids(page_size=1, page=2) == [str(open_idea.id)]
    assert ids(page_size=1, page=3) == []
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(start_date=tomorrow) == []
    assert len(ids(end_date=tomorrow)) == 2
    # An offset written unencoded (+ becomes a space in a query string) still parses.
    response = api.get(f"{api.base}/requests.json?start_date=2020-01-01T00:00:00+02:00")
    assert response.status_code == 200 and len(response.json()) == 2


def test_request_detail_and_xml(api, balvu):
    idea = add_idea(title="Apgaismojums stadionā", slug="culture-sport")
    [item] = api.get(f"{api.base}/requests/{idea.id}.json").json()
    assert item["service_request_id"] == str(idea.id)
    assert item["status"] == "open"
    assert item["requested_datetime"].endswith("+00:00")
    root = ET.fromstring(api.get(f"{api.base}/requests/{idea.id}.xml").content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == str(idea.id)
    assert root.find("request/service_code").text == "culture-sport"
    assert root.find("request/status").text == "open"


def test_hidden_and_missing_requests_are_404_in_the_spec_format(api, balvu):
    hidden = add_idea(title="Paslēpts priekšlikums", hidden=True)
    [error] = _errors(api.get(f"{api.base}/requests/{hidden.id}.json"), 404)
    assert str(hidden.id) in error["description"]
    _errors(api.get(f"{api.base}/requests/424242.json"), 404)
    response = api.get(f"{api.base}/requests/424242.xml")
    assert response.status_code == 404
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00"},  # no time zone
        {"end_date": "2026-01-01T00:00:00Z", "start_date": "2026-02-01T00:00:00Z"},
        {"service_request_id": "1,abc"},
        {"page": "0"},
        {"page_size": "5000"},
        {"service_code": "roads\x00"},
    ],
)
def test_bad_filters_are_400_in_the_spec_format(api, params):
    _errors(api.get(f"{api.base}/requests.json", params=params), 400)


def test_unknown_format_is_404(api):
    assert api.get(f"{api.base}/requests.csv").status_code == 404


def test_without_dates_the_last_90_days_are_listed(api, balvu):
    from app.ideas.models import Idea

    old = add_idea(title="Sens priekšlikums")
    recent = add_idea(title="Jauns priekšlikums")
    balvu.session.execute(
        update(Idea)
        .where(Idea.id == old.id)
        .values(created_at=datetime.now(UTC) - timedelta(days=91))
    )
    balvu.session.commit()
    listed = api.get(f"{api.base}/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [str(recent.id)]
    since = api.get(f"{api.base}/requests.json", params={"start_date": "2020-01-01T00:00:00Z"})
    assert len(since.json()) == 2
    by_id = api.get(f"{api.base}/requests.json", params={"service_request_id": str(old.id)})
    assert [r["service_request_id"] for r in by_id.json()] == [str(old.id)]
