"""Demo ideas: a few dozen fictional samples for `flask demo load`, and
`flask demo ideas --count N` for volume checks (one INSERT … SELECT in PostGIS)."""

import io
import random
import secrets
import time
from datetime import UTC, datetime, timedelta

import click
from sqlalchemy import select, text, update
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.accounts.services import create_user
from app.categories.models import Category
from app.demo import bp
from app.demo.extra import LOADERS
from app.demo.people import demo_leader
from app.extensions import db
from app.ideas.models import Idea, IdeaChannel, IdeaStatus, IdeaStatusChange
from app.ideas.services import NewIdea, create_idea, record_idea
from app.territories.models import Territory

DEMO_AUTHOR_EMAIL = "demo.iedzivotajs@example.invalid"
FICTIONAL = " (Izdomāts demonstrācijas priekšlikums.)"

# How each target status is reached through the workflow.
PATHS = {
    IdeaStatus.SUBMITTED: [],
    IdeaStatus.UNDER_REVIEW: [IdeaStatus.UNDER_REVIEW],
    IdeaStatus.ADOPTED: [IdeaStatus.UNDER_REVIEW, IdeaStatus.ADOPTED],
    IdeaStatus.IN_PROGRESS: [IdeaStatus.UNDER_REVIEW, IdeaStatus.ADOPTED, IdeaStatus.IN_PROGRESS],
    IdeaStatus.DONE: [
        IdeaStatus.UNDER_REVIEW,
        IdeaStatus.ADOPTED,
        IdeaStatus.IN_PROGRESS,
        IdeaStatus.DONE,
    ],
    IdeaStatus.NOT_POSSIBLE: [IdeaStatus.UNDER_REVIEW, IdeaStatus.NOT_POSSIBLE],
    IdeaStatus.DUPLICATE: [IdeaStatus.DUPLICATE],
}

# The municipality's public answer when a sample reaches a status (lv, en).
ANSWERS = {
    IdeaStatus.UNDER_REVIEW: (
        "Paldies! Priekšlikumu izskata attīstības nodaļa.",
        "Thank you! The development department is reviewing the idea.",
    ),
    IdeaStatus.ADOPTED: (
        "Priekšlikums atbalstīts un iekļauts nākamā gada budžeta projektā.",
        "The idea is adopted and included in next year's draft budget.",
    ),
    IdeaStatus.IN_PROGRESS: (
        "Darbi ir sākušies; tos plānots pabeigt šosezon.",
        "Work has started and should be finished this season.",
    ),
    IdeaStatus.DONE: (
        "Īstenots. Paldies par ierosinājumu!",
        "Done. Thank you for the suggestion!",
    ),
    IdeaStatus.NOT_POSSIBLE: (
        "Diemžēl zeme šajā vietā nepieder pašvaldībai, tāpēc to nevar īstenot.",
        "Unfortunately the municipality does not own the land here, so it cannot be done.",
    ),
    IdeaStatus.DUPLICATE: (
        "Līdzīgs priekšlikums jau ir iesniegts; lūdzam atbalstīt to.",
        "A similar idea has already been submitted; please support that one.",
    ),
}

