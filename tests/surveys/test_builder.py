"""The builder through HTTP: create, questions and options, order, publish, close, duplicate,
the rules once answers exist, preview, paper entry and the printable version."""

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.extensions import db as database
from app.surveys.models import (
    Question,
    QuestionKind,
    ResponseChannel,
    Survey,
    SurveyResponse,
    SurveyState,
)
from tests.factories import create_user, territory
from tests.surveys.helpers import client_for, every_kind_survey, make_survey, valid_form


@pytest.fixture
def leader(balvu):
    return create_user(Role.LEADER, territories=[territory("Balvi")])


def _survey(survey_id):
    database.session.expire_all()
    return database.session.get(Survey, survey_id)


def test_leader_creates_a_survey_for_their_unit(app, leader):
    client = client_for(app, leader)
    balvi = territory("Balvi").id
    response = client.post(
        "/lv/surveys/new",
        data={
            "title": "Parka aptauja",
            "territories": [str(balvi)],
            "opens_at": "2026-12-01T09:00",
            "closes_at": "2026-12-31T18:00",
            "access": "signed_in",
            "one_per_person": "y",
        },
    )
    assert response.status_code == 302
    survey = database.session.scalars(select(Survey)).one()
    assert survey.owner_id == leader.id and survey.state == SurveyState.DRAFT
    assert [t.id for t in survey.territories] == [balvi]
    assert survey.opens_at.isoformat() == "2026-12-01T07:00:00+00:00"  # Riga is UTC+2 in winter
    assert len(survey.sections) == 1


def test_leader_cannot_target_units_they_do_not_lead(app, leader):
    client = client_for(app, leader)
    page = client.post(
        "/lv/surveys/new",
        data={"title": "Sveša aptauja", "territories": [str(territory("Rugāju pagasts").id)]},
    )
    assert page.status_code == 422
    assert database.session.scalar(select(func.count()).select_from(Survey)) == 0
    bad_dates = client.post(
        "/lv/surveys/new",
        data={
            "title": "Aptauja",
            "territories": [str(territory("Balvi").id)],
            "opens_at": "2026-12-10T09:00",
            "closes_at": "2026-12-01T09:00",
            "access": "anonymous",
        },
    )
    assert "Aizvēršanas laikam jābūt pēc atvēršanas laika." in bad_dates.get_data(as_text=True)
    assert 'value="Aptauja"' in bad_dates.get_data(as_text=True)  # the form keeps its values


def test_build_reorder_publish_close_and_duplicate(app, leader):
    survey = make_survey(leader, [territory("Balvi")], state=SurveyState.DRAFT)
    database.session.commit()
    survey_id = survey.id
    client = client_for(app, leader)
    assert (
        client.post(f"/lv/surveys/{survey_id}/sections/new", data={"title": "Pirmā"}).status_code
        == 302
    )
    section_id = _survey(survey_id).sections[0].id
    base = f"/lv/surveys/{survey_id}"
    # Publishing an empty survey is refused, with the reason.
    client.post(f"{base}/publish")
    page = client.get(f"{base}/edit").get_data(as_text=True)
    assert "Aptaujā vēl nav neviena jautājuma." in page
    assert _survey(survey_id).state == SurveyState.DRAFT
    for kind, prompt in (("single", "Izvēle"), ("scale", "Skala"), ("short_text", "Teksts")):
        response = client.post(
            f"{base}/sections/{section_id}/questions/new", data={"kind": kind, "prompt": prompt}
        )
        assert response.status_code == 302
    questions = _survey(survey_id).questions
    assert [q.prompt for q in questions] == ["Izvēle", "Skala", "Teksts"]
    # A choice question without options blocks publishing.
    client.post(f"{base}/publish")
    assert _survey(survey_id).state == SurveyState.DRAFT
    assert "Jautājumam &#34;Izvēle&#34; nav atbilžu variantu." in client.get(
        f"{base}/edit"
    ).get_data(as_text=True)
    single_id = questions[0].id
    for label in ("Jā", "Nē", "Nezinu"):
        client.post(f"{base}/questions/{single_id}/options", data={"label": label})
    options = database.session.get(Question, single_id).options
    client.post(f"{base}/option/{options[2].id}/move", data={"direction": "up"})
    client.post(f"{base}/option/{options[0].id}/delete")
    database.session.expire_all()
    assert [o.label for o in database.session.get(Question, single_id).options] == ["Nezinu", "Nē"]
    client.post(f"{base}/question/{single_id}/move", data={"direction": "down"})
    assert [q.prompt for q in _survey(survey_id).questions] == ["Skala", "Izvēle", "Teksts"]
    assert client.post(f"{base}/publish").status_code == 302
    assert _survey(survey_id).state == SurveyState.OPEN
    assert client.post(f"{base}/close").status_code == 302
    closed = _survey(survey_id)
    assert closed.state == SurveyState.CLOSED and closed.closes_at is not None
    response = client.post(f"{base}/duplicate")
    copy = _survey(int(response.headers["Location"].split("/")[-2]))
    assert copy.id != survey_id and copy.state == SurveyState.DRAFT
    assert [q.prompt for q in copy.questions] == ["Skala", "Izvēle", "Teksts"]
    assert [o.label for o in copy.questions[1].options] == ["Nezinu", "Nē"]


