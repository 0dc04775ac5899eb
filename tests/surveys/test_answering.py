"""Answering a survey through the HTTP form: every kind valid and invalid, one answer per
person, opening times, anonymity and idempotency."""

import re

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.surveys.models import (
    Answer,
    SurveyAccess,
    SurveyParticipation,
    SurveyResponse,
    SurveyState,
)
from tests.factories import create_user, territory
from tests.surveys.helpers import (
    BALVI,
    RIGA,
    client_for,
    every_kind_survey,
    future,
    options,
    past,
    valid_form,
)


@pytest.fixture
def leader(balvu):
    return create_user(Role.LEADER, territories=[territory("Balvi")])


@pytest.fixture
def survey(leader):
    return every_kind_survey(leader, [territory("Balvi")])


def responses(db) -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def answers_of(db, response_id) -> dict:
    rows = db.session.execute(
        select(Answer.question_id, Answer.value).where(Answer.response_id == response_id)
    )
    return dict(rows.all())


def test_survey_page_is_public_and_accessible_form(client, survey):
    page = client.get(f"/lv/surveys/{survey.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<fieldset" in html and "<legend>Vecuma grupa" in html
    assert "1. daļa no 2" in html or "Part 1 of 2" in html  # progress for two sections
    assert "data-pin-picker" in html
    assert f'id="q{survey.q["map_point"].id}_territory"' in html  # the keyboard path


def test_valid_answers_to_every_kind_are_stored(client, db, survey):
    q = survey.q
    response = client.post(f"/lv/surveys/{survey.id}", data=valid_form(survey))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/lv/surveys/{survey.id}/thanks")
    stored = db.session.scalars(select(SurveyResponse)).one()
    assert stored.channel.value == "online"
    assert stored.respondent_id is None
    values = answers_of(db, stored.id)
    rank = options(q["ranking"])
    assert values[q["single"].id] == options(q["single"])[1]
    assert values[q["multiple"].id] == [options(q["multiple"])[0], options(q["multiple"])[2]]
    assert values[q["scale"].id] == 4
    assert values[q["number"].id] == 12.5
    assert values[q["short_text"].id] == 'Skaists, "zaļš"'
    assert values[q["long_text"].id] == "Pirmā rinda\nOtrā rinda"
    assert values[q["map_point"].id] == {"lat": BALVI[1], "lon": BALVI[0]}
    assert values[q["ranking"].id] == [rank[2], rank[0], rank[1]]
    point = db.session.scalar(
        select(func.ST_AsText(Answer.geom)).where(Answer.question_id == q["map_point"].id)
    )
    assert point == f"POINT({BALVI[0]} {BALVI[1]})"


def test_optional_questions_may_stay_empty(client, db, survey):
    q = survey.q
    data = {
        f"q{q['single'].id}": str(options(q["single"])[0]),
        f"q{q['scale'].id}": "1",
    }
    assert client.post(f"/lv/surveys/{survey.id}", data=data).status_code == 302
    stored = db.session.scalars(select(SurveyResponse)).one()
    assert set(answers_of(db, stored.id)) == {q["single"].id, q["scale"].id}


def _invalid_cases(survey):
    q = survey.q
    rank = options(q["ranking"])
    other_option = options(q["multiple"])[0]
    mp = q["map_point"].id
    return {
        "single missing": (
            "single",
            {f"q{q['single'].id}": ""},
            "Lūdzu, atbildiet uz šo jautājumu.",
        ),
        "single foreign option": (
            "single",
            {f"q{q['single'].id}": str(other_option)},
            "Lūdzu, izvēlieties vienu no atbilžu variantiem.",
        ),
        "multiple too many": (
            "multiple",
            {f"q{q['multiple'].id}": [str(o) for o in options(q["multiple"])]},
            "Lūdzu, izvēlieties ne vairāk kā 2 variantus.",
        ),
        "multiple unknown id": (
            "multiple",
            {f"q{q['multiple'].id}": ["999999"]},
            "Lūdzu, izvēlieties no parādītajiem variantiem.",
        ),
        "scale out of range": (
            "scale",
            {f"q{q['scale'].id}": "7"},
            "Lūdzu, izvēlieties vērtību no 1 līdz 5.",
        ),
        "number too big": (
            "number",
            {f"q{q['number'].id}": "101"},
            "Lūdzu, ievadiet skaitli no 0 līdz 100.",
        ),
        "number not a number": (
            "number",
            {f"q{q['number'].id}": "daudz"},
            "Lūdzu, ievadiet skaitli.",
        ),
        "short text too long": (
            "short_text",
            {f"q{q['short_text'].id}": "ā" * 301},
            "Lūdzu, rakstiet ne vairāk kā 300 rakstzīmes.",
        ),
        "long text too long": (
            "long_text",
            {f"q{q['long_text'].id}": "x" * 5001},
            "Lūdzu, rakstiet ne vairāk kā 5000 rakstzīmes.",
        ),
        "map outside": (
            "map_point",
            {f"q{mp}_lat": str(RIGA[1]), f"q{mp}_lon": str(RIGA[0])},
            "Vietai jāatrodas pašvaldības teritorijā.",
        ),
        "map garbage": (
            "map_point",
            {f"q{mp}_lat": "NaN", f"q{mp}_lon": "abc"},
            "Atzīmes koordinātas nav derīgas.",
        ),
        "map unknown unit": (
            "map_point",
            {f"q{mp}_lat": "", f"q{mp}_lon": "", f"q{mp}_territory": "999999"},
            "Lūdzu, izvēlieties teritoriālo vienību no saraksta.",
        ),
        "ranking same place twice": (
            "ranking",
            {f"q{q['ranking'].id}_{rank[0]}": "1", f"q{q['ranking'].id}_{rank[1]}": "1"},
            "Lūdzu, piešķiriet katram variantam citu vietu (1 – vissvarīgākais).",
        ),
        "ranking out of range": (
            "ranking",
            {f"q{q['ranking'].id}_{rank[0]}": "9"},
            "Lūdzu, piešķiriet katram variantam vietu no saraksta.",
        ),
    }


CASES = [
    "single missing",
    "single foreign option",
    "multiple too many",
    "multiple unknown id",
    "scale out of range",
    "number too big",
    "number not a number",
    "short text too long",
    "long text too long",
    "map outside",
    "map garbage",
    "map unknown unit",
    "ranking same place twice",
    "ranking out of range",
]


@pytest.mark.parametrize("case", CASES)
def test_invalid_answers_are_refused_with_a_localized_error_and_kept(client, db, survey, case):
    kind, override, message = _invalid_cases(survey)[case]
    data = {**valid_form(survey), **override}
    page = client.post(f"/lv/surveys/{survey.id}", data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert responses(db) == 0
    question_id = survey.q[kind].id
    assert f'<p class="error" id="q{question_id}-error">{message}</p>' in html
    assert 'role="alert"' in html
    assert re.search(rf'aria-describedby="[^"]*q{question_id}-error"', html)
    # Every other answer is kept.
    assert "Pirmā rinda\nOtrā rinda</textarea>" in html or kind == "long_text"
    assert 'value="12,5"' in html or kind == "number"
    assert 'value="4" checked' in html or kind == "scale"


def test_errors_are_in_english_on_english_pages(client, survey):
    data = {**valid_form(survey), f"q{survey.q['number'].id}": "101"}
    html = client.post(f"/en/surveys/{survey.id}", data=data).get_data(as_text=True)
    assert "Please enter a number from 0 to 100." in html


def test_map_keyboard_path_stores_the_unit_centre(client, db, survey):
    mp = survey.q["map_point"].id
    unit = territory("Bērzpils pagasts")
    data = {
        **valid_form(survey),
        f"q{mp}_lat": "",
        f"q{mp}_lon": "",
        f"q{mp}_territory": str(unit.id),
    }
    assert client.post(f"/lv/surveys/{survey.id}", data=data).status_code == 302
    value = db.session.scalar(select(Answer.value).where(Answer.question_id == mp))
    assert value["territory_id"] == unit.id and value["approximate"] is True
    inside = db.session.scalar(
        select(func.ST_Covers(func.ST_Buffer(unit.geom, 0.0001), Answer.geom)).where(
            Answer.question_id == mp
        )
    )
    assert inside


def test_repost_with_the_same_token_stores_one_response(client, db, survey):
    data = {**valid_form(survey), "submission_token": "token-123"}
    first = client.post(f"/lv/surveys/{survey.id}", data=data)
    second = client.post(f"/lv/surveys/{survey.id}", data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith("/thanks")
    assert responses(db) == 1


def test_one_answer_per_browser_on_anonymous_surveys(client, db, survey):
    assert client.post(f"/lv/surveys/{survey.id}", data=valid_form(survey)).status_code == 302
    again = client.post(f"/lv/surveys/{survey.id}", data=valid_form(survey))
    assert again.status_code == 409
    assert "Jūs jau esat atbildējis uz šo aptauju." in again.get_data(as_text=True)
    assert responses(db) == 1
    assert "Jūs jau esat atbildējis" in client.get(f"/lv/surveys/{survey.id}").get_data(
        as_text=True
    )


def test_signed_in_resident_answers_anonymous_survey_without_being_stored(app, db, survey):
    resident = create_user()
    client = client_for(app, resident)
    assert client.post(f"/lv/surveys/{survey.id}", data=valid_form(survey)).status_code == 302
    stored = db.session.scalars(select(SurveyResponse)).one()
    assert stored.respondent_id is None and stored.entered_by_id is None
    # The account is remembered without a link to the response: a second browser is refused.
    other_browser = client_for(app, resident)
    assert (
        other_browser.post(f"/lv/surveys/{survey.id}", data=valid_form(survey)).status_code == 409
    )
    assert responses(db) == 1
    participation = db.session.scalars(select(SurveyParticipation)).one()
    assert len(participation.key_hash) == 64  # an HMAC, not the account id
    assert {c.name for c in SurveyParticipation.__table__.columns} == {"survey_id", "key_hash"}


def test_one_answer_per_account_on_signed_in_surveys(app, db, leader):
    survey = every_kind_survey(leader, access=SurveyAccess.SIGNED_IN)
    resident = create_user()
    client = client_for(app, resident)
    assert client.post(f"/lv/surveys/{survey.id}", data=valid_form(survey)).status_code == 302
    assert db.session.scalars(select(SurveyResponse)).one().respondent_id == resident.id
    other_browser = client_for(app, resident)
    assert (
        other_browser.post(f"/lv/surveys/{survey.id}", data=valid_form(survey)).status_code == 409
    )
    assert responses(db) == 1


def test_signed_in_survey_sends_anonymous_visitors_to_sign_in(client, db, leader):
    survey = every_kind_survey(leader, access=SurveyAccess.SIGNED_IN)
    assert "Lūdzu, pieslēdzieties" in client.get(f"/lv/surveys/{survey.id}").get_data(as_text=True)
    response = client.post(f"/lv/surveys/{survey.id}", data=valid_form(survey))
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    assert responses(db) == 0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"opens_at": future(24)}, "Šī aptauja vēl nav atvērta."),
        (
            {"opens_at": past(48), "closes_at": past(1)},
            "Šī aptauja ir slēgta: atbildes vairs netiek pieņemtas.",
        ),
        ({"state": SurveyState.CLOSED}, "Šī aptauja ir slēgta: atbildes vairs netiek pieņemtas."),
    ],
)
def test_closed_and_not_yet_open_surveys_refuse_answers(client, db, leader, settings, message):
    survey = every_kind_survey(leader, **settings)
    page = client.get(f"/lv/surveys/{survey.id}")
    assert message in page.get_data(as_text=True)
    assert "<fieldset" not in page.get_data(as_text=True)
    refused = client.post(f"/lv/surveys/{survey.id}", data=valid_form(survey))
    assert refused.status_code == 403
    assert message in refused.get_data(as_text=True)
    assert responses(db) == 0