S = IdeaStatus
# (title, description, category slug, status, photo colour or None)
SAMPLES = [
    (
        "Soliņi gar ezera promenādi",
        "Gar promenādi trūkst soliņu, kur atpūsties senioriem un vecākiem ar bērniem.",
        "public-space",
        S.DONE,
        "#3b7ea1",
    ),
    (
        "Apgaismojums gājēju celiņam līdz stacijai",
        "Vakaros celiņš līdz stacijai ir pilnīgi tumšs, un tur staigā skolēni.",
        "safety",
        S.IN_PROGRESS,
        "#243447",
    ),
    (
        "Bedrītes Skolas ielā",
        "Pēc ziemas Skolas ielā ir dziļas bedres, kas bojā velosipēdus un auto.",
        "roads",
        S.ADOPTED,
        "#7a6a53",
    ),
    (
        "Velonovietnes pie bibliotēkas",
        "Pie bibliotēkas nav kur droši atstāt velosipēdu; vajadzētu dažas velonovietnes.",
        "mobility",
        S.DONE,
        "#5b8c5a",
    ),
    (
        "Rotaļu laukums ciemata centrā",
        "Ciematā dzīvo daudz ģimeņu ar maziem bērniem, bet rotaļu laukuma nav.",
        "education-youth",
        S.UNDER_REVIEW,
        None,
    ),
    (
        "Autobusa pietura ar nojumi",
        "Pieturā nav nojumes, un lietū jāgaida zem klajas debess.",
        "mobility",
        S.ADOPTED,
        "#8aa1b1",
    ),
    (
        "Ūdens līmeņa mērītājs upē",
        "Pavasara palos upe pārplūst; mērītājs palīdzētu laikus brīdināt iedzīvotājus.",
        "environment-climate",
        S.UNDER_REVIEW,
        None,
    ),
    (
        "Koka laipa pāri purvam",
        "Dabas takai vajadzīga laipa, lai pa to varētu iet arī pavasarī.",
        "tourism-business",
        S.IN_PROGRESS,
        "#6b8e23",
    ),
    (
        "Sporta laukuma atjaunošana",
        "Basketbola grozi ir salūzuši un segums saplaisājis.",
        "culture-sport",
        S.SUBMITTED,
        None,
    ),
    (
        "Ātruma ierobežojums pie skolas",
        "Automašīnas pie skolas brauc pārāk ātri; vajadzīgs ātrumvalnis.",
        "safety",
        S.NOT_POSSIBLE,
        None,
    ),
    (
        "Dižkoku saudzēšana parkā",
        "Parka ozoliem vajadzīga arborista apskate, pirms tos skar būvdarbi.",
        "environment-climate",
        S.ADOPTED,
        "#2f5d3a",
    ),
    (
        "Kopienas dārzs pie tautas nama",
        "Iedzīvotāji vēlas kopīgi kopt dobes pie tautas nama.",
        "social",
        S.SUBMITTED,
        None,
    ),
    (
        "Tūrisma informācijas stends",
        "Pie baznīcas trūkst stenda ar karti un apskates vietām.",
        "tourism-business",
        S.DONE,
        "#a0522d",
    ),
    (
        "Gājēju pāreja pie veikala",
        "Pie veikala ceļu šķērso daudzi, bet pārejas nav.",
        "roads",
        S.UNDER_REVIEW,
        None,
    ),
    (
        "Silto pagaidu telpu punkts aukstuma viļņos",
        "Aukstuma viļņu laikā vientuļiem senioriem vajadzīga silta vieta dienā.",
        "social",
        S.ADOPTED,
        None,
    ),
    (
        "Lietus ūdens novadīšana ielā",
        "Pēc stipra lietus iela applūst, jo grāvji ir aizauguši.",
        "environment-climate",
        S.IN_PROGRESS,
        None,
    ),
    (
        "Skeitparks jauniešiem",
        "Jauniešiem nav vietas, kur brīvajā laikā nodarboties ar skeitbordu.",
        "education-youth",
        S.SUBMITTED,
        None,
    ),
    (
        "Brīvdabas estrādes jumts",
        "Estrādes jumts tek, un pasākumi lietū jāatceļ.",
        "culture-sport",
        S.NOT_POSSIBLE,
        None,
    ),
    (
        "Atkritumu šķirošanas konteineri",
        "Ciematā ir tikai viens konteiners; vajadzīgi arī stikla un papīra konteineri.",
        "environment-climate",
        S.DONE,
        "#4682b4",
    ),
    (
        "Bērnu ceļš uz skolu bez dubļiem",
        "Īsceļš uz skolu rudenī ir dubļains; to varētu noklāt ar granti.",
        "roads",
        S.SUBMITTED,
        None,
    ),
    (
        "Pastkaste pie pagasta pārvaldes",
        "Tuvākā pastkaste ir 8 km attālumā; to vajadzētu uzstādīt pārvaldē.",
        "other",
        S.UNDER_REVIEW,
        None,
    ),
    (
        "Bezmaksas internets bibliotēkā",
        "Bibliotēkas bezvadu tīkls ir lēns; vajadzīgs ātrāks pieslēgums.",
        "education-youth",
        S.ADOPTED,
        None,
    ),
    (
        "Peldvieta ar glābšanas riņķi",
        "Populārajā peldvietā nav ne glābšanas riņķa, ne informācijas zīmes.",
        "safety",
        S.IN_PROGRESS,
        None,
    ),
    (
        "Vietējo ražotāju tirdziņš",
        "Reizi mēnesī laukumā varētu notikt vietējo ražotāju tirdziņš.",
        "tourism-business",
        S.SUBMITTED,
        None,
    ),
    (
        "Senioru vingrošanas nodarbības",
        "Senioriem būtu noderīgas vingrošanas nodarbības tautas namā.",
        "social",
        S.DONE,
        None,
    ),
    (
        "Ielu nosaukumu zīmes",
        "Vairākās ielās nav nosaukumu zīmju, un ātrā palīdzība nevar atrast mājas.",
        "safety",
        S.UNDER_REVIEW,
        None,
    ),
    (
        "Mežā izgāzti atkritumi",
        "Meža malā ir nelegāla izgāztuve, kas jāsatīra un jāaizliedz.",
        "environment-climate",
        S.SUBMITTED,
        None,
    ),
    (
        "Velosipēdu celiņš starp ciemiem",
        "Ciemus savienotu velosipēdu celiņš gar šoseju, lai bērni droši brauktu.",
        "mobility",
        S.NOT_POSSIBLE,
        None,
    ),
    (
        "Apgaismojums gājēju celiņā līdz stacijai",
        "Lūdzu ierīkot lampas celiņā uz staciju, vakaros tur ir tumšs.",
        "safety",
        S.DUPLICATE,
        None,
    ),
    (
        "Jauna šūpoļu vieta Jāņos",
        "Līgo svētkos pie upes varētu uzstādīt lielās šūpoles visiem.",
        "culture-sport",
        S.ADOPTED,
        None,
    ),
    (
        "Grants ceļa greiderēšana",
        "Grants ceļš uz mājām ir rievots; to vajadzētu nogreiderēt biežāk.",
        "roads",
        S.DONE,
        None,
    ),
    (
        "Putnu vērošanas tornis",
        "Pie ezera ir daudz putnu; tornis piesaistītu arī tūristus.",
        "tourism-business",
        S.UNDER_REVIEW,
        None,
    ),
    (
        "Defibrilators tautas namā",
        "Tautas namā notiek daudz pasākumu, bet defibrilatora nav.",
        "safety",
        S.ADOPTED,
        None,
    ),
    (
        "Jauniešu centra darba laiks",
        "Jauniešu centrs varētu būt atvērts arī sestdienās.",
        "education-youth",
        S.SUBMITTED,
        None,
    ),
    (
        "Koku stādīšanas talka",
        "Rudenī varētu rīkot talku un apstādīt jauno ielu ar kokiem.",
        "environment-climate",
        S.IN_PROGRESS,
        None,
    ),
    (
        "Skatu platforma pilskalnā",
        "No pilskalna paveras skaists skats; vajadzīga droša platforma.",
        "tourism-business",
        S.SUBMITTED,
        None,
    ),
]


