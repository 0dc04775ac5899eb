"""Surveys built for tests through the services the builder uses."""

from datetime import UTC, datetime, timedelta

from flask import g, has_app_context
from flask.testing import FlaskClient

from app.extensions import db
from app.surveys import services
from app.surveys.models import (
    QuestionKind,
    Survey,
    SurveyAccess,
    SurveyState,
)

# A point in Balvi (inside the municipality) and one in Riga (outside).
BALVI = (27.2647, 57.1313)
RIGA = (24.1052, 56.9496)


def make_survey(owner, territories=(), state=SurveyState.OPEN, **settings) -> Survey:
    survey = Survey(
        owner=owner,
        title=settings.pop("title", "Ciema aptauja"),
        title_en=settings.pop("title_en", "Village survey"),
        state=state,
        access=settings.pop("access", SurveyAccess.ANONYMOUS),
        territories=list(territories),
        **settings,
    )
    db.session.add(survey)
    db.session.flush()
    return survey


def every_kind_survey(owner, territories=(), **settings) -> Survey:
    """Two sections with one question of every kind; `survey.q` maps kind -> question."""
    survey = make_survey(owner, territories, **settings)
    first = services.add_section(survey, title="Par jums", title_en="About you")
    second = services.add_section(survey, title="Par ciemu", title_en="About the village")
    q = {}
    q["single"] = services.add_question(
        first, kind=QuestionKind.SINGLE, prompt="Vecuma grupa", prompt_en="Age group", required=True
    )
    for label in ("līdz 30", "30–60", "vairāk nekā 60"):
        services.add_option(q["single"], label)
    q["multiple"] = services.add_question(
        first,
        kind=QuestionKind.MULTIPLE,
        prompt="Ko jūs izmantojat?",
        prompt_en="What do you use?",
        min_choices=1,
        max_choices=2,
    )
    for label, label_en in (("Bibliotēka", "Library"), ("Sporta zāle", "Gym"), ("Parks", "Park")):
        services.add_option(q["multiple"], label, label_en)
    q["scale"] = services.add_question(
        first,
        kind=QuestionKind.SCALE,
        prompt="Cik apmierināts esat?",
        prompt_en="How satisfied are you?",
        required=True,
        scale_low_label="Ļoti neapmierināts",
        scale_high_label="Ļoti apmierināts",
    )
    q["number"] = services.add_question(
        first,
        kind=QuestionKind.NUMBER,
        prompt="Cik gadus dzīvojat šeit?",
        min_value=0,
        max_value=100,
    )
    q["short_text"] = services.add_question(
        second, kind=QuestionKind.SHORT_TEXT, prompt="Viens vārds par ciemu"
    )
    q["long_text"] = services.add_question(
        second, kind=QuestionKind.LONG_TEXT, prompt="Jūsu ieteikumi"
    )
    q["map_point"] = services.add_question(
        second, kind=QuestionKind.MAP_POINT, prompt="Kur vajag soliņu?"
    )
    q["ranking"] = services.add_question(
        second, kind=QuestionKind.RANKING, prompt="Sakārtojiet pēc svarīguma"
    )
    for label in ("Ceļi", "Apgaismojums", "Skola"):
        services.add_option(q["ranking"], label)
    db.session.commit()
    survey.q = q
    return survey


def options(question) -> list[int]:
    return [o.id for o in question.options]


def valid_form(survey) -> dict:
    """A complete valid answer to every_kind_survey."""
    q = survey.q
    rank = options(q["ranking"])
    return {
        f"q{q['single'].id}": str(options(q["single"])[1]),
        f"q{q['multiple'].id}": [str(options(q["multiple"])[0]), str(options(q["multiple"])[2])],
        f"q{q['scale'].id}": "4",
        f"q{q['number'].id}": "12,5",
        f"q{q['short_text'].id}": 'Skaists, "zaļš"',
        f"q{q['long_text'].id}": "Pirmā rinda\nOtrā rinda",
        f"q{q['map_point'].id}_lat": str(BALVI[1]),
        f"q{q['map_point'].id}_lon": str(BALVI[0]),
        f"q{q['ranking'].id}_{rank[0]}": "2",
        f"q{q['ranking'].id}_{rank[1]}": "3",
        f"q{q['ranking'].id}_{rank[2]}": "1",
        "submission_token": "",
    }


def past(hours: int = 1) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


def future(hours: int = 1) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


class FreshUserClient(FlaskClient):
    """A test client whose requests do not reuse the signed-in user that Flask-Login caches
    on `g`: tests hold an app context open, so `g` outlives a single request there."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def client_for(app, user=None, through_form: bool = False) -> FreshUserClient:
    """A client signed in as `user`: through the sign-in form, or (faster: no password hash to
    verify) with the session Flask-Login would have written."""
    from tests.factories import sign_in

    client = FreshUserClient(app, app.response_class, use_cookies=True)
    if user is not None and through_form:
        sign_in(client, user)
    elif user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client
