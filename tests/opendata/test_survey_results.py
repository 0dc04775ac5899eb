"""Survey results as open data: totals of public surveys only, never a single response."""

import csv
import io

from tests.opendata.ideas import add_idea  # noqa: F401 - imports accounts before ideas


def _survey(db, title, *, public=True, state="open", answers=()):
    from app.surveys import models as s

    survey = s.Survey(
        title=title,
        title_en=title + " (en)",
        state=s.SurveyState(state),
        access=s.SurveyAccess.ANONYMOUS,
        results_public=public,
    )
    section = s.SurveySection(survey=survey, title="Jautājumi", position=0)
    db.session.add_all([survey, section])
    db.session.flush()
    choice = s.Question(
        survey_id=survey.id,
        section=section,
        position=0,
        kind=s.QuestionKind.SINGLE,
        prompt="Kas vajadzīgs?",
        prompt_en="What is needed?",
    )
    choice.options = [
        s.QuestionOption(position=0, label="Soliņi", label_en="Benches"),
        s.QuestionOption(position=1, label="=SUM(A1)", label_en="Lights"),
    ]
    scale = s.Question(
        survey_id=survey.id,
        section=section,
        position=1,
        kind=s.QuestionKind.SCALE,
        prompt="Cik labi?",
        min_value=1,
        max_value=5,
    )
    text = s.Question(
        survey_id=survey.id,
        section=section,
        position=2,
        kind=s.QuestionKind.LONG_TEXT,
        prompt="Ko vēl?",
    )
    db.session.add_all([choice, scale, text])
    db.session.flush()
    for option_index, scale_value in answers:
        response = s.SurveyResponse(survey_id=survey.id)
        db.session.add(response)
        db.session.flush()
        db.session.add_all(
            [
                s.Answer(
                    response_id=response.id,
                    question_id=choice.id,
                    value=choice.options[option_index].id,
                ),
                s.Answer(response_id=response.id, question_id=scale.id, value=scale_value),
                s.Answer(
                    response_id=response.id,
                    question_id=text.id,
                    value="Mans kaimiņš Jānis Ozols dzīvo Brīvības ielā 5",
                ),
            ]
        )
    db.session.commit()
    return survey.id


def _rows(response) -> list[dict]:
    body = b"".join(response.response)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_public_survey_results_are_totals_only(client, balvu):
    public_id = _survey(balvu, "Ezera krasts", answers=[(0, 4), (0, 5), (1, 2)])
    _survey(balvu, "Slepena aptauja", public=False, answers=[(0, 1)])
    _survey(balvu, "Melnraksts", state="draft", answers=[])
    response = client.get("/lv/open-data/survey-results.csv")
    assert response.status_code == 200
    assert response.headers["Link"].startswith("<https://creativecommons.org/licenses/by/4.0/>")
    rows = _rows(response)
    assert {r["survey"] for r in rows} == {"Ezera krasts"}
    assert all(r["responses"] == "3" and r["survey_id"] == str(public_id) for r in rows)
    choice = {r["option"]: r["count"] for r in rows if r["kind"] == "single"}
    assert choice == {"Soliņi": "2", "'=SUM(A1)": "1"}
    scale = {r["option"]: (r["count"], r["mean"]) for r in rows if r["kind"] == "scale"}
    assert scale["4"] == ("1", "") and scale["5"] == ("1", "") and scale["1"] == ("0", "")
    assert scale["mean"] == ("3", "3.667")
    raw = b"".join(client.get("/lv/open-data/survey-results.csv").response).decode("utf-8-sig")
    assert "Ozols" not in raw and "long_text" not in raw


def test_page_lists_survey_results(client, balvu):
    _survey(balvu, "Ezera krasts", answers=[(0, 3)])
    html = client.get("/en/open-data/").get_data(as_text=True)
    assert 'href="/en/open-data/survey-results.csv"' in html
    assert "1 survey" in html
    assert "Fields of the survey results file" in html