def _demo_author() -> User:
    author = db.session.scalar(select(User).where(User.email == DEMO_AUTHOR_EMAIL))
    if author is None:
        author = create_user(
            DEMO_AUTHOR_EMAIL,
            secrets.token_urlsafe(24),  # nobody signs in as the demo author
            "Demo iedzīvotājs",
            confirmed=True,
        )
    return author


def _sample_point(territory_id: int, seed: int) -> tuple[float, float]:
    """A point inside the unit, the same one on every run (seeded)."""
    row = db.session.execute(
        text(
            "SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM ("
            " SELECT (ST_Dump(ST_GeneratePoints(geom, 1, :seed))).geom AS p"
            " FROM territories WHERE id = :id) AS g"
        ),
        {"id": territory_id, "seed": seed},
    ).one()
    return row.lon, row.lat


def demo_photo(colour: str, seed: int) -> FileStorage:
    """A simple generated picture (sky, field and a few shapes): nothing is downloaded."""
    from PIL import Image, ImageDraw  # demo data only: not loaded with the app

    rng = random.Random(seed)
    image = Image.new("RGB", (1200, 800), "#cfe3f0")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 480, 1200, 800), fill=colour)
    draw.ellipse((900, 80, 1040, 220), fill="#f6d365")
    for _ in range(6):
        x = rng.randint(40, 1100)
        draw.rectangle((x, 360, x + 40, 500), fill="#5a4632")
        draw.ellipse((x - 60, 220, x + 100, 400), fill="#2e6b3a")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    buffer.seek(0)
    return FileStorage(buffer, filename="demo.png", content_type="image/png")


