"""The demo survey: loaded by `flask demo load`, idempotent, and its results page works."""

from sqlalchemy import func, select

from app.demo import extra
from app.surveys.demo import load_demo_survey
from app.surveys.models import Survey, SurveyResponse


def test_demo_survey_loads_once_with_answers(client, balvu):
    assert load_demo_survey in extra.LOADERS
    load_demo_survey()
    balvu.session.commit()
    load_demo_survey()
    balvu.session.commit()
    assert balvu.session.scalar(select(func.count()).select_from(Survey)) == 1
    assert balvu.session.scalar(select(func.count()).select_from(SurveyResponse)) == 40
    survey_id = balvu.session.scalar(select(Survey.id))
    page = client.get(f"/lv/surveys/{survey_id}/results")
    assert page.status_code == 200
    assert "40 atbildes" in page.get_data(as_text=True)
    assert client.get("/lv/surveys/").get_data(as_text=True).count("demonstrācijas aptauja") == 1
