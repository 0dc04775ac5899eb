"""The role matrix: every builder, entry, results and export route from every role.
Refused roles change nothing; the owner leader, staff and admins succeed."""

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.extensions import db as database
from app.surveys.models import (
    Question,
    QuestionOption,
    Survey,
    SurveyResponse,
    SurveySection,
    SurveyState,
)
from tests.factories import create_user, territory
from tests.surveys.helpers import client_for, every_kind_survey, options, valid_form


def _snapshot():
    counts = tuple(
        database.session.scalar(select(func.count()).select_from(model))
        for model in (Survey, SurveySection, Question, QuestionOption, SurveyResponse)
    )
    surveys = database.session.execute(
        select(Survey.id, Survey.title, Survey.state, Survey.closes_at).order_by(Survey.id)
    ).all()
    questions = database.session.execute(
        select(Question.id, Question.position, Question.prompt, Question.kind).order_by(Question.id)
    ).all()
    sections = database.session.execute(
        select(SurveySection.id, SurveySection.position, SurveySection.title).order_by(
            SurveySection.id
        )
    ).all()
    choices = database.session.execute(
        select(QuestionOption.id, QuestionOption.position, QuestionOption.label).order_by(
            QuestionOption.id
        )
    ).all()
    return counts, surveys, questions, sections, choices


def _url(survey, template: str) -> str:
    q = survey.q
    return "/lv/surveys/" + template.format(
        id=survey.id,
        section=survey.sections[0].id,
        single=q["single"].id,
        number=q["number"].id,
        long=q["long_text"].id,
        short=q["short_text"].id,
        option=options(q["single"])[0],
    )


DRAFT, OPEN = SurveyState.DRAFT, SurveyState.OPEN
SETTINGS = {"title": "Pārdēvēta aptauja", "access": "anonymous", "one_per_person": "y"}

# name -> (state of the survey, method, url template, form data, status for those allowed)
ROUTES = {
    "edit": (DRAFT, "GET", "{id}/edit", None, 200),
    "settings form": (DRAFT, "GET", "{id}/settings", None, 200),
    "settings save": (DRAFT, "POST", "{id}/settings", SETTINGS, 302),
    "section add": (DRAFT, "POST", "{id}/sections/new", {"title": "Jauna sadaļa"}, 302),
    "section edit": (DRAFT, "POST", "{id}/sections/{section}", {"title": "Labota"}, 302),
    "question add": (
        DRAFT,
        "POST",
        "{id}/sections/{section}/questions/new",
        {"kind": "short_text", "prompt": "Jauns jautājums"},
        302,
    ),
    "question form": (DRAFT, "GET", "{id}/questions/{single}", None, 200),
    "question save": (
        DRAFT,
        "POST",
        "{id}/questions/{number}",
        {"kind": "number", "prompt": "Labots jautājums"},
        302,
    ),
    "option add": (DRAFT, "POST", "{id}/questions/{single}/options", {"label": "Jauns"}, 302),
    "option edit": (DRAFT, "POST", "{id}/options/{option}", {"label": "Labots"}, 302),
    "move": (DRAFT, "POST", "{id}/question/{single}/move", {"direction": "down"}, 302),
    "delete": (DRAFT, "POST", "{id}/question/{long}/delete", {}, 302),
    "publish": (DRAFT, "POST", "{id}/publish", {}, 302),
    "close": (OPEN, "POST", "{id}/close", {}, 302),
    "duplicate": (OPEN, "POST", "{id}/duplicate", {}, 302),
    "preview": (DRAFT, "GET", "{id}/preview", None, 200),
    "paper entry form": (OPEN, "GET", "{id}/enter", None, 200),
    "paper entry save": (OPEN, "POST", "{id}/enter", "answers", 302),
    "results": (OPEN, "GET", "{id}/results", None, 200),
    "text answers": (OPEN, "GET", "{id}/results/questions/{short}/answers", None, 200),
    "csv": (OPEN, "GET", "{id}/results.csv", None, 200),
    "geojson": (OPEN, "GET", "{id}/answers.geojson", None, 200),
}


def _prepare(survey, template, data):
    if data == "answers":
        data = {**valid_form(survey), "channel": "paper"}
    elif data is SETTINGS:
        data = {**SETTINGS, "territories": [str(territory("Balvi").id)]}
    return _url(survey, template), data


class People(dict):
    """Role name -> user, loaded afresh each time (requests end the test's session)."""

    def __getitem__(self, role):
        return database.session.get(User, dict.__getitem__(self, role))

    def get(self, role, default=None):
        return self[role] if dict.get(self, role) else default


