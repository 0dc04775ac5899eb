"""Leaders record ideas collected at workshops or on paper, on the participants' behalf."""

import pytest
from sqlalchemy import func, select

import app.accounts  # noqa: F401 - before app.ideas: app.core.auth <-> app.accounts import cycle
from app.accounts.models import Role
from app.ideas.models import Idea, IdeaChannel
from tests.factories import create_user, sign_in, territory
from tests.ideas.submit_helpers import category_id, point_in, territory_id

TITLE = "Apgaismojums pie Tilžas skolas"
DESCRIPTION = "Rudenī bērni iet uz skolu tumsā; ceļa posmam pie skolas vajag laternas."
NOTE = "Tilžas attīstības diena, 12. novembris"


@pytest.fixture
def leader(balvu):
    return create_user(
        role=Role.LEADER,
        email="leader@example.lv",
        display_name="Anna Kopiena",
        territories=[territory("Tilžas pagasts")],
    )


def record_form(lat=None, lon=None, **overrides) -> dict:
    data = {
        "channel": "workshop",
        "collected_note": NOTE,
        "title": TITLE,
        "description": DESCRIPTION,
        "category": str(category_id("public-space")),
        "lat": "" if lat is None else str(lat),
        "lon": "" if lon is None else str(lon),
        "territory": "",
        "place_description": "",
        "submission_token": "record-token-0123456789abcdef",
    }
    data.update(overrides)
    return data


def ideas(db) -> list[Idea]:
    db.session.remove()
    return list(db.session.scalars(select(Idea).order_by(Idea.id)))


def test_a_leader_records_a_pinned_workshop_idea_in_their_parish(client, db, leader):
    leader_id = leader.id
    sign_in(client, leader)
    lat, lon = point_in("Tilžas pagasts")
    response = client.post("/lv/ideas/record", data=record_form(lat, lon))
    assert response.status_code == 302
    # The next idea of the same workshop starts with how and where it was collected.
    assert "channel=workshop" in response.headers["Location"]
    [idea] = ideas(db)
    assert idea.author_id is None
    assert idea.entered_by_id == leader_id
    assert idea.channel == IdeaChannel.WORKSHOP
    assert idea.collected_note == NOTE
    assert idea.territory.name == "Tilžas pagasts"
    assert not idea.location_approximate
    assert not idea.awaiting_approval

    follow = client.get(response.headers["Location"])
    page = follow.get_data(as_text=True)
    assert f"Priekšlikums nr. {idea.id} ir ierakstīts" in page
    assert f'value="{NOTE}"' in page
    assert TITLE in page  # listed under the ideas recorded recently


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_idea_page_says_how_it_was_collected_and_who_recorded_it(client, db, leader, lang):
    sign_in(client, leader)
    client.post(
        "/lv/ideas/record",
        data=record_form(
            channel="paper",
            territory=str(territory_id("Tilžas pagasts")),
            place_description="Pie skolas",
        ),
    )
    [idea] = ideas(db)
    assert idea.channel == IdeaChannel.PAPER and idea.location_approximate
    client.post("/lv/account/sign-out")
    page = client.get(f"/{lang}/ideas/{idea.id}").get_data(as_text=True)
    if lang == "lv":
        assert "Savākts uz papīra" in page and "ierakstīja Anna Kopiena" in page
    else:
        assert "Collected on paper" in page and "recorded by Anna Kopiena" in page
    assert NOTE in page


def test_a_leader_cannot_record_outside_the_units_they_lead(client, db, leader):
    sign_in(client, leader)
    lat, lon = point_in("Kubulu pagasts")
    response = client.post("/en/ideas/record", data=record_form(lat, lon))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "You can record ideas only for the territorial units you lead." in page
    # Everything typed is still there.
    assert TITLE in page and DESCRIPTION in page and NOTE in page
    assert ideas(db) == []


def test_a_leader_sees_only_their_own_units_in_the_list(client, leader):
    sign_in(client, leader)
    page = client.get("/lv/ideas/record").get_data(as_text=True)
    units = page.split('name="territory"', 1)[1].split("</select>", 1)[0]
    assert "Tilžas pagasts" in units
    assert "Kubulu pagasts" not in units


def test_staff_record_anywhere(client, db, balvu):
    clerk = create_user(role=Role.STAFF, email="clerk@example.lv")
    clerk_id = clerk.id
    sign_in(client, clerk)
    lat, lon = point_in("Kubulu pagasts")
    assert client.post("/lv/ideas/record", data=record_form(lat, lon)).status_code == 302
    [idea] = ideas(db)
    assert idea.entered_by_id == clerk_id and idea.territory.name == "Kubulu pagasts"


def test_invalid_input_is_explained_and_kept(client, db, leader):
    sign_in(client, leader)
    response = client.post(
        "/en/ideas/record",
        data=record_form(
            title="Hm", channel="telepathy", collected_note="x" * 201, lat="north", lon="27"
        ),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please choose from the list." in page
    assert "at most 200 characters" in page
    assert "The coordinates must be numbers" in page
    assert 'value="Hm"' in page and DESCRIPTION in page
    assert ideas(db) == []


def test_posting_the_same_form_twice_records_one_idea(client, db, leader):
    sign_in(client, leader)
    lat, lon = point_in("Tilžas pagasts")
    form = record_form(lat, lon)
    assert client.post("/lv/ideas/record", data=form).status_code == 302
    assert client.post("/lv/ideas/record", data=form).status_code == 302
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 1


def test_residents_and_visitors_cannot_record(client, db, balvu):
    assert client.get("/lv/ideas/record").status_code == 302  # to sign-in
    resident = create_user(email="resident@example.lv")
    sign_in(client, resident)
    assert client.get("/lv/ideas/record").status_code == 403
    lat, lon = point_in("Tilžas pagasts")
    assert client.post("/lv/ideas/record", data=record_form(lat, lon)).status_code == 403
    assert ideas(db) == []


def test_the_leader_menu_links_to_recording(client, leader):
    sign_in(client, leader)
    page = client.get("/en/ideas/record").get_data(as_text=True)
    assert 'href="/en/ideas/record"' in page
    assert "Record ideas" in page