def _apply_history(idea: Idea, target: IdeaStatus, created: datetime, original: Idea | None):
    at = created
    previous = idea.status
    db.session.execute(
        update(IdeaStatusChange)
        .where(IdeaStatusChange.idea_id == idea.id, IdeaStatusChange.from_status.is_(None))
        .values(created_at=created)
    )
    for step in PATHS[target]:
        at += timedelta(days=9)
        lv, en = ANSWERS[step]
        db.session.add(
            IdeaStatusChange(
                idea_id=idea.id,
                from_status=previous,
                to_status=step,
                answer=lv,
                answer_en=en,
                created_at=at,
            )
        )
        previous = step
    if target is IdeaStatus.DUPLICATE:
        idea.duplicate_of_id = original.id
    idea.status = target
    idea.created_at = created
    if PATHS[target]:
        idea.status_changed_at = at
        idea.first_answered_at = created + timedelta(days=9)


def load_sample_ideas() -> None:
    """A few dozen fictional ideas across units, categories and statuses (idempotent)."""
    from app.core.uploads import store_image
    from app.ideas.services import PhotoUpload, attach_photos

    territories = db.session.execute(text("SELECT id FROM territories ORDER BY name")).scalars()
    territory_ids = list(territories)
    categories = {c.slug: c.id for c in db.session.scalars(select(Category))}
    if not territory_ids or not categories:
        return
    author = _demo_author()
    now = datetime.now(UTC)
    added = 0
    by_title: dict[str, Idea] = {}
    for number, (title, description, slug, status, colour) in enumerate(SAMPLES):
        token = f"demo-sample-{number}"
        existing = db.session.scalar(select(Idea).where(Idea.submission_token == token))
        if existing is not None:
            by_title[title] = existing
            continue
        lon, lat = _sample_point(territory_ids[number % len(territory_ids)], seed=number + 1)
        idea = create_idea(
            NewIdea(
                title=title,
                description=description + FICTIONAL,
                category_id=categories[slug],
                lon=lon,
                lat=lat,
                author_anonymous=number % 3 == 0,
                submission_token=token,
            ),
            author,
        )
        original = by_title.get("Apgaismojums gājēju celiņam līdz stacijai")
        _apply_history(idea, status, now - timedelta(days=200 - number * 5), original)
        if colour:
            stored = store_image(demo_photo(colour, number))
            attach_photos(
                idea,
                [PhotoUpload(stored.stem, stored.width, stored.height, f"Ilustrācija: {title}")],
                author,
            )
        by_title[title] = idea
        added += 1
    db.session.flush()
    click.echo(f"Sample ideas added: {added}.")


LOADERS.append(load_sample_ideas)


# Ideas the demo leader typed in after a youth workshop and from paper forms (fictional).
WORKSHOP_NOTE = "Balvu jauniešu darbnīca, 2026. gada oktobris (izdomāta)"
RECORDED = [
    (
        "Āra trenažieri pie skeitparka",
        "Jaunieši vēlas dažus āra trenažierus blakus skeitparkam, lai var trenēties kopā.",
        "culture-sport",
        IdeaChannel.WORKSHOP,
    ),
    (
        "Vieta jauniešiem pulcēties vakaros",
        "Vajag nojumi ar soliem un apgaismojumu, kur jaunieši var satikties arī lietus laikā.",
        "education-youth",
        IdeaChannel.WORKSHOP,
    ),
    (
        "Velosipēdu statīvi pie bibliotēkas",
        "Pie bibliotēkas nav kur atstāt velosipēdu; pāris statīvi ļoti noderētu.",
        "mobility",
        IdeaChannel.PAPER,
    ),
]


def load_recorded_ideas() -> None:
    """Ideas collected at a workshop and on paper, recorded by the demo leader (idempotent)."""
    balvi = db.session.scalar(select(Territory).where(Territory.name == "Balvi"))
    categories = {c.slug: c.id for c in db.session.scalars(select(Category))}
    if balvi is None or not categories:
        return
    leader = demo_leader(balvi)
    added = 0
    for number, (title, description, slug, channel) in enumerate(RECORDED):
        token = f"demo-recorded-{number}"
        if db.session.scalar(select(Idea.id).where(Idea.submission_token == token)):
            continue
        lon, lat = _sample_point(balvi.id, seed=100 + number)
        record_idea(
            NewIdea(
                title=title,
                description=description + FICTIONAL,
                category_id=categories[slug],
                lon=lon,
                lat=lat,
                channel=channel,
                collected_note=WORKSHOP_NOTE if channel == IdeaChannel.WORKSHOP else None,
                submission_token=token,
            ),
            leader,
        )
        added += 1
    db.session.flush()
    click.echo(f"Recorded ideas added: {added}.")


