"""Submitting an idea through the HTTP form: every rule, values kept, the similar step."""

import pytest
from sqlalchemy import func, select

import app.accounts  # noqa: F401 - before app.ideas: app.core.auth <-> app.accounts import cycle
from app.ideas.models import Idea, IdeaPhoto
from tests.factories import create_user, sign_in
from tests.ideas.submit_helpers import form_data, make_idea, point_in, territory_id


@pytest.fixture
def resident(balvu):
    return create_user(email="resident@example.lv")


@pytest.fixture
def signed_in(client, resident):
    sign_in(client, resident)
    return client


def idea_count(db) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Idea))


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_anonymous_visitor_gets_an_explanation_and_a_sign_in_link(client, balvu, lang):
    response = client.get(f"/{lang}/ideas/new")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert f"/{lang}/account/sign-in?next=" in page
    assert ("Pieslēgties" if lang == "lv" else "Sign in") in page


def test_unconfirmed_user_is_asked_to_confirm_the_email(client, balvu):
    user = create_user(confirmed=False, email="new@example.lv")
    sign_in(client, user)
    response = client.get("/en/ideas/new")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Please confirm your e-mail address" in page
    assert "new@example.lv" in page
    assert client.post("/en/ideas/new", data=form_data()).status_code == 403


def test_the_form_has_the_pin_picker_and_the_keyboard_path(signed_in):
    page = signed_in.get("/lv/ideas/new").get_data(as_text=True)
    assert "data-pin-picker" in page
    assert 'data-lat-input="#lat"' in page
    assert "js/pin-picker.js" in page
    assert 'name="territory"' in page and 'name="place_description"' in page
    assert 'name="submission_token"' in page
    assert "Kubulu pagasts" in page


def test_a_pinned_idea_is_saved_in_its_parish(signed_in, db):
    lat, lon = point_in("Kubulu pagasts")
    response = signed_in.post("/en/ideas/new", data=form_data(lat, lon))
    assert response.status_code == 302
    idea = db.session.scalar(select(Idea))
    assert response.headers["Location"].endswith(f"/en/ideas/{idea.id}")
    assert idea.territory_id == territory_id("Kubulu pagasts")
    assert not idea.location_approximate
    assert idea.title == "Soliņi pie ezera"


@pytest.mark.parametrize("name", ["Baltinavas pagasts", "Žīguru pagasts", "Šķilbēnu pagasts"])
def test_the_territory_is_the_right_one_in_three_parishes(signed_in, db, name):
    lat, lon = point_in(name)
    assert signed_in.post("/lv/ideas/new", data=form_data(lat, lon)).status_code == 302
    idea = db.session.scalar(select(Idea))
    assert idea.territory_id == territory_id(name)


def test_keyboard_path_places_the_idea_at_the_unit_centre(signed_in, db):
    data = form_data(territory=str(territory_id("Tilžas pagasts")), place_description="Pie skolas")
    assert signed_in.post("/lv/ideas/new", data=data).status_code == 302
    idea = db.session.scalar(select(Idea))
    assert idea.location_approximate
    assert idea.place_description == "Pie skolas"
    assert idea.territory_id == territory_id("Tilžas pagasts")


def test_keyboard_path_needs_a_description_of_the_place(signed_in, db):
    data = form_data(territory=str(territory_id("Tilžas pagasts")))
    response = signed_in.post("/en/ideas/new", data=data)
    assert response.status_code == 422
    assert "Please describe the place" in response.get_data(as_text=True)
    assert idea_count(db) == 0