def test_questions_with_answers_keep_their_kind_and_stay(app, leader):
    survey = every_kind_survey(leader, [territory("Balvi")])
    survey_id, single_id = survey.id, survey.q["single"].id
    option_id = survey.q["single"].options[0].id
    client = client_for(app, leader)
    assert client.post(f"/lv/surveys/{survey_id}", data=valid_form(survey)).status_code == 302
    client.post(f"/lv/surveys/{survey_id}/question/{single_id}/delete")
    client.post(f"/lv/surveys/{survey_id}/option/{option_id}/delete")
    changed = client.post(
        f"/lv/surveys/{survey_id}/questions/{single_id}", data={"kind": "short_text", "prompt": "X"}
    )
    assert changed.status_code == 422
    assert "Uz šo jautājumu jau ir atbildes" in changed.get_data(as_text=True)
    database.session.expire_all()
    question = database.session.get(Question, single_id)
    assert question.kind == QuestionKind.SINGLE and len(question.options) == 3
    reworded = client.post(
        f"/lv/surveys/{survey_id}/questions/{single_id}",
        data={"kind": "single", "prompt": "Jūsu vecuma grupa", "required": "y"},
    )
    assert reworded.status_code == 302
    database.session.expire_all()
    assert database.session.get(Question, single_id).prompt == "Jūsu vecuma grupa"


def test_preview_checks_answers_without_storing_them(app, leader):
    survey = every_kind_survey(leader, state=SurveyState.DRAFT)
    survey_id = survey.id
    client = client_for(app, leader)
    page = client.get(f"/lv/surveys/{survey_id}/preview").get_data(as_text=True)
    assert "Priekšskatījums" in page and "<legend>Vecuma grupa" in page
    checked = client.post(f"/lv/surveys/{survey_id}/preview", data=valid_form(survey))
    assert "Visas atbildes ir derīgas. Nekas netika saglabāts." in checked.get_data(as_text=True)
    assert database.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_paper_entry_marks_channel_and_enterer(app, leader):
    survey = every_kind_survey(leader, [territory("Balvi")])
    survey_id = survey.id
    client = client_for(app, leader)
    data = {**valid_form(survey), "channel": "workshop", "territory": str(territory("Balvi").id)}
    response = client.post(f"/lv/surveys/{survey_id}/enter", data=data)
    assert response.status_code == 302 and "channel=workshop" in response.headers["Location"]
    stored = database.session.scalars(select(SurveyResponse)).one()
    assert stored.channel == ResponseChannel.WORKSHOP
    assert stored.entered_by_id == leader.id and stored.respondent_id is None
    # Paper entry is not limited by "one answer per person": the next form goes in too.
    assert client.post(f"/lv/surveys/{survey_id}/enter", data=data).status_code == 302
    assert database.session.scalar(select(func.count()).select_from(SurveyResponse)) == 2
    bad = client.post(f"/lv/surveys/{survey_id}/enter", data={**data, "channel": "online"})
    assert bad.status_code == 422


def test_printable_version_has_a_qr_code_and_print_styles(client, leader):
    survey = every_kind_survey(leader)
    html = client.get(f"/lv/surveys/{survey.id}/print").get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'class="qr-code"' in html
    assert f"http://localhost/lv/surveys/{survey.id}" in html
    assert 'media="print"' in html and "surveys-print.css" in html
    assert "style=" not in html.split('class="qr-code"', 1)[1].split("</svg>", 1)[0]