LOADERS.append(load_recorded_ideas)


# --- volume ---------------------------------------------------------------------------------

VOLUME_SQL = """
WITH units AS (
    SELECT id, geom, ST_Area(geom) AS area, sum(ST_Area(geom)) OVER () AS total
    FROM territories
),
points AS (
    SELECT id AS unit_id,
           (ST_Dump(ST_GeneratePoints(geom, greatest(1, ceil(:count * area / total))::int)))
           .geom AS geom
    FROM units
),
-- Unit by unit: the territory trigger then meets the same polygon row after row.
numbered AS (
    SELECT geom, row_number() OVER (ORDER BY unit_id) AS rn FROM points
),
picked AS (
    SELECT n.geom, n.rn,
           (SELECT array_agg(id ORDER BY id) FROM categories WHERE active) AS categories,
           (ARRAY['submitted', 'submitted', 'submitted', 'under_review', 'under_review',
                  'adopted', 'in_progress', 'done', 'not_possible'])[1 + floor(random() * 9)::int]
               AS status,
           now() - random() * interval '730 days' AS created_at
    FROM numbered n
    WHERE n.rn <= :count
    ORDER BY n.rn
),
inserted AS (
    INSERT INTO ideas (title, description, category_id, geom, location_approximate,
                       author_anonymous, channel, status, created_at, updated_at,
                       status_changed_at, first_answered_at)
    SELECT
        (ARRAY['Jauns gājēju celiņš', 'Apgaismojums', 'Soliņi un atkritumu urnas',
               'Bedru remonts', 'Rotaļu laukums', 'Velonovietnes', 'Autobusa pietura',
               'Koku stādījumi', 'Ātrumvalnis', 'Lietus ūdens novadīšana', 'Sporta laukums',
               'Informācijas stends'])[1 + floor(random() * 12)::int]
        || ' ' ||
        (ARRAY['pie skolas', 'pie ezera', 'līdz stacijai', 'ciemata centrā', 'pie veikala',
               'pie baznīcas', 'parkā', 'pie tautas nama', 'gar upi', 'pie bibliotēkas'])
               [1 + floor(random() * 10)::int],
        'Iedzīvotāji ierosina uzlabot šo vietu, jo tā ir svarīga ikdienā.'
            || ' (Izdomāts priekšlikums slodzes pārbaudei.)',
        p.categories[1 + floor(random() * array_length(p.categories, 1))::int],
        p.geom, false, random() < 0.2, 'online', CAST(p.status AS idea_status),
        p.created_at, p.created_at,
        CASE WHEN p.status <> 'submitted' THEN p.created_at + interval '14 days' END,
        CASE WHEN p.status <> 'submitted' THEN p.created_at + interval '14 days' END
    FROM picked p
    ORDER BY p.rn
    RETURNING id, status, created_at
)
INSERT INTO idea_status_changes (idea_id, from_status, to_status, created_at)
SELECT id, NULL, 'submitted', created_at FROM inserted
"""


BATCH = 20_000  # one statement per batch keeps each well inside the statement timeout


@bp.cli.command("ideas")
@click.option("--count", type=click.IntRange(1, 2_000_000), default=1000, show_default=True)
def volume_ideas(count: int) -> None:
    """Add COUNT fictional ideas at random points inside the units (INSERT … SELECT)."""
    if not db.session.scalar(text("SELECT count(*) FROM territories")):
        raise click.ClickException("Load the territories first: flask demo load")
    if not db.session.scalar(text("SELECT count(*) FROM categories WHERE active")):
        raise click.ClickException("Load the categories first: flask demo load")
    started = time.monotonic()
    done = 0
    while done < count:
        batch = min(BATCH, count - done)
        db.session.execute(text("SET LOCAL jit = off"))  # compiling costs more than it saves
        db.session.execute(text(VOLUME_SQL), {"count": batch})
        db.session.commit()
        done += batch
        click.echo(f"{done} / {count}")
    db.session.execute(text("ANALYZE ideas"))
    db.session.commit()
    click.echo(f"{count} ideas added in {time.monotonic() - started:.1f} s.")