INVALID = [
    # (changes, lang, message expected next to the field, field id)
    ({"title": ""}, "en", "Please enter a title.", "title"),
    ({"description": ""}, "lv", "Lūdzu, aprakstiet savu priekšlikumu.", "description"),
    ({"title": "Jā"}, "en", "The title must be 5 to 120 characters long.", "title"),
    ({"title": "x" * 121}, "en", "The title must be 5 to 120 characters long.", "title"),
    (
        {"description": "Par īsu"},
        "lv",
        "Aprakstam jābūt no 20 līdz 5000 rakstzīmēm garam.",
        "description",
    ),
    ({"description": "x" * 5001}, "en", "The description must be 20 to 5,000", "description"),
    ({"category": ""}, "en", "Please choose a category.", "category"),
    ({"category": "9999"}, "en", "Please choose a category.", "category"),
    ({"lat": "", "lon": ""}, "en", "Please pin the place on the map, or choose", "territory"),
    ({"lat": "57.1", "lon": ""}, "en", "Please pin the place on the map, or choose", "lat"),
    ({"lat": "abc", "lon": "27.2"}, "en", "The coordinates must be numbers", "lat"),
    ({"lat": "NaN", "lon": "27.2"}, "en", "The coordinates must be numbers", "lat"),
    ({"lat": "57.1", "lon": "Infinity"}, "en", "The coordinates must be numbers", "lat"),
    ({"lat": "1e309", "lon": "27.2"}, "en", "The coordinates must be numbers", "lat"),
    ({"lat": "56.95", "lon": "24.1"}, "en", "The place must be inside the municipality.", "lat"),
    ({"lat": "57.1", "lon": "27.3", "alt_1": "x" * 251}, "en", "At most 250 characters", "alt_1"),
]