def test_draft_surveys_are_not_found_by_the_public(client, db, leader):
    survey = every_kind_survey(leader, state=SurveyState.DRAFT)
    assert client.get(f"/lv/surveys/{survey.id}").status_code == 404
    assert client.post(f"/lv/surveys/{survey.id}", data=valid_form(survey)).status_code == 404
    assert responses(db) == 0


def test_listing_shows_open_surveys_filtered_by_territory(client, db, leader):
    here = every_kind_survey(leader, [territory("Balvi")], title="Balvu aptauja")
    every_kind_survey(leader, [territory("Rugāju pagasts")], title="Rugāju aptauja")
    every_kind_survey(leader, title="Visa novada aptauja")
    every_kind_survey(leader, title="Melnraksts", state=SurveyState.DRAFT)
    every_kind_survey(leader, title="Slēgtā", state=SurveyState.CLOSED)
    html = client.get("/lv/surveys/").get_data(as_text=True)
    assert "Balvu aptauja" in html and "Rugāju aptauja" in html and "Visa novada aptauja" in html
    assert "Melnraksts" not in html and "Slēgtā" not in html
    filtered = client.get(f"/lv/surveys/?territory={territory('Balvi').id}").get_data(as_text=True)
    assert "Balvu aptauja" in filtered and "Visa novada aptauja" in filtered
    assert "Rugāju aptauja" not in filtered
    assert here.id


def test_thanks_page_links_public_results(client, leader):
    survey = every_kind_survey(leader, results_public=True)
    html = client.get(f"/lv/surveys/{survey.id}/thanks").get_data(as_text=True)
    assert f"/lv/surveys/{survey.id}/results" in html


def test_anonymous_answers_are_rate_limited_per_address(make_app, db, survey):
    """Best effort against ballot stuffing: a cleared cookie still meets the address limit."""
    limited = make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_SURVEY_ANSWERS="2 per hour", WTF_CSRF_ENABLED=False
    )
    url, form = f"/lv/surveys/{survey.id}", valid_form(survey)
    statuses = [limited.test_client().post(url, data=form).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert responses(db) == 2
