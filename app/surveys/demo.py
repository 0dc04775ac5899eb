"""A demo survey with answers for `flask demo load` (idempotent: found by its title)."""

import random
from datetime import timedelta

import click
from sqlalchemy import func, select

from app.demo.extra import LOADERS
from app.demo.people import demo_leader
from app.extensions import db
from app.surveys import services
from app.surveys.answers import ParsedAnswer, ParsedForm
from app.surveys.models import QuestionKind, ResponseChannel, Survey, SurveyState
from app.territories.models import Territory

DEMO_TITLE = "Ko darīt ar Balvu ezermalu? (demonstrācijas aptauja)"
WORDS = ["Klusums", "Daba", "Soliņi", "Apgaismojums", "Celiņš, gar ezeru", "Sports"]


def _questions(survey: Survey) -> dict:
    about = services.add_section(survey, title="Par jums", title_en="About you")
    place = services.add_section(survey, title="Ezermala", title_en="The lakeside")
    q = {
        "age": services.add_question(
            about, kind=QuestionKind.SINGLE, prompt="Vecuma grupa", prompt_en="Age group",
            required=True,
        ),
        "use": services.add_question(
            place, kind=QuestionKind.MULTIPLE, prompt="Ko jūs tur darāt?",
            prompt_en="What do you do there?", max_choices=2,
        ),
        "rating": services.add_question(
            place, kind=QuestionKind.SCALE, prompt="Cik patīkama ir ezermala?",
            prompt_en="How pleasant is the lakeside?", required=True,
            scale_low_label="Nemaz", scale_high_label="Ļoti",
            scale_low_label_en="Not at all", scale_high_label_en="Very",
        ),
        "visits": services.add_question(
            place, kind=QuestionKind.NUMBER, prompt="Cik reizes mēnesī tur esat?",
            prompt_en="How many times a month are you there?", min_value=0, max_value=60,
        ),
        "word": services.add_question(
            place, kind=QuestionKind.SHORT_TEXT, prompt="Viens vārds par ezermalu",
            prompt_en="One word about the lakeside",
        ),
        "spot": services.add_question(
            place, kind=QuestionKind.MAP_POINT, prompt="Kur vajag soliņu?",
            prompt_en="Where is a bench needed?",
        ),
        "rank": services.add_question(
            place, kind=QuestionKind.RANKING, prompt="Kas ir svarīgāk?",
            prompt_en="What matters more?",
        ),
    }  # fmt: skip
    for label, label_en in (("līdz 30", "under 30"), ("30–60", "30–60"), ("virs 60", "over 60")):
        services.add_option(q["age"], label, label_en)
    for label, label_en in (
        ("Pastaigas", "Walks"),
        ("Makšķerēšana", "Fishing"),
        ("Sports", "Sport"),
    ):
        services.add_option(q["use"], label, label_en)
    for label, label_en in (
        ("Apgaismojums", "Lighting"),
        ("Soliņi", "Benches"),
        ("Tualete", "Toilet"),
    ):
        services.add_option(q["rank"], label, label_en)
    return q


def _answers(q: dict, rng: random.Random, centre: tuple[float, float]) -> ParsedForm:
    parsed = ParsedForm()
    add = parsed.answers.__setitem__
    add(q["age"].id, ParsedAnswer(rng.choice(q["age"].options).id))
    add(q["use"].id, ParsedAnswer(sorted(o.id for o in rng.sample(q["use"].options, 2))))
    add(q["rating"].id, ParsedAnswer(rng.randint(2, 5)))
    add(q["visits"].id, ParsedAnswer(rng.randint(0, 20)))
    add(q["word"].id, ParsedAnswer(rng.choice(WORDS)))
    lon, lat = centre[0] + rng.uniform(-0.004, 0.004), centre[1] + rng.uniform(-0.002, 0.002)
    add(q["spot"].id, ParsedAnswer({"lat": round(lat, 6), "lon": round(lon, 6)}, lon=lon, lat=lat))
    order = [o.id for o in q["rank"].options]
    rng.shuffle(order)
    add(q["rank"].id, ParsedAnswer(order))
    return parsed


def load_demo_survey() -> None:
    """An open survey about the Balvi lakeside with 40 answers from three channels."""
    if db.session.scalar(select(Survey.id).where(Survey.title == DEMO_TITLE)) is not None:
        click.echo("Demo survey: already there.")
        return
    balvi = db.session.scalar(select(Territory).where(Territory.name == "Balvi"))
    if balvi is None:
        click.echo("Demo survey: skipped (no territory named Balvi).")
        return
    leader = demo_leader(balvi)
    survey = Survey(
        owner=leader,
        title=DEMO_TITLE,
        title_en="What to do with the Balvi lakeside? (demonstration survey)",
        description="Izdomāta aptauja, lai parādītu, kā darbojas aptaujas.",
        description_en="A fictional survey that shows how surveys work.",
        state=SurveyState.OPEN,
        results_public=True,
        published_at=services.now(),
        territories=[balvi],
    )
    db.session.add(survey)
    db.session.flush()
    q = _questions(survey)
    centre = db.session.execute(
        select(func.ST_X(Territory.centre), func.ST_Y(Territory.centre)).where(
            Territory.id == balvi.id
        )
    ).one()
    units = list(db.session.scalars(select(Territory.id).order_by(Territory.name)))
    rng = random.Random(5)
    channels = (
        [ResponseChannel.ONLINE] * 6 + [ResponseChannel.PAPER] * 3 + [ResponseChannel.WORKSHOP]
    )
    for number in range(40):
        channel = rng.choice(channels)
        response = services.store_response(
            survey,
            _answers(q, rng, tuple(centre)),
            channel=channel,
            entered_by=leader if channel != ResponseChannel.ONLINE else None,
            territory_id=balvi.id if number % 3 else rng.choice(units),
        )
        response.submitted_at = services.now() - timedelta(days=rng.randint(0, 13))
    click.echo("Demo survey: added with 40 responses.")


LOADERS.append(load_demo_survey)
