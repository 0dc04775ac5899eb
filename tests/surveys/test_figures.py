"""The typed copies of answers the database keeps for results, and the cache of the figures."""

import re

import pytest
from sqlalchemy import event, select, text

from app.extensions import db as database
from app.surveys import figures as survey_figures
from app.surveys.models import Answer, ResponseChannel, Survey, SurveyResponse
from tests.factories import territory
from tests.surveys.helpers import client_for, every_kind_survey, options, valid_form
from tests.surveys.test_results import DAY_TWO, _answer

TALLY_SQL = "FROM survey_answers a"


def _copies(response_id: int) -> dict:
    rows = database.session.execute(
        select(
            Answer.question_id, Answer.choice, Answer.choices, Answer.number, Answer.territory_id
        ).where(Answer.response_id == response_id)
    )
    return {row.question_id: tuple(row[1:]) for row in rows}


def _expected_copies(survey, unit_id: int) -> dict:
    q, rank = survey.q, options(survey.q["ranking"])
    multiple = options(q["multiple"])
    return {
        q["single"].id: (options(q["single"])[1], None, None, unit_id),
        q["multiple"].id: (None, [multiple[0], multiple[2]], None, unit_id),
        q["scale"].id: (4, None, 4, unit_id),
        q["number"].id: (None, None, pytest.approx(12.5), unit_id),
        q["short_text"].id: (None, None, None, unit_id),
        q["long_text"].id: (None, None, None, unit_id),
        q["map_point"].id: (None, None, None, unit_id),
        q["ranking"].id: (None, [rank[2], rank[0], rank[1]], None, unit_id),
    }


@pytest.fixture
def survey(balvu):
    from app.accounts.models import Role
    from tests.factories import create_user

    leader = create_user(Role.LEADER, territories=[territory("Balvi")])
    made = every_kind_survey(leader, [territory("Balvi")])
    made.leader = leader
    return made


def _latest_response(survey_id: int) -> SurveyResponse:
    database.session.expire_all()
    return database.session.scalar(
        select(SurveyResponse)
        .where(SurveyResponse.survey_id == survey_id)
        .order_by(SurveyResponse.id.desc())
    )


def test_typed_copies_are_filled_for_every_kind_through_the_form(app, survey):
    unit = territory("Balvi").id
    form = {**valid_form(survey), "territory": str(unit)}
    assert client_for(app).post(f"/lv/surveys/{survey.id}", data=form).status_code == 302
    response = _latest_response(survey.id)
    assert response.channel == ResponseChannel.ONLINE
    assert _copies(response.id) == _expected_copies(survey, unit)


def test_typed_copies_are_filled_for_paper_entries(app, survey):
    unit = territory("Balvi").id
    form = {**valid_form(survey), "territory": str(unit), "channel": "paper"}
    client = client_for(app, survey.leader)
    assert client.post(f"/lv/surveys/{survey.id}/enter", data=form).status_code == 302
    response = _latest_response(survey.id)
    assert response.channel == ResponseChannel.PAPER
    assert _copies(response.id) == _expected_copies(survey, unit)


def _results_version(survey_id: int) -> int:
    return database.session.scalar(select(Survey.results_version).where(Survey.id == survey_id))


def test_bulk_inserts_and_later_changes_keep_the_copies_right(seeded):
    q, version = seeded.q, _results_version(seeded.id)
    response_id = database.session.scalar(
        text(
            "INSERT INTO survey_responses (survey_id, channel, territory_id) "
            "VALUES (:s, 'online', NULL) RETURNING id"
        ),
        {"s": seeded.id},
    )
    database.session.execute(
        text(
            "INSERT INTO survey_answers (response_id, question_id, value) "
            "SELECT :r, q.id, v.value FROM (VALUES (:single, to_jsonb(:option)), "
            "(:number, '7.25'::jsonb)) AS v(question_id, value) "
            "JOIN survey_questions q ON q.id = v.question_id"
        ),
        {
            "r": response_id,
            "single": q["single"].id,
            "option": options(q["single"])[2],
            "number": q["number"].id,
        },
    )
    assert _copies(response_id)[q["single"].id] == (options(q["single"])[2], None, None, None)
    assert _copies(response_id)[q["number"].id][2] == pytest.approx(7.25)
    assert _results_version(seeded.id) == version + 2  # one per statement, not per row

    # The unit of a response, set afterwards, reaches its answers.
    unit = territory("Kubulu pagasts").id
    database.session.execute(
        text("UPDATE survey_responses SET territory_id = :t WHERE id = :r"),
        {"t": unit, "r": response_id},
    )
    assert {c[3] for c in _copies(response_id).values()} == {unit}
    assert _results_version(seeded.id) > version + 2


