"""Results and exports checked against figures computed by hand for a small seeded set."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.accounts.models import Role
from app.extensions import db as database
from app.surveys import queries, services
from app.surveys.answers import parse_answers
from app.surveys.models import ResponseChannel, SurveyResponse
from tests.factories import create_user, territory
from tests.surveys.helpers import BALVI, client_for, every_kind_survey, options

LONG = 'Teksts ar komatu, "pēdiņām"\nun jaunu rindu'
SECOND_POINT = (27.2700, 57.1290)
DAY_ONE = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 12:00 in Riga
DAY_TWO = datetime(2026, 11, 21, 21, 30, tzinfo=UTC)  # 23:30 in Riga, still the 21st


def _answer(
    survey,
    channel,
    unit,
    when,
    single,
    multiple=(),
    scale=None,
    number=None,
    short=None,
    long=None,
    point=None,
    ranking=None,
    entered_by=None,
):
    q = survey.q
    form = MultiDict()
    form.add(f"q{q['single'].id}", str(options(q["single"])[single]))
    for index in multiple:
        form.add(f"q{q['multiple'].id}", str(options(q["multiple"])[index]))
    if scale is not None:
        form.add(f"q{q['scale'].id}", str(scale))
    if number is not None:
        form.add(f"q{q['number'].id}", number)
    if short is not None:
        form.add(f"q{q['short_text'].id}", short)
    if long is not None:
        form.add(f"q{q['long_text'].id}", long)
    if point is not None:
        form.add(f"q{q['map_point'].id}_lon", str(point[0]))
        form.add(f"q{q['map_point'].id}_lat", str(point[1]))
    if ranking is not None:
        for option_id, place in zip(options(q["ranking"]), ranking, strict=True):
            form.add(f"q{q['ranking'].id}_{option_id}", str(place))
    parsed = parse_answers(survey.questions, form)
    assert not parsed.errors, parsed.errors
    response = services.store_response(
        survey,
        parsed,
        channel=channel,
        entered_by=entered_by,
        territory_id=territory(unit).id if unit else None,
    )
    response.submitted_at = when


@pytest.fixture
def seeded(balvu):
    leader = create_user(Role.LEADER, territories=[territory("Balvi")])
    survey = every_kind_survey(leader, [territory("Balvi")])
    online, paper, workshop = ResponseChannel
    _answer(
        survey, online, "Balvi", DAY_ONE, 0, (0, 1), 5, "10", "=SUM(A1)", LONG, BALVI, (1, 2, 3)
    )
    _answer(
        survey,
        online,
        "Balvi",
        DAY_ONE,
        0,
        (0,),
        4,
        "20",
        "Ļoti labi",
        None,
        SECOND_POINT,
        (2, 1, 3),
    )
    _answer(
        survey,
        paper,
        "Kubulu pagasts",
        DAY_ONE,
        1,
        (2,),
        3,
        "5,5",
        "-2",
        ranking=(1, 3, 2),
        entered_by=leader,
    )
    _answer(survey, paper, "Kubulu pagasts", DAY_TWO, 1, (0, 2), 4, entered_by=leader)
    _answer(survey, workshop, None, DAY_TWO, 2, (), 2, "0", entered_by=leader)
    _answer(survey, online, "Balvi", DAY_TWO, 0, (1,), 5, "100")
    database.session.commit()
    survey.leader = leader
    return survey


def test_figures_match_hand_computed_values(seeded):
    q = seeded.q
    assert queries.response_total(seeded.id) == 6
    days, channels = queries.responses_by_day_and_channel(seeded.id)
    assert channels == {"online": 3, "paper": 2, "workshop": 1}
    assert [(str(d["day"]), d["total"], d.get("paper", 0)) for d in days] == [
        ("2026-11-20", 3, 1),
        ("2026-11-21", 3, 1),
    ]
    single, multiple = options(q["single"]), options(q["multiple"])
    assert queries.option_counts(q["single"]) == {single[0]: 3, single[1]: 2, single[2]: 1}
    assert queries.answered_count(q["multiple"].id) == 5
    assert queries.option_counts(q["multiple"]) == {multiple[0]: 3, multiple[1]: 2, multiple[2]: 2}
    assert queries.option_counts(q["scale"]) == {2: 1, 3: 1, 4: 2, 5: 2}
    assert float(queries.scale_mean(q["scale"].id)) == pytest.approx(23 / 6)
    stats = queries.number_stats(q["number"].id)
    assert (stats["n"], stats["min"], stats["max"]) == (5, 0, 100)
    assert float(stats["mean"]) == pytest.approx(27.1)
    assert float(stats["median"]) == 10 and float(stats["total"]) == 135.5
    ranking = queries.ranking_positions(q["ranking"].id)
    ids = options(q["ranking"])
    assert ranking[ids[0]]["mean"] == pytest.approx(4 / 3)
    assert ranking[ids[1]]["mean"] == pytest.approx(2.0)
    assert ranking[ids[2]]["mean"] == pytest.approx(8 / 3)
    cells = queries.map_cells(q["map_point"].id)
    assert sum(c["n"] for c in cells) == 2


def test_breakdowns_by_territory_and_by_a_single_choice(seeded):
    q = seeded.q
    single = options(q["single"])
    balvi, kubuli = territory("Balvi").id, territory("Kubulu pagasts").id
    labels = {balvi: "Balvi", kubuli: "Kubulu pagasts"}
    by_unit = queries.breakdown(q["single"], "territory", labels)
    assert {g["key"]: g["total"] for g in by_unit.groups} == {balvi: 3, kubuli: 2, None: 1}
    assert by_unit.cells == {(balvi, single[0]): 3, (kubuli, single[1]): 2, (None, single[2]): 1}
    by_age = queries.breakdown(q["scale"], q["single"], {o: str(o) for o in single})
    assert by_age.means[single[0]] == pytest.approx(14 / 3)
    assert by_age.cells[(single[1], 3)] == 1 and by_age.cells[(single[1], 4)] == 1
    hidden = queries.hide_small_groups(by_unit)
    assert all(g["hidden"] for g in hidden.groups) and hidden.cells == {}


def test_text_answers_search_is_accent_insensitive_and_paged(seeded):
    page = queries.text_answers(seeded.q["short_text"].id, "loti")
    assert [item["text"] for item in page.items] == ["Ļoti labi"]
    assert queries.text_answers(seeded.q["short_text"].id).total == 3


def test_results_page_for_the_owner(app, seeded):
    survey_id, short_id = seeded.id, seeded.q["short_text"].id
    client = client_for(app, seeded.leader)
    html = client.get(f"/lv/surveys/{survey_id}/results").get_data(as_text=True)
    assert "6 atbildes" in html
    assert (
        '<svg class="bar-chart"' in html
        and "style=" not in html.split("<main", 1)[1].split("</main>")[0]
    )
    assert '<th scope="row">līdz 30</th><td>3</td><td>50 %</td>' in html
    assert '<th scope="row">30–60</th><td>2</td><td>33,3 %</td>' in html
    assert "Vidējais: 3,83" in html
    assert "<dt>Vidējais</dt><dd>27,1</dd>" in html and "<dt>Mediāna</dt><dd>10</dd>" in html
    assert f"/lv/surveys/{survey_id}/results.csv" in html
    assert "leaflet-heat.js" in html and "cdn" not in html.lower()
    text = client.get(
        f"/lv/surveys/{survey_id}/results/questions/{short_id}/answers?q=ļoti"
    ).get_data(as_text=True)
    assert "Ļoti labi" in text and "=SUM" not in text


def test_csv_matches_the_responses(app, seeded):
    survey_id = seeded.id
    client = client_for(app, seeded.leader)
    response = client.get(f"/lv/surveys/{survey_id}/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    body = raw.decode("utf-8-sig")
    assert '"Teksts ar komatu, ""pēdiņām""\nun jaunu rindu"' in body
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "Atbilde", "Iesniegts (Rīgas laiks)", "Kanāls", "Teritoriālā vienība",
        "Q1 Vecuma grupa",
        "Q2 Ko jūs izmantojat?: Bibliotēka", "Q2 Ko jūs izmantojat?: Sporta zāle",
        "Q2 Ko jūs izmantojat?: Parks",
        "Q3 Cik apmierināts esat?", "Q4 Cik gadus dzīvojat šeit?",
        "Q5 Viens vārds par ciemu", "Q6 Jūsu ieteikumi",
        "Q7 Kur vajag soliņu?: platums", "Q7 Kur vajag soliņu?: garums",
        "Q8 Sakārtojiet pēc svarīguma: Ceļi", "Q8 Sakārtojiet pēc svarīguma: Apgaismojums",
        "Q8 Sakārtojiet pēc svarīguma: Skola",
    ]  # fmt: skip
    assert rows[1:] == [
        ["1", "2026-11-20 12:00", "Tiešsaistē", "Balvi", "līdz 30", "1", "1", "0", "5", "10",
         "'=SUM(A1)", LONG, "57.1313", "27.2647", "1", "2", "3"],
        ["2", "2026-11-20 12:00", "Tiešsaistē", "Balvi", "līdz 30", "1", "0", "0", "4", "20",
         "Ļoti labi", "", "57.129", "27.27", "2", "1", "3"],
        ["3", "2026-11-20 12:00", "Papīra anketa", "Kubulu pagasts", "30–60", "0", "0", "1", "3",
         "5.5", "'-2", "", "", "", "1", "3", "2"],
        ["4", "2026-11-21 23:30", "Papīra anketa", "Kubulu pagasts", "30–60", "1", "0", "1", "4",
         "", "", "", "", "", "", "", ""],
        ["5", "2026-11-21 23:30", "Darbnīca", "", "vairāk nekā 60", "", "", "", "2", "0",
         "", "", "", "", "", "", ""],
        ["6", "2026-11-21 23:30", "Tiešsaistē", "Balvi", "līdz 30", "0", "1", "0", "5", "100",
         "", "", "", "", "", "", ""],
    ]  # fmt: skip


def test_geojson_export_of_map_answers(app, seeded):
    survey_id = seeded.id
    client = client_for(app, seeded.leader)
    response = client.get(f"/lv/surveys/{survey_id}/answers.geojson")
    data = json.loads(response.get_data(as_text=True))
    assert response.mimetype == "application/geo+json"
    assert [f["geometry"]["coordinates"] for f in data["features"]] == [
        list(BALVI),
        list(SECOND_POINT),
    ]
    assert {f["properties"]["channel"] for f in data["features"]} == {"online"}


def test_public_results_hide_small_groups_and_individual_answers(client, seeded):
    seeded.results_public = True
    database.session.commit()
    html = client.get(f"/lv/surveys/{seeded.id}/results").get_data(as_text=True)
    assert "6 atbildes" in html
    assert "mazāk par 5 atbildēm: paslēpts" in html
    assert "Ļoti labi" not in html and "=SUM" not in html
    assert "results.csv" not in html
    for url in (
        "results.csv",
        "answers.geojson",
        f"results/questions/{seeded.q['short_text'].id}/answers",
    ):
        assert client.get(f"/lv/surveys/{seeded.id}/{url}").status_code == 302  # sign in first
    # A group reaching 5 responses is shown.
    for _ in range(2):
        _answer(seeded, ResponseChannel.ONLINE, "Balvi", DAY_TWO, 0, (0,), 5, "1")
    database.session.commit()
    html = client.get(f"/lv/surveys/{seeded.id}/results").get_data(as_text=True)
    assert '<th scope="row">Balvi</th>\n      \n      <td>5</td>' in html


def test_paper_entries_record_channel_and_who_entered_them(seeded):
    rows = database.session.execute(
        select(SurveyResponse.channel, SurveyResponse.entered_by_id, SurveyResponse.respondent_id)
    ).all()
    assert (ResponseChannel.PAPER, seeded.leader.id, None) in rows
    assert all(r.respondent_id is None for r in rows)