@pytest.fixture
def people(balvu):
    users = {
        "owner": create_user(Role.LEADER, territories=[territory("Balvi")]),
        "resident": create_user(),
        "other leader": create_user(Role.LEADER, territories=[territory("Rugāju pagasts")]),
        "staff": create_user(Role.STAFF),
        "admin": create_user(Role.ADMIN),
    }
    return People({role: user.id for role, user in users.items()})


def _client(app, user):
    return client_for(app, user)


def _request(client, method, url, data):
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    response.get_data()  # a streamed CSV keeps its request context until it is read
    response.close()
    return response


def test_role_matrix(app, people):
    """All routes in one test: the users and the 21 units are set up once."""
    refused = {None: 302, "resident": 403, "other leader": 403}
    clients = {
        role: _client(app, people.get(role)) for role in (*refused, "owner", "staff", "admin")
    }
    for route, (state, method, template, raw_data, success) in ROUTES.items():
        survey = every_kind_survey(people["owner"], [territory("Balvi")], state=state)
        url, data = _prepare(survey, template, raw_data)
        for role, status in refused.items():
            before = _snapshot()
            response = _request(clients[role], method, url, data)
            assert response.status_code == status, (route, role, response.status_code)
            if role is None:
                assert "/account/sign-in" in response.headers["Location"]
            assert _snapshot() == before, f"{role} changed something on {route}"
        for role in ("owner", "staff", "admin"):
            if method == "POST":  # each succeeds on a survey of its own
                survey = every_kind_survey(people["owner"], [territory("Balvi")], state=state)
                url, data = _prepare(survey, template, raw_data)
            before = _snapshot()
            response = _request(clients[role], method, url, data)
            assert response.status_code == success, (route, role, response.status_code)
            if method == "POST":
                assert _snapshot() != before, f"{role} could not {route}"


def test_my_surveys_lists_only_the_leaders_own(app, people):
    every_kind_survey(people["owner"], [territory("Balvi")], title="Mana aptauja")
    every_kind_survey(people["other leader"], [territory("Rugāju pagasts")], title="Svešā aptauja")
    owner_page = _client(app, people["owner"]).get("/lv/surveys/mine").get_data(as_text=True)
    assert "Mana aptauja" in owner_page and "Svešā aptauja" not in owner_page
    staff_page = _client(app, people["staff"]).get("/lv/surveys/mine").get_data(as_text=True)
    assert "Mana aptauja" in staff_page and "Svešā aptauja" in staff_page
    assert _client(app, people["resident"]).get("/lv/surveys/mine").status_code == 403
    assert _client(app, people["resident"]).get("/lv/surveys/new").status_code == 403
    assert _client(app, None).get("/lv/surveys/new").status_code == 302


def test_private_results_are_refused_and_public_ones_shown(app, people):
    survey = every_kind_survey(people["owner"], [territory("Balvi")])
    survey_id, short_id = survey.id, survey.q["short_text"].id
    assert (
        _client(app, people["resident"]).get(f"/lv/surveys/{survey_id}/results").status_code == 403
    )
    assert _client(app, None).get(f"/lv/surveys/{survey_id}/results").status_code == 302
    database.session.get(Survey, survey_id).results_public = True
    database.session.commit()
    assert (
        _client(app, people["resident"]).get(f"/lv/surveys/{survey_id}/results").status_code == 200
    )
    assert _client(app, None).get(f"/lv/surveys/{survey_id}/results").status_code == 200
    # Individual answers stay private even when the results are public.
    text = f"/lv/surveys/{survey_id}/results/questions/{short_id}/answers"
    assert _client(app, people["resident"]).get(text).status_code == 403
    assert (
        _client(app, people["resident"]).get(f"/lv/surveys/{survey_id}/results.csv").status_code
        == 403
    )


def test_draft_print_and_preview_are_private(app, people):
    survey = every_kind_survey(people["owner"], state=SurveyState.DRAFT)
    survey_id = survey.id
    assert _client(app, None).get(f"/lv/surveys/{survey_id}/print").status_code == 404
    assert _client(app, people["resident"]).get(f"/lv/surveys/{survey_id}/print").status_code == 404
    assert _client(app, people["owner"]).get(f"/lv/surveys/{survey_id}/print").status_code == 200
    assert (
        _client(app, people["resident"]).get(f"/lv/surveys/{survey_id}/preview").status_code == 403
    )
