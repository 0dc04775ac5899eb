"""POST requests.json: an API key, the web form's validation, the spec's example."""

import xml.etree.ElementTree as ET

import pytest
import requests
from sqlalchemy import select

from tests.open311.conftest import open311_errors as _errors
from tests.opendata.ideas import unit_centre

DESCRIPTION = "Ceļa malā pie veikala ir dziļa bedre, kurā vakaros iebrauc mašīnas."


def _post(api, token, fmt="json", **fields):
    lon, lat = unit_centre("Balvi")
    data = {
        "api_key": token,
        "service_code": "roads",
        "lat": str(lat),
        "long": str(lon),
        "description": DESCRIPTION,
        **fields,
    }
    data = {k: v for k, v in data.items() if v is not None}
    return api.post(f"{api.base}/requests.{fmt}", data=data)


def _idea(balvu, idea_id):
    from app.ideas.models import Idea

    balvu.session.expire_all()
    return balvu.session.get(Idea, int(idea_id))


def test_spec_example_creates_an_idea_through_the_same_validation(api, api_key, balvu):
    """The spec's example request, with a place in Balvi and one of our service codes."""
    from app.ideas.models import IdeaChannel, IdeaStatus
    from app.open311.models import ApiKey

    lon, lat = unit_centre("Balvi")
    response = api.post(
        f"{api.base}/requests.json",
        data=(
            f"api_key={api_key}&service_code=roads&lat={lat}&long={lon}"
            "&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111"
            "&account_id=123456&first_name=john&last_name=smith&phone=111111111"
            "&description=A+large+sinkhole+is+destroying+the+street"
            "&media_url=http%3A%2F%2Fmedia.sfgov.org%2Fimages%2F1"
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 201, response.text
    [created] = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    idea = _idea(balvu, created["service_request_id"])
    assert response.headers["Location"].endswith(f"/open311/v2/requests/{idea.id}.json")
    assert idea.channel == IdeaChannel.OPEN311
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.title == "A large sinkhole is destroying the street"
    assert idea.description == "A large sinkhole is destroying the street"
    assert idea.place_description == "1234 5th street"
    assert idea.territory.name == "Balvi"
    assert idea.author_id is None
    # Personal data the spec allows a client to send is not kept anywhere on the idea.
    for value in vars(idea).values():
        assert "smit333" not in str(value) and "smith" not in str(value)
    key = balvu.session.scalar(select(ApiKey))
    assert key.last_used_at is not None
    # It is public at once, in the same format.
    [listed] = api.get(f"{api.base}/requests/{idea.id}.json").json()
    assert listed["status"] == "open"


def test_title_from_attribute_and_xml_response(api, api_key, balvu):
    response = _post(api, api_key, fmt="xml", **{"attribute[title]": "Bedre pie veikala"})
    assert response.status_code == 201
    assert response.headers["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    idea = _idea(balvu, root.find("request/service_request_id").text)
    assert idea.title == "Bedre pie veikala"
    assert idea.description == DESCRIPTION


def test_long_description_gives_a_title_cut_at_a_word(api, api_key, balvu):
    long_text = "Ļoti garš teikums par ceļu " * 10 + ". Otrais teikums."
    response = _post(api, api_key, description=long_text)
    assert response.status_code == 201
    idea = _idea(balvu, response.json()[0]["service_request_id"])
    assert len(idea.title) <= 120 and idea.title.endswith("…")
    assert long_text.startswith(idea.title[:-1])


@pytest.mark.parametrize("token", [None, "", "not-a-key"])
def test_missing_or_wrong_key_is_403(api, token):
    [error] = _errors(_post(api, token), 403)
    assert "api_key" in error["description"]


def test_revoked_key_is_403(api, api_key, balvu):
    from app.open311.models import ApiKey
    from app.open311.services import revoke_key

    revoke_key(balvu.session.scalar(select(ApiKey)), actor=None)
    balvu.session.commit()
    _errors(_post(api, api_key), 403)


def test_key_is_stored_only_as_its_sha256(balvu, api_key):
    import hashlib

    from app.open311.models import ApiKey

    key = balvu.session.scalar(select(ApiKey))
    assert key.key_hash == hashlib.sha256(api_key.encode()).hexdigest()
    assert api_key not in {key.key_hash, key.name}
    assert key.prefix == api_key[:8]


def test_point_outside_the_municipality_is_refused(api, api_key):
    [error] = _errors(_post(api, api_key, lat="56.9496", long="24.1052"), 400)  # Rīga
    assert error["description"].startswith("location:")


def test_text_bounds_of_the_web_form_apply(api, api_key):
    errors = _errors(_post(api, api_key, description="Bedre."), 400)
    descriptions = [e["description"] for e in errors]
    assert any(d.startswith("description:") for d in descriptions)
    response = _post(api, api_key, **{"attribute[title]": "x" * 121})
    assert any(e["description"].startswith("title:") for e in _errors(response, 400))


def test_missing_fields_and_bad_numbers_are_400(api, api_key):
    errors = _errors(_post(api, api_key, lat=None, description=None), 400)
    assert {e["description"].split(" ")[0] for e in errors} == {"description", "lat"}
    _errors(_post(api, api_key, lat="north", long="east"), 400)
    _errors(_post(api, api_key, lat="NaN"), 400)


def test_unknown_service_code_is_404(api, api_key):
    [error] = _errors(_post(api, api_key, service_code="potholes"), 404)
    assert "potholes" in error["description"]


def test_errors_speak_the_clients_language(api, live_server):
    response = requests.post(
        f"{live_server.url}/open311/v2/requests.json",
        data={"api_key": "nope"},
        headers={"Accept-Language": "lv"},
        timeout=10,
    )
    [error] = _errors(response, 403)
    assert "api_key" in error["description"]
    assert error["description"] != "api_key was not provided or is not valid."