@pytest.mark.parametrize(("changes", "lang", "message", "field_id"), INVALID)
def test_every_rule_is_checked_and_everything_typed_is_kept(
    signed_in, db, changes, lang, message, field_id
):
    lat, lon = point_in("Balvi")
    data = {**form_data(lat, lon, place_description="Pie tilta"), **changes}
    response = signed_in.post(f"/{lang}/ideas/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    # The message sits next to its field and the field points at it.
    assert f'id="{field_id}-error"' in page
    assert f'aria-describedby="{field_id}-hint {field_id}-error"' in page or (
        f'aria-describedby="{field_id}-error"' in page
    )
    from markupsafe import escape

    for name in ("title", "description", "lat", "lon", "place_description"):
        if data[name]:
            assert str(escape(data[name])) in page, name
    assert idea_count(db) == 0


def test_nothing_is_saved_when_the_csrf_token_is_missing(csrf_app, balvu):
    client = csrf_app.test_client()
    user = create_user(email="csrf@example.lv")
    client.get("/lv/account/sign-in")
    # Sign in through the real form with its token.
    import re

    page = client.get("/lv/account/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/lv/account/sign-in",
        data={"email": user.email, "password": "correct horse battery", "csrf_token": token},
    )
    lat, lon = point_in("Balvi")
    response = client.post("/lv/ideas/new", data=form_data(lat, lon))
    assert response.status_code == 400
    assert balvu.session.scalar(select(func.count()).select_from(Idea)) == 0


def test_double_submission_creates_one_idea(signed_in, db):
    lat, lon = point_in("Balvi")
    data = form_data(lat, lon)
    first = signed_in.post("/lv/ideas/new", data=data)
    second = signed_in.post("/lv/ideas/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert idea_count(db) == 1


def test_similar_ideas_are_shown_first_and_the_idea_is_saved_on_confirm(signed_in, db, resident):
    other = create_user(email="other@example.lv")
    lat, lon = point_in("Balvi")
    near = make_idea(other, title="Apgaismojums parkā", at=(lat + 0.001, lon))  # ~110 m
    alike = make_idea(other, title="Soliņi pie ezera krasta", unit="Vīksnas pagasts")
    make_idea(other, title="Velosipēdu statīvi", unit="Vīksnas pagasts")
    hidden = make_idea(other, title="Soliņi pie ezera!", unit="Balvi")
    hidden.hidden_at = func.now()
    near_id, near_title, alike_title = near.id, near.title, alike.title
    db.session.commit()

    data = form_data(lat, lon, alt_1="")
    response = signed_in.post("/en/ideas/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Is your idea already here?" in page
    assert near_title in page and alike_title in page
    assert "Velosipēdu statīvi" not in page
    assert "Soliņi pie ezera!" not in page
    assert f"/en/ideas/{near_id}/support" in page
    assert 'value="confirm"' in page
    assert idea_count(db) == 3 + 1

    confirm = {**data, "step": "confirm"}
    response = signed_in.post("/en/ideas/new", data=confirm)
    assert response.status_code == 302
    assert idea_count(db) == 5


def test_the_similar_step_is_skipped_when_nothing_is_similar(signed_in, db):
    lat, lon = point_in("Balvi")
    response = signed_in.post("/en/ideas/new", data=form_data(lat, lon))
    assert response.status_code == 302


def test_support_this_instead_supports_the_other_idea(signed_in, db, resident):
    other = create_user(email="other@example.lv")
    existing = make_idea(other, title="Soliņi pie ezera krasta")
    response = signed_in.post(
        f"/lv/ideas/{existing.id}/support", data={"next": f"/lv/ideas/{existing.id}"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/lv/ideas/{existing.id}"
    db.session.remove()
    assert db.session.get(Idea, existing.id).support_count == 1


def test_change_my_idea_goes_back_to_the_form_with_the_values(signed_in, db):
    lat, lon = point_in("Balvi")
    data = form_data(lat, lon, step="edit", title="Soliņi pie ezera malas")
    response = signed_in.post("/en/ideas/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Soliņi pie ezera malas"' in page
    assert f'value="{lat}"' in page
    assert idea_count(db) == 0


def test_photos_survive_the_similar_step(signed_in, db, resident):
    from tests.ideas.submit_helpers import image_bytes

    other = create_user(email="other@example.lv")
    make_idea(other, title="Soliņi pie ezera krasta")
    import io

    lat, lon = point_in("Balvi")
    data = form_data(lat, lon, alt_1="Salauzts soliņš")
    data["photo_1"] = (io.BytesIO(image_bytes()), "bench.jpg")
    response = signed_in.post("/en/ideas/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "1 photo attached" in page
    import re

    kept = re.search(r'name="kept_photos" value="([^"]+)"', page).group(1)
    confirm = form_data(lat, lon, alt_1="Salauzts soliņš", kept_photos=kept, step="confirm")
    confirm["submission_token"] = data["submission_token"]
    response = signed_in.post("/en/ideas/new", data=confirm)
    assert response.status_code == 302
    photo = db.session.scalar(select(IdeaPhoto))
    assert photo.alt_text == "Salauzts soliņš"
    assert photo.width == 64 and photo.height == 48


def test_kept_photos_of_another_submission_are_ignored(signed_in, db):
    lat, lon = point_in("Balvi")
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer("wrong-key", salt="kopa-idea-photos").dumps(
        {"t": "x", "u": 1, "p": {"1": {"stem": "0" * 32, "w": 1, "h": 1, "name": "a"}}}
    )
    response = signed_in.post(
        "/en/ideas/new", data=form_data(lat, lon, kept_photos=forged, step="confirm")
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(IdeaPhoto)) == 0


@pytest.fixture
def limiter_restored():
    """Flask-Limiter's extension object is global: enabling it for one app enables it for
    every app in this process. Put it back as it was, with empty counters."""
    from app.extensions import limiter

    enabled = limiter.enabled
    yield
    limiter.reset()
    limiter.enabled = enabled


def test_submission_is_rate_limited(make_app, balvu, limiter_restored):
    from tests.factories import sign_in as do_sign_in

    app = make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_IDEA_SUBMIT="2 per hour", WTF_CSRF_ENABLED=False
    )
    client = app.test_client()
    user = create_user(email="busy@example.lv")
    do_sign_in(client, user)
    with app.app_context():
        lat, lon = point_in("Balvi")
    codes = [
        client.post(
            "/en/ideas/new", data=form_data(lat, lon, title=title, step="confirm")
        ).status_code
        for title in ("Jauns rotaļlaukums", "Vairāk atkritumu tvertņu", "Skeitparks pie skolas")
    ]
    assert codes == [302, 302, 429]


def test_keyboard_path_finds_similar_titles_and_keeps_the_anonymity_choice(signed_in, db):
    other = create_user(email="other@example.lv")
    make_idea(other, title="Soliņi pie ezera krasta", unit="Vīksnas pagasts")
    data = form_data(
        territory=str(territory_id("Tilžas pagasts")),
        place_description="Pie ezera",
        anonymous="y",
    )
    response = signed_in.post("/en/ideas/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Soliņi pie ezera krasta" in page
    assert 'name="anonymous" value="y"' in page
    assert " m from your place" not in page  # no pin, so no distance
    response = signed_in.post("/en/ideas/new", data={**data, "step": "confirm"})
    assert response.status_code == 302
    idea = db.session.scalar(select(Idea).where(Idea.author_id != other.id))
    assert idea.author_anonymous and idea.location_approximate
