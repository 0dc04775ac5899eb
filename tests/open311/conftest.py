"""Fixtures for Open311: a requests session on the live server and an issued API key."""

import pytest
import requests


@pytest.fixture
def api(live_server, balvu):
    session = requests.Session()
    session.base = f"{live_server.url}/open311/v2"
    yield session
    session.close()


@pytest.fixture
def api_key(balvu):
    from app.open311.services import issue_key

    _key, token = issue_key("Rēzeknes novada lietotne", actor=None)
    balvu.session.commit()
    return token


def open311_errors(response, status: int) -> list[dict]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list) and body
    for error in body:
        assert error["code"] == status
        assert isinstance(error["description"], str) and error["description"]
    return body