@pytest.mark.parametrize("by_name", ["none", "territory", "single"])
def test_cached_figures_equal_freshly_counted_ones(make_app, seeded, by_name):
    by = {"none": None, "territory": "territory", "single": seeded.q["single"]}[by_name]
    counted = survey_figures._count(seeded, by)
    assert survey_figures.survey_figures(seeded, by) == counted  # counted, then stored
    assert survey_figures.survey_figures(seeded, by) == counted  # from the cache
    uncached = make_app(SURVEY_RESULTS_CACHE_SECONDS=0)
    with uncached.app_context():
        survey = database.session.get(Survey, seeded.id)
        assert survey_figures.survey_figures(survey, by) == counted


class TallyStatements:
    """Counts the statements that aggregate a survey's answers."""

    def __init__(self):
        self.count = 0

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if TALLY_SQL in statement and "LATERAL unnest" in statement:
            self.count += 1


@pytest.fixture
def tally_statements(app):
    counter = TallyStatements()
    with app.app_context():
        engine = database.engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


def test_a_new_response_is_counted_at_once_despite_the_cache(app, seeded, tally_statements):
    client = client_for(app, seeded.leader)
    url = f"/lv/surveys/{seeded.id}/results"
    assert "6 atbildes" in client.get(url).get_data(as_text=True)
    assert "6 atbildes" in client.get(url).get_data(as_text=True)
    assert tally_statements.count == 1  # the second view came from the cache
    _answer(seeded, ResponseChannel.ONLINE, "Balvi", DAY_TWO, 2, (1,), 1, "3")
    database.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "7 atbildes" in html and tally_statements.count == 2
    assert '<th scope="row">vairāk nekā 60</th><td>2</td><td>28,6 %</td>' in html


def test_new_wording_shows_at_once_with_cached_figures(app, seeded, tally_statements):
    client = client_for(app, seeded.leader)
    url = f"/lv/surveys/{seeded.id}/results"
    assert "Vecuma grupa" in client.get(url).get_data(as_text=True)
    edited = client.post(
        f"/lv/surveys/{seeded.id}/questions/{seeded.q['single'].id}",
        data={"kind": "single", "prompt": "Jūsu vecuma grupa", "required": "y"},
    )
    assert edited.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Jūsu vecuma grupa" in html
    assert '<th scope="row">līdz 30</th><td>3</td><td>50 %</td>' in html
    assert tally_statements.count == 1  # the counts did not change, only the wording


def test_results_work_without_redis(make_app, seeded):
    # Nothing listens on port 9: every cache call fails, and the figures are simply counted.
    without = make_app(REDIS_URL="redis://127.0.0.1:9/0")
    with without.app_context():
        leader = database.session.get(type(seeded.leader), seeded.leader.id)
        html = client_for(without, leader).get(f"/lv/surveys/{seeded.id}/results?by=none")
        page = html.get_data(as_text=True)
    assert html.status_code == 200
    assert "6 atbildes" in page and "Vidējais: 3,83" in page
    assert '<th scope="row">līdz 30</th><td>3</td><td>50 %</td>' in page


def test_a_cached_map_carries_the_nonce_of_each_request(app, seeded):
    client = client_for(app, seeded.leader)
    url = f"/lv/surveys/{seeded.id}/results"
    for _ in range(2):  # counted and rendered, then from the cache
        response = client.get(url)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
        html = response.get_data(as_text=True)
        assert "leaflet-heat.js" in html and "kopa-survey-map-nonce" not in html
        assert html.count(f'<script nonce="{nonce}"') >= 1
