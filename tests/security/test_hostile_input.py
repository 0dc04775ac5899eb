"""Hostile input across every form, query parameter and API (issue 7, item 3).

Script and HTML in every text field come out inert wherever they are shown (pages, map data,
Open311 XML, e-mails); spreadsheet formulas are neutralised in CSV exports; SQL fragments stay
data; impossible coordinates, over-long, empty and invisible-character texts and hostile
uploads get a 4xx with a clear Latvian message; nothing gives a 5xx.
"""

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import delete, func, select, text

import app.accounts  # noqa: F401 - before app.ideas: app.core.auth <-> app.accounts import cycle
from app.accounts.models import Role, User
from app.extensions import db as _db
from app.ideas.models import Comment, Follow, Idea, IdeaPhoto
from app.notifications.worker import send_pending
from app.surveys import services as survey_services
from app.surveys.models import Answer, QuestionKind
from tests.conftest import body_text
from tests.factories import BALVI, create_idea, create_many_ideas, create_user, territory
from tests.security.hostile import (
    FORMULAS,
    GIF_JS_POLYGLOT,
    HTML,
    LV_COORDINATES,
    LV_INVISIBLE,
    LV_NOT_A_PHOTO,
    LV_OUTSIDE,
    LV_TOO_LARGE,
    SQL,
    SVG,
    XSS,
    XSS_IDS,
    XSS_VALUES,
    UnreadableBody,
    assert_inert,
    assert_no_formula_cells,
    client_as,
    csv_rows,
    decompression_bomb,
    image_bytes,
    neutralised,
)
from tests.surveys.helpers import make_survey

LON, LAT = BALVI
RIGA = (24.1052, 56.9496)  # lon, lat: far outside the municipality
DESCRIPTION = "Apraksts, kas ir pietiekami garš priekšlikumam par ciemu."


# --- fixtures and small helpers ------------------------------------------------------------
# Reference data every test here needs: kept between this module's tests, never changed.
KEPT_TABLES = {"alembic_version", "spatial_ref_sys", "municipalities", "territories", "categories"}


@pytest.fixture(scope="module", autouse=True)
def fresh_start(app):
    """Whatever an earlier module left (other units, say) goes once, the suite's way."""
    import fcntl

    from tests.conftest import POSTGRES_RESTART_LOCK, _truncate_all

    with POSTGRES_RESTART_LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        _truncate_all(app)


@pytest.fixture(autouse=True)
def clean_state(app):
    """Overrides the suite's clean_state for this module, with the same promise (every test
    starts with no rows and an empty upload folder) at a fraction of the cost for ~150 short
    tests: only the tables that hold rows are emptied, and the units and categories stay."""
    import shutil

    with app.app_context():
        tables = [t.name for t in _db.metadata.sorted_tables if t.name not in KEPT_TABLES]
        probe = " UNION ALL ".join(
            f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in tables
        )
        filled = set(_db.session.scalars(text(probe)))
        # DELETE, children first: far cheaper than TRUNCATE for the few rows a test leaves.
        for name in reversed(tables):
            if name in filled:
                _db.session.execute(text(f'DELETE FROM "{name}"'))
        _db.session.commit()
        _db.session.remove()
    upload_dir = Path(app.config["UPLOAD_DIR"])
    shutil.rmtree(upload_dir, ignore_errors=True)
    upload_dir.mkdir(parents=True)
    yield


@pytest.fixture
def balvu(db):
    """The 21 units and the categories, imported once for this module (see clean_state)."""
    from app.categories.services import ensure_default_categories
    from app.territories.models import Territory
    from app.territories.services import import_territories, read_boundary_file
    from tests.conftest import boundary_file

    if not db.session.scalar(select(func.count()).select_from(Territory)):
        import_territories(read_boundary_file(boundary_file("balvi_units.geojson")), "Balvu novads")
    ensure_default_categories()
    db.session.commit()
    return db


@pytest.fixture
def resident(balvu):
    return create_user(email="resident@example.lv")


@pytest.fixture
def staff(balvu):
    return create_user(Role.STAFF, email="staff@example.lv")


@pytest.fixture
def leader(balvu):
    return create_user(Role.LEADER, email="leader@example.lv", territories=[territory("Balvi")])


def category_id(slug: str = "public-space") -> int:
    from app.categories.models import Category

    return _db.session.scalar(select(Category.id).where(Category.slug == slug))


def idea_form(**overrides) -> dict:
    data = {
        "title": "Soliņi pie ezera",
        "description": DESCRIPTION,
        "category": str(category_id()),
        "lat": str(LAT),
        "lon": str(LON),
        "territory": "",
        "place_description": "",
        "submission_token": "hostile-token-" + "a" * 12,
        "step": "confirm",  # past the similar-ideas step
    }
    data.update(overrides)
    return data


def count(model) -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(model))


def upload_files(app) -> list[Path]:
    return sorted(Path(app.config["UPLOAD_DIR"]).rglob("*"))


def page_of(response) -> str:
    assert response.status_code < 500, response.status_code
    return response.get_data(as_text=True)


# --- script and HTML in every text field ---------------------------------------------------


@pytest.mark.parametrize("payload", XSS_VALUES, ids=XSS_IDS)
def test_idea_texts_and_photo_alt_are_inert_on_every_page_and_in_the_map_data(
    app, db, resident, staff, payload
):
    """Title, description, place description and alt text, sent through the real form."""
    client = client_as(app, resident)
    title = f"Ideja {payload}"
    data = idea_form(
        title=title,
        description=f"{DESCRIPTION} {payload}",
        place_description=payload,
        alt_1=payload,
    )
    data["photo_1"] = (io.BytesIO(image_bytes()), "soliņš.jpg")
    response = client.post("/lv/ideas/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, page_of(response)
    idea = db.session.scalars(select(Idea)).one()
    assert idea.title == title  # stored as typed: it is text, not markup
    assert db.session.scalars(select(IdeaPhoto.alt_text)).one() == payload

    for path in (f"/lv/ideas/{idea.id}", "/lv/ideas/list", f"/en/ideas/{idea.id}"):
        assert_inert(page_of(client.get(path)), title)
    show = page_of(client.get(f"/lv/ideas/{idea.id}"))
    assert_inert(show, f"{DESCRIPTION} {payload}")
    assert f'alt="{escape(payload)}"' in show  # the alt attribute is escaped too
    assert_inert(page_of(client_as(app, staff).get(f"/lv/staff/ideas/{idea.id}")), title)

    # The map's data: JSON that gives the exact text back, never served as HTML.
    api = client.get("/api/v1/ideas.geojson", query_string={"bbox": "27,57,27.5,57.3"})
    assert api.status_code == 200
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    assert "html" not in api.headers["Content-Type"]
    [feature] = json.loads(api.get_data(as_text=True))["features"]
    assert feature["properties"]["title"] == title
    opendata = client.get("/lv/open-data/ideas.geojson")
    assert opendata.status_code == 200 and "html" not in opendata.headers["Content-Type"]
    properties = json.loads(opendata.get_data(as_text=True))["features"][0]["properties"]
    assert properties["place_description"] == payload


def test_the_map_script_inserts_idea_texts_as_text():
    """The popup and marker names are built with textContent (never innerHTML from data)."""
    source = (Path(__file__).parents[2] / "app/static/js/ideas-map.js").read_text()
    assert "title.textContent = properties.title;" in source
    assert "badge.textContent = properties.status_label;" in source
    assert "span.textContent = text;" in source
    # innerHTML is only read back from nodes built with textContent, never assigned.
    assert "innerHTML =" not in source and "innerHTML=" not in source
    assert "insertAdjacentHTML" not in source and "document.write" not in source
    assert "bindPopup(() => popupFor(p))" in source


@pytest.mark.parametrize(
    "body",
    [
        *XSS_VALUES,
        "<b>treknraksts</b> ir tikai teksts",
        'https://example.lv/"onmouseover="alert(1)',
        "https://example.lv/<script>alert(1)</script>",
    ],
    ids=[*XSS_IDS, "bold-tag", "link-attribute-breakout", "link-with-script"],
)
def test_comments_are_stored_as_text_and_shown_inert(app, db, leader, body):
    # A leader writes it: new residents' links wait for a moderator (tests/moderation).
    idea = create_idea()
    client = client_as(app, leader)
    response = client.post(f"/lv/ideas/{idea.id}/comments", data={"body": body})
    assert response.status_code == 302
    assert db.session.scalars(select(Comment.body)).one() == body
    html = page_of(client_as(app).get(f"/lv/ideas/{idea.id}"))
    assert "<b>treknraksts" not in html
    lowered = html.lower()
    for marker in ("<script>alert(1)", "<img src=x", 'href="javascript:', 'onmouseover="alert'):
        assert marker not in lowered
    assert '" onmouseover' not in lowered and "onfocus='alert" not in lowered
    if not body.startswith("https://"):
        assert_inert(html, body)


@pytest.mark.parametrize("payload", XSS_VALUES, ids=XSS_IDS)
def test_display_names_are_inert_in_the_confirmation_email_and_on_pages(
    app, db, mailbox, balvu, payload
):
    client = client_as(app)
    response = client.post(
        "/lv/account/register",
        data={
            "email": "vards@example.lv",
            "display_name": payload,
            "password": "correct horse battery",
            "password_confirm": "correct horse battery",
            "accept_privacy": "y",
        },
    )
    assert response.status_code == 200 and "vards@example.lv" in page_of(response)
    [message] = mailbox.to("vards@example.lv")
    assert_inert(message.get_body(preferencelist=("html",)).get_content(), payload)
    assert payload in body_text(message)  # plain text is inert by nature

    user = db.session.scalars(select(User).where(User.email == "vards@example.lv")).one()
    assert user.display_name == payload
    user.email_confirmed_at = func.now()
    db.session.commit()
    idea = create_idea(author=user)
    signed_in = client_as(app, user)
    assert (
        signed_in.post(f"/lv/ideas/{idea.id}/comments", data={"body": "Labs!"}).status_code == 302
    )
    for path in (f"/lv/ideas/{idea.id}", "/lv/account/"):
        assert_inert(page_of(signed_in.get(path)), payload)
    # The profile form takes the same name back without turning it into markup.
    saved = signed_in.post(
        "/lv/account/",
        data={
            "display_name": payload,
            "locale": "lv",
            "home_territory": "0",
            "notification_frequency": "never",
        },
    )
    assert saved.status_code == 302


@pytest.mark.parametrize("payload", XSS_VALUES, ids=XSS_IDS)
def test_survey_texts_options_and_text_answers_are_inert(app, db, leader, payload):
    survey = make_survey(
        leader,
        [territory("Balvi")],
        title=f"Aptauja {payload}",
        title_en=f"Survey {payload}",
        description=payload,
        results_public=True,
    )
    section = survey_services.add_section(survey, title=f"Daļa {payload}")
    short = survey_services.add_question(
        section, kind=QuestionKind.SHORT_TEXT, prompt=f"Jautājums {payload}", help=payload
    )
    single = survey_services.add_question(
        section, kind=QuestionKind.SINGLE, prompt="Izvēle", prompt_en="Choice"
    )
    survey_services.add_option(single, f"Variants {payload}", f"Option {payload}")
    db.session.commit()
    option_id = single.options[0].id

    resident = client_as(app)
    page = page_of(resident.get(f"/lv/surveys/{survey.id}"))
    for shown in (f"Aptauja {payload}", f"Jautājums {payload}", f"Variants {payload}"):
        assert_inert(page, shown)
    assert_inert(page_of(resident.get("/lv/surveys/")), f"Aptauja {payload}")
    answered = resident.post(
        f"/lv/surveys/{survey.id}",
        data={f"q{short.id}": payload, f"q{single.id}": str(option_id), "submission_token": ""},
    )
    assert answered.status_code == 302, page_of(answered)
    assert db.session.scalar(select(Answer.value).where(Answer.question_id == short.id)) == payload

    manager = client_as(app, leader)
    assert_inert(page_of(manager.get(f"/lv/surveys/{survey.id}/results")), f"Variants {payload}")
    answers = manager.get(f"/lv/surveys/{survey.id}/results/questions/{short.id}/answers")
    assert_inert(page_of(answers), payload)
    assert_inert(page_of(manager.get(f"/lv/surveys/{survey.id}/print")), f"Jautājums {payload}")
    assert_inert(page_of(manager.get(f"/lv/surveys/{survey.id}/edit")), f"Aptauja {payload}")


def test_survey_builder_keeps_script_in_a_title_as_text(app, db, leader):
    payload = XSS["attribute-breakout"]
    client = client_as(app, leader)
    response = client.post(
        "/lv/surveys/new",
        data={
            "title": f"Aptauja {payload}",
            "title_en": "",
            "description": payload,
            "territories": [str(territory("Balvi").id)],
            "access": "anonymous",
            "one_per_person": "y",
        },
    )
    assert response.status_code == 302, page_of(response)
    edit = page_of(client.get(response.headers["Location"]))
    assert_inert(edit, f"Aptauja {payload}")


@pytest.mark.parametrize("payload", XSS_VALUES, ids=XSS_IDS)
def test_official_answers_are_inert_on_the_page_and_in_the_emails(app, db, mailbox, staff, payload):
    author = create_user(email="autors@example.lv")
    idea = create_idea(title=f"Soliņi {payload}", author=author)
    db.session.add(Follow(user_id=author.id, idea_id=idea.id))
    db.session.commit()
    response = client_as(app, staff).post(
        f"/lv/staff/ideas/{idea.id}/status",
        data={"status": "under_review", "answer": f"Atbilde {payload}", "answer_en": payload},
    )
    assert response.status_code == 302, page_of(response)
    html = page_of(client_as(app).get(f"/lv/ideas/{idea.id}"))
    assert_inert(html, f"Atbilde {payload}")

    assert send_pending().sent == 1
    [message] = mailbox.to(author.email)
    mail_html = message.get_body(preferencelist=("html",)).get_content()
    assert_inert(mail_html, f"Atbilde {payload}")
    assert_inert(mail_html, f"Soliņi {payload}")
    assert "\n" not in str(message["Subject"])


@pytest.mark.parametrize("payload", XSS_VALUES, ids=XSS_IDS)
def test_programme_task_titles_are_inert_for_staff_and_in_the_audit_log(app, db, staff, payload):
    idea = create_idea()
    client = client_as(app, staff)
    added = client.post(
        "/lv/staff/programme-tasks",
        data={"code": "RV1.2", "title": f"Uzdevums {payload}", "title_en": f"Task {payload}"},
    )
    assert added.status_code == 302, page_of(added)
    assert_inert(page_of(client.get("/lv/staff/programme-tasks")), f"Uzdevums {payload}")
    from app.staff.models import ProgrammeTask

    task_id = db.session.scalars(select(ProgrammeTask.id)).one()
    linked = client.post(
        f"/lv/staff/ideas/{idea.id}/programme-task", data={"link-programme_task": str(task_id)}
    )
    assert linked.status_code == 302, page_of(linked)
    assert_inert(page_of(client.get(f"/lv/staff/ideas/{idea.id}")), f"Uzdevums {payload}")
    admin = create_user(Role.ADMIN, email="admin@example.lv")
    audit = page_of(client_as(app, admin).get("/lv/admin/audit"))
    assert "RV1.2" in audit
    for marker in ("<script>alert(1)", "<img src=x", 'href="javascript:', "onfocus='alert"):
        assert marker not in audit


@pytest.mark.parametrize(
    "target",
    ["javascript:alert(1)", "//evil.example/", "https://evil.example/", "/\\evil.example"],
    ids=["javascript", "protocol-relative", "absolute", "backslash"],
)
def test_unsafe_next_targets_after_a_support_are_ignored(app, db, resident, target):
    idea = create_idea()
    response = client_as(app, resident).post(f"/lv/ideas/{idea.id}/support", data={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/lv/ideas/{idea.id}")


@pytest.mark.parametrize("payload", XSS_VALUES, ids=XSS_IDS)
def test_report_details_and_moderator_reasons_are_inert(app, db, mailbox, staff, payload):
    author = create_user(email="autors@example.lv")
    reporter = create_user(email="zinotajs@example.lv")
    idea = create_idea(author=author)
    reported = client_as(app, reporter).post(
        f"/lv/moderation/report/idea/{idea.id}", data={"reason": "other", "details": payload}
    )
    assert reported.status_code == 302, page_of(reported)
    moderator = client_as(app, staff)
    assert_inert(page_of(moderator.get(f"/lv/moderation/idea/{idea.id}")), payload)
    hidden = moderator.post(
        f"/lv/moderation/idea/{idea.id}/hide", data={"reason": f"Iemesls {payload}"}
    )
    assert hidden.status_code == 302
    send_pending()
    [message] = mailbox.to(author.email)
    assert_inert(message.get_body(preferencelist=("html",)).get_content(), f"Iemesls {payload}")


@pytest.mark.parametrize("payload", XSS_VALUES, ids=XSS_IDS)
def test_open311_xml_and_json_carry_payloads_as_text(app, db, balvu, payload):
    from app.open311.services import issue_key

    _key, token = issue_key("Lietotne", actor=None)
    db.session.commit()
    client = client_as(app)
    created = client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": token,
            "service_code": "public-space",
            "description": f"{DESCRIPTION} {payload}",
            "lat": str(LAT),
            "long": str(LON),
            "attribute[title]": f"Ideja {payload}",
            "address_string": payload,
        },
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    xml = client.get("/open311/v2/requests.xml")
    assert xml.status_code == 200 and "xml" in xml.headers["Content-Type"]
    root = ET.fromstring(xml.get_data())  # well-formed: the payload did not break the XML
    descriptions = [node.text for node in root.iter("description")]
    assert any(payload in (d or "") for d in descriptions)
    listed = client.get("/open311/v2/requests.json").get_json()
    assert listed[0]["address"] == payload


# --- spreadsheet formulas in CSV exports ---------------------------------------------------


@pytest.mark.parametrize("formula", list(FORMULAS.values()), ids=list(FORMULAS))
def test_open_data_ideas_csv_neutralises_formulas(app, db, staff, formula):
    idea = create_idea(title=formula[:120], description=formula + " " + DESCRIPTION)
    idea.place_description = formula
    db.session.commit()
    answered = client_as(app, staff).post(
        f"/lv/staff/ideas/{idea.id}/status",
        data={"status": "under_review", "answer": formula, "answer_en": formula},
    )
    assert answered.status_code == 302
    response = client_as(app).get("/lv/open-data/ideas.csv")
    assert response.status_code == 200
    rows = csv_rows(response.get_data(as_text=True))
    header, row = rows[0], rows[1]
    assert_no_formula_cells(rows)
    stored_title = formula[:120].strip()
    assert row[header.index("title")] == neutralised(stored_title)
    assert row[header.index("place_description")] == neutralised(formula)
    assert row[header.index("answer_lv")] == neutralised(formula.strip())


@pytest.mark.parametrize("formula", list(FORMULAS.values()), ids=list(FORMULAS))
def test_survey_csv_exports_neutralise_formulas(app, db, leader, formula):
    survey = make_survey(leader, [territory("Balvi")], results_public=True)
    section = survey_services.add_section(survey, title="Daļa")
    short = survey_services.add_question(section, kind=QuestionKind.SHORT_TEXT, prompt=formula)
    single = survey_services.add_question(section, kind=QuestionKind.SINGLE, prompt="Izvēle")
    survey_services.add_option(single, formula, formula)
    db.session.commit()
    answered = client_as(app).post(
        f"/lv/surveys/{survey.id}",
        data={
            f"q{short.id}": formula,
            f"q{single.id}": str(single.options[0].id),
            "submission_token": "",
        },
    )
    assert answered.status_code == 302, page_of(answered)

    own = client_as(app, leader).get(f"/lv/surveys/{survey.id}/results.csv")
    assert own.status_code == 200
    rows = csv_rows(own.get_data(as_text=True))
    assert_no_formula_cells(rows)
    assert neutralised(formula.strip()) in rows[1] or neutralised(formula) in rows[1]
    public = client_as(app).get("/lv/open-data/survey-results.csv")
    assert public.status_code == 200
    rows = csv_rows(public.get_data(as_text=True))
    assert_no_formula_cells(rows)
    assert any(neutralised(formula) in row for row in rows)


def test_my_data_csv_neutralises_formulas(app, db, resident):
    import zipfile

    from app.ideas.services import add_comment
    from tests.factories import PASSWORD

    idea = create_idea(title=FORMULAS["equals"][:120], author=resident)
    for formula in FORMULAS.values():
        add_comment(idea, resident, formula)
    db.session.commit()
    client = client_as(app, resident)
    assert client.post("/lv/account/privacy/", data={"password": PASSWORD}).status_code == 302
    response = client.get("/lv/account/privacy/download/kopa-my-data-csv.zip")
    assert response.status_code == 200
    cells = 0
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        for name in archive.namelist():
            rows = csv_rows(archive.read(name).decode("utf-8"))
            assert_no_formula_cells(rows)
            cells += sum(len(row) for row in rows)
            if name == "comments.csv":
                bodies = [row[rows[0].index("body")] for row in rows[1:]]
                assert sorted(bodies) == sorted(neutralised(f.strip()) for f in FORMULAS.values())
    assert cells


# --- SQL fragments in filters --------------------------------------------------------------

BBOX = "27,57,27.5,57.3"
SQL_CASES = [
    # (id, path, query, statuses allowed, role)
    ("list-q-or", "/lv/ideas/list", {"q": SQL["or-1-1"]}, {200}, None),
    ("list-q-union", "/lv/ideas/list", {"q": SQL["union"]}, {200}, None),
    ("list-category-drop", "/lv/ideas/list", {"category": SQL["drop-table"]}, {200}, None),
    ("list-status-or", "/lv/ideas/list", {"status": SQL["or-1-1"]}, {200}, None),
    ("list-territory-or", "/lv/ideas/list", {"territory": "1 OR 1=1"}, {200}, None),
    ("list-sort-drop", "/lv/ideas/list", {"sort": "id;DROP TABLE ideas"}, {200}, None),
    ("list-page-drop", "/lv/ideas/list", {"page": SQL["drop-table"]}, {200}, None),
    ("map-page-q-or", "/lv/ideas", {"q": SQL["or-1-1"]}, {200}, None),
    ("api-q-or", "/api/v1/ideas.geojson", {"bbox": BBOX, "q": SQL["or-1-1"]}, {200}, None),
    (
        "api-category-drop",
        "/api/v1/ideas.geojson",
        {"bbox": BBOX, "category": SQL["drop-table"]},
        {400},
        None,
    ),
    (
        "api-status-or",
        "/api/v1/ideas.geojson",
        {"bbox": BBOX, "status": SQL["or-1-1"]},
        {400},
        None,
    ),
    (
        "api-territory-or",
        "/api/v1/ideas.geojson",
        {"bbox": BBOX, "territory": "1 OR 1=1"},
        {400},
        None,
    ),
    ("api-bbox-drop", "/api/v1/ideas.geojson", {"bbox": SQL["drop-table"]}, {400}, None),
    (
        "api-zoom-drop",
        "/api/v1/ideas.geojson",
        {"bbox": BBOX, "zoom": SQL["drop-table"]},
        {400},
        None,
    ),
    (
        "open311-service-code-or",
        "/open311/v2/requests.json",
        {"service_code": SQL["or-1-1"]},
        {200},
        None,
    ),
    (
        "open311-id-drop",
        "/open311/v2/requests.json",
        {"service_request_id": SQL["drop-table"]},
        {400},
        None,
    ),
    ("open311-status-or", "/open311/v2/requests.json", {"status": SQL["or-1-1"]}, {400}, None),
    ("open311-date-or", "/open311/v2/requests.json", {"start_date": SQL["or-1-1"]}, {400}, None),
    ("open311-detail-or", "/open311/v2/requests/1 OR 1=1.json", {}, {404}, None),
    ("surveys-territory-drop", "/lv/surveys/", {"territory": SQL["drop-table"]}, {200}, None),
    (
        "staff-queue-status-or",
        "/lv/staff/",
        {"status": SQL["or-1-1"], "territory": SQL["drop-table"]},
        {200, 400},
        Role.STAFF,
    ),
    (
        "feedback-year-or",
        "/lv/feedback",
        {"year": SQL["or-1-1"], "category": SQL["drop-table"]},
        {200, 400},
        Role.STAFF,
    ),
    ("admin-roles-q-union", "/lv/admin/roles", {"q": SQL["union"]}, {200}, Role.ADMIN),
    ("moderation-page-drop", "/lv/moderation/", {"page": SQL["drop-table"]}, {200}, Role.STAFF),
]


@pytest.mark.parametrize(
    ("path", "query", "allowed", "role"), [c[1:] for c in SQL_CASES], ids=[c[0] for c in SQL_CASES]
)
def test_sql_fragments_in_filters_stay_data(app, db, balvu, path, query, allowed, role):
    create_idea(title="Soliņi pie ezera")
    create_idea(title="Slēpts priekšlikums par ceļu", hidden=True)
    user = create_user(role, email="viewer@example.lv") if role else None
    response = client_as(app, user).get(path, query_string=query)
    assert response.status_code in allowed, (response.status_code, response.get_data()[:300])
    body = response.get_data(as_text=True)
    assert "Slēpts priekšlikums" not in body  # nothing the filter would not show leaked out
    if role is None:
        assert "@example.lv" not in body  # no e-mail address came out of a UNION
    if "q" in query and path.startswith(("/lv/ideas", "/api/")):
        assert "Soliņi pie ezera" not in body  # the words were searched for, not run
    db.session.rollback()
    assert db.session.scalar(text("SELECT count(*) FROM ideas")) == 2  # the table is there


# --- coordinates ---------------------------------------------------------------------------

BAD_PINS = [
    ("nan", "NaN", "NaN", LV_COORDINATES),
    ("infinity", "Infinity", "-Infinity", LV_COORDINATES),
    ("overflow-1e309", "1e309", "1e309", LV_COORDINATES),
    ("text", "57.13; DROP TABLE ideas", "27.26", LV_COORDINATES),
    ("hex-float", "0x1p6", "27.26", LV_COORDINATES),
    ("swapped", str(LON), str(LAT), LV_OUTSIDE),
    ("outside-riga", str(RIGA[1]), str(RIGA[0]), LV_OUTSIDE),
    ("out-of-range", "91", "181", LV_OUTSIDE),
    ("null-island", "0", "0", LV_OUTSIDE),
]


@pytest.mark.parametrize(
    ("lat", "lon", "message"), [p[1:] for p in BAD_PINS], ids=[p[0] for p in BAD_PINS]
)
def test_impossible_pins_are_refused_and_kept_in_the_form(app, db, resident, lat, lon, message):
    response = client_as(app, resident).post("/lv/ideas/new", data=idea_form(lat=lat, lon=lon))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'value="{escape(lat)}"' in html  # what was typed is kept
    assert count(Idea) == 0


@pytest.mark.parametrize(
    ("bbox", "status"),
    [
        ("NaN,NaN,NaN,NaN", 400),
        ("-Infinity,-90,Infinity,90", 400),
        ("1e309,57,1e310,58", 400),
        ("27.5,57,27,57.3", 400),  # west > east
        ("57,27,57.3,27.5", 200),  # lat/lon swapped: a valid box with nothing in it
        ("24,56.9,24.2,57", 200),  # outside the municipality
        ("-181,-91,181,91", 400),
    ],
    ids=[
        "nan",
        "infinity",
        "overflow",
        "west-east-swapped",
        "lat-lon-swapped",
        "outside",
        "beyond",
    ],
)
def test_impossible_bboxes(app, db, balvu, bbox, status):
    create_idea()
    response = client_as(app).get("/api/v1/ideas.geojson", query_string={"bbox": bbox})
    assert response.status_code == status
    body = response.get_json(force=True)
    if status == 400:
        assert "bbox" in body["error"]["message"]
    else:
        assert body["features"] == []


@pytest.mark.parametrize("zoom", [None, "0", "22"], ids=["no-zoom", "zoom-0", "zoom-22"])
def test_a_whole_world_bbox_is_capped_at_1000_features(app, db, balvu, zoom):
    create_many_ideas(1200)
    query = {"bbox": "-180,-90,180,90"}
    if zoom is not None:
        query["zoom"] = zoom
    response = client_as(app).get("/api/v1/ideas.geojson", query_string=query)
    assert response.status_code == 200
    features = response.get_json(force=True)["features"]
    assert 0 < len(features) <= 1000


@pytest.mark.parametrize(
    ("lat", "long"),
    [("NaN", "NaN"), ("1e309", "27"), (str(LON), str(LAT)), (str(RIGA[1]), str(RIGA[0]))],
    ids=["nan", "overflow", "swapped", "outside"],
)
def test_open311_refuses_impossible_coordinates(app, db, balvu, lat, long):
    from app.open311.services import issue_key

    _key, token = issue_key("Lietotne", actor=None)
    db.session.commit()
    response = client_as(app).post(
        "/open311/v2/requests.json",
        data={
            "api_key": token,
            "service_code": "public-space",
            "description": DESCRIPTION,
            "lat": lat,
            "long": long,
        },
    )
    assert response.status_code == 400
    assert response.get_json()[0]["description"]
    assert count(Idea) == 0


@pytest.mark.parametrize(
    ("lat", "lon"),
    [("NaN", "NaN"), ("Infinity", "27"), (str(LON), str(LAT))],
    ids=["nan", "infinity", "swapped"],
)
def test_survey_map_answers_refuse_impossible_pins(app, db, leader, lat, lon):
    survey = make_survey(leader, [territory("Balvi")])
    section = survey_services.add_section(survey, title="Daļa")
    where = survey_services.add_question(section, kind=QuestionKind.MAP_POINT, prompt="Kur?")
    db.session.commit()
    response = client_as(app).post(
        f"/lv/surveys/{survey.id}",
        data={f"q{where.id}_lat": lat, f"q{where.id}_lon": lon, "submission_token": ""},
    )
    assert 400 <= response.status_code < 500
    assert count(Answer) == 0


@pytest.mark.parametrize(
    "query",
    [
        {"lat": "NaN", "lon": "Infinity", "z": "1e309"},
        {"lat": "1e309", "lon": "-1e309", "z": "99999999999999999999"},
        {"lat": "<script>alert(1)</script>", "lon": "27", "z": "12"},
    ],
    ids=["nan", "overflow", "script"],
)
def test_the_map_page_ignores_impossible_views(app, db, balvu, query):
    response = client_as(app).get("/lv/ideas", query_string=query)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.get_data(as_text=True)


# --- over-long and empty texts -------------------------------------------------------------

LONG_AND_EMPTY = [
    ("title-empty", {"title": ""}, "Lūdzu, ierakstiet nosaukumu."),
    ("title-spaces", {"title": "     "}, "Lūdzu, ierakstiet nosaukumu."),
    ("title-too-short", {"title": "Ab"}, "Nosaukumam jābūt no 5 līdz 120"),
    ("title-121", {"title": "A" * 121}, "Nosaukumam jābūt no 5 līdz 120"),
    ("title-100k", {"title": "A" * 100_000}, "Nosaukumam jābūt no 5 līdz 120"),
    ("description-empty", {"description": ""}, "Lūdzu, aprakstiet savu"),
    ("description-5001", {"description": "A" * 5001}, "Aprakstam jābūt no 20 līdz 5000"),
    ("place-301", {"place_description": "A" * 301}, "300"),
    ("alt-251", {"alt_1": "A" * 251}, "250"),
]


@pytest.mark.parametrize(
    ("fields", "message"), [c[1:] for c in LONG_AND_EMPTY], ids=[c[0] for c in LONG_AND_EMPTY]
)
def test_over_long_and_empty_idea_texts_are_refused(app, db, resident, fields, message):
    response = client_as(app, resident).post("/lv/ideas/new", data=idea_form(**fields))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Idea) == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Lūdzu, uzrakstiet komentāru."),
        ("   \n  ", "Lūdzu, uzrakstiet komentāru."),
        ("A" * 2001, "Komentārs var būt ne garāks par 2000 rakstzīmēm."),
    ],
    ids=["empty", "whitespace", "2001"],
)
def test_over_long_and_empty_comments_are_refused(app, db, resident, body, message):
    idea = create_idea()
    response = client_as(app, resident).post(f"/lv/ideas/{idea.id}/comments", data={"body": body})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Comment) == 0


def test_over_long_search_gets_a_clear_message_or_a_400(app, db, balvu):
    page = client_as(app).get("/lv/ideas/list", query_string={"q": "ā" * 201})
    assert page.status_code == 200  # a GET filter form: shown again with the error
    assert "Ne vairāk kā 200 rakstzīmes." in page.get_data(as_text=True)
    api = client_as(app).get("/api/v1/ideas.geojson", query_string={"bbox": BBOX, "q": "a" * 201})
    assert api.status_code == 400 and "200" in api.get_json()["error"]["message"]


def test_over_long_and_empty_open311_descriptions_are_refused(app, db, balvu):
    from app.open311.services import issue_key

    _key, token = issue_key("Lietotne", actor=None)
    db.session.commit()
    client = client_as(app)
    for description in ("", "A" * 5001):
        response = client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": token,
                "service_code": "public-space",
                "description": description,
                "lat": str(LAT),
                "long": str(LON),
            },
        )
        assert response.status_code == 400
        assert response.get_json()[0]["description"]
    assert count(Idea) == 0


# --- zero-width and direction-changing characters ------------------------------------------
# Decision: refused in titles and names with one clear message, on every channel (web form,
# Open311, survey builder, registration and profile). See app/core/text.py.

INVISIBLE = {
    "zero-width-space": "Soliņi\u200bpie ezera",
    "right-to-left-override": "Soliņi \u202eareze eip",
    "left-to-right-isolate": "Soliņi \u2066pie ezera\u2069",
    "byte-order-mark": "\ufeffSoliņi pie ezera",
    "newline": "Soliņi\npie ezera",
}


@pytest.mark.parametrize("title", list(INVISIBLE.values()), ids=list(INVISIBLE))
def test_invisible_characters_in_idea_titles_are_refused(app, db, resident, title):
    response = client_as(app, resident).post("/lv/ideas/new", data=idea_form(title=title))
    assert response.status_code == 422
    assert LV_INVISIBLE in response.get_data(as_text=True)
    assert count(Idea) == 0


@pytest.mark.parametrize(
    "name",
    [INVISIBLE["zero-width-space"], INVISIBLE["right-to-left-override"]],
    ids=["zwsp", "rlo"],
)
def test_invisible_characters_in_display_names_are_refused(app, db, resident, name):
    registered = client_as(app).post(
        "/lv/account/register",
        data={
            "email": "jauns@example.lv",
            "display_name": name,
            "password": "correct horse battery",
            "password_confirm": "correct horse battery",
            "accept_privacy": "y",
        },
    )
    assert registered.status_code == 422
    assert LV_INVISIBLE in registered.get_data(as_text=True)
    profile = client_as(app, resident).post(
        "/lv/account/",
        data={
            "display_name": name,
            "locale": "lv",
            "home_territory": "0",
            "notification_frequency": "never",
        },
    )
    assert profile.status_code == 422
    assert LV_INVISIBLE in profile.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, resident.id).display_name != name
    assert count(User) == 1


def test_emoji_joiners_stay_allowed_in_names(app, db, resident):
    name = "Anna \U0001f469\u200d\U0001f4bb"  # woman technologist: a zero-width joiner sequence
    response = client_as(app, resident).post(
        "/lv/account/",
        data={
            "display_name": name,
            "locale": "lv",
            "home_territory": "0",
            "notification_frequency": "never",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, resident.id).display_name == name


def test_invisible_characters_are_refused_in_open311_titles_and_survey_titles(app, db, leader):
    from app.open311.services import issue_key

    _key, token = issue_key("Lietotne", actor=None)
    db.session.commit()
    response = client_as(app).post(
        "/open311/v2/requests.json",
        data={
            "api_key": token,
            "service_code": "public-space",
            "description": DESCRIPTION,
            "lat": str(LAT),
            "long": str(LON),
            "attribute[title]": INVISIBLE["right-to-left-override"],
        },
    )
    assert response.status_code == 400
    assert LV_INVISIBLE in response.get_json()[0]["description"]
    survey = client_as(app, leader).post(
        "/lv/surveys/new",
        data={
            "title": "Aptauja \u202eajutpa",
            "territories": [str(territory("Balvi").id)],
            "access": "anonymous",
        },
    )
    assert survey.status_code == 422
    assert LV_INVISIBLE in survey.get_data(as_text=True)
    assert count(Idea) == 0


# --- NUL and other characters PostgreSQL cannot store --------------------------------------


@pytest.mark.parametrize(
    ("path_kind", "field"),
    [
        ("idea", "description"),
        ("idea", "place_description"),
        ("comment", "body"),
        ("report", "details"),
        ("sign-in", "email"),
        ("list", "q"),
        ("api", "q"),
    ],
    ids=["idea-description", "place-description", "comment", "report", "sign-in", "list", "api"],
)
def test_nul_characters_get_a_400_not_a_database_error(app, db, resident, path_kind, field):
    idea = create_idea()
    client = client_as(app, resident)
    nul = "Teksts ar \x00 nulles rakstzīmi, kas ir pietiekami garš."
    if path_kind == "idea":
        response = client.post("/lv/ideas/new", data=idea_form(**{field: nul}))
    elif path_kind == "comment":
        response = client.post(f"/lv/ideas/{idea.id}/comments", data={field: nul})
    elif path_kind == "report":
        response = client.post(
            f"/lv/moderation/report/idea/{idea.id}", data={"reason": "other", field: nul}
        )
    elif path_kind == "sign-in":
        response = client_as(app).post(
            "/lv/account/sign-in", data={field: "a\x00@example.lv", "password": "x" * 12}
        )
    elif path_kind == "list":
        response = client.get("/lv/ideas/list", query_string={field: nul})
    else:
        response = client.get("/api/v1/ideas.geojson", query_string={"bbox": BBOX, field: nul})
    assert response.status_code == 400
    assert count(Idea) == 1 and count(Comment) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/lv/ideas/{id}?comments=-1",
        "/lv/ideas/{id}?comments=99999999999999999999",
        "/lv/ideas/99999999999999999999",
        "/lv/ideas/list?page=-5",
        "/lv/surveys/?territory=99999999999999999999",
        "/open311/v2/requests.json?page=99999999999999999999",
        "/open311/v2/requests/99999999999999999999.json",
    ],
    ids=[
        "negative-comment-page",
        "huge-comment-page",
        "huge-idea-id",
        "negative-list-page",
        "huge-territory",
        "huge-open311-page",
        "huge-open311-id",
    ],
)
def test_out_of_range_numbers_in_urls_are_not_server_errors(app, db, balvu, path):
    idea = create_idea()
    response = client_as(app).get(path.format(id=idea.id))
    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/leaflet/..%2F..%2F..%2Fconfig.py",
        "/vendor/leaflet/../../../../etc/passwd",
        "/vendor/..%2F..%2Fapp/__init__.py",
        "/tiles/99/0/0.png",
        "/tiles/3/999999999999/0.png",
    ],
    ids=["vendor-encoded-dots", "vendor-dots", "vendor-package-dots", "tile-zoom", "tile-x"],
)
def test_paths_out_of_the_vendor_folder_and_impossible_tiles_are_404(app, db, path):
    response = client_as(app).get(path)
    assert response.status_code == 404
    body = response.get_data()
    assert b"SECRET_KEY" not in body and b"root:" not in body


# --- uploads -------------------------------------------------------------------------------

UPLOADS = [
    ("decompression-bomb", decompression_bomb, "bomb.png", "40 megapikseļi"),
    ("gif-js-polyglot", lambda: GIF_JS_POLYGLOT, "poly.gif", LV_NOT_A_PHOTO),
    ("gif-js-polyglot-as-jpg", lambda: GIF_JS_POLYGLOT, "poly.jpg", LV_NOT_A_PHOTO),
    ("svg", lambda: SVG, "zime.svg", LV_NOT_A_PHOTO),
    ("html-named-jpg", lambda: HTML, "bilde.jpg", LV_NOT_A_PHOTO),
    ("empty-file", lambda: b"", "tukss.jpg", "Fotoattēla fails ir tukšs."),
]


@pytest.mark.parametrize(
    ("data", "name", "message"), [u[1:] for u in UPLOADS], ids=[u[0] for u in UPLOADS]
)
def test_hostile_photos_are_refused_with_a_clear_message(app, db, resident, data, name, message):
    form = idea_form(alt_1="Bedre ceļā")
    form["photo_1"] = (io.BytesIO(data()), name)
    response = client_as(app, resident).post(
        "/lv/ideas/new", data=form, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="Bedre ceļā"' in html  # the form keeps what was typed
    assert count(Idea) == 0 and count(IdeaPhoto) == 0
    assert upload_files(app) == []


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.jpg", "..\\..\\windows\\win.ini.jpg", "<img src=x onerror=alert(1)>.jpg"],
    ids=["unix-path", "windows-path", "html-in-name"],
)
def test_file_names_never_become_paths_or_markup(app, db, resident, name):
    client = client_as(app, resident)
    form = idea_form(alt_1="")  # no alt text: the form comes back, naming the kept photo
    form["photo_1"] = (io.BytesIO(image_bytes()), name)
    response = client.post("/lv/ideas/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<img src=x onerror" not in html
    files = upload_files(app)
    assert len(files) == 2  # the two sizes, under random names inside the upload folder
    for path in files:
        assert path.parent == Path(app.config["UPLOAD_DIR"])
        assert "passwd" not in path.name and "win.ini" not in path.name
    upload_root = Path(app.config["UPLOAD_DIR"]).parent
    assert not list(upload_root.rglob("passwd*")) and not list(upload_root.rglob("win.ini*"))


def test_an_after_photo_that_is_html_is_refused_for_staff_too(app, db, staff):
    idea = create_idea(status="done")
    response = client_as(app, staff).post(
        f"/lv/staff/ideas/{idea.id}/photo",
        data={"photo": (io.BytesIO(HTML), "pec.jpg"), "alt_text": "Jaunais soliņš"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert LV_NOT_A_PHOTO in response.get_data(as_text=True)
    assert count(IdeaPhoto) == 0 and upload_files(app) == []


@pytest.mark.parametrize(
    "path", ["/lv/ideas/new", "/open311/v2/requests.json"], ids=["idea-form", "open311"]
)
def test_a_body_over_the_limit_gets_413_before_it_is_read(make_app, db, resident, path):
    small = make_app(MAX_CONTENT_LENGTH=64 * 1024, WTF_CSRF_ENABLED=False)
    client = client_as(small, resident)
    body = UnreadableBody()
    response = client.post(
        path,
        input_stream=body,
        content_type="multipart/form-data; boundary=kopa",
        environ_overrides={"CONTENT_LENGTH": str(20 * 1024 * 1024)},  # announced, not sent
    )
    assert response.status_code == 413
    assert not body.read_attempted
    if path.startswith("/lv/"):
        assert LV_TOO_LARGE in response.get_data(as_text=True)
    else:
        [error] = response.get_json()  # Open311's own error format
        assert error["code"] == 413 and error["description"]
    assert count(Idea) == 0


@pytest.mark.parametrize("payload", XSS_VALUES, ids=XSS_IDS)
def test_category_names_are_inert_for_residents_admins_and_open311(app, db, balvu, payload):
    from app.categories.models import Category

    admin = create_user(Role.ADMIN, email="admin@example.lv")
    client = client_as(app, admin)
    try:
        added = client.post(
            "/lv/admin/categories",
            data={"name": f"Kategorija {payload}", "name_en": f"Category {payload}", "slug": "x"},
        )
        assert added.status_code == 302, page_of(added)
        assert_inert(page_of(client.get("/lv/admin/categories")), f"Kategorija {payload}")
        assert_inert(page_of(client.get("/lv/ideas/new")), f"Kategorija {payload}")
        idea = create_idea(category="x")
        assert_inert(page_of(client.get(f"/en/ideas/{idea.id}")), f"Category {payload}")
        services = client.get("/open311/v2/services.xml")
        assert services.status_code == 200
        names = [node.text for node in ET.fromstring(services.data).iter("service_name")]
        assert f"Kategorija {payload}" in names or f"Category {payload}" in names
    finally:
        db.session.rollback()
        db.session.execute(text("DELETE FROM ideas"))
        db.session.execute(delete(Category).where(Category.slug == "x"))
        db.session.commit()


@pytest.mark.parametrize("payload", XSS_VALUES, ids=XSS_IDS)
def test_where_a_recorded_idea_was_collected_is_inert(app, db, leader, payload):
    client = client_as(app, leader)
    lon, lat = BALVI
    recorded = client.post(
        "/lv/ideas/record",
        data={
            "channel": "workshop",
            "collected_note": f"Darbnīca {payload}"[:200],
            "title": "Soliņi pie ezera",
            "description": DESCRIPTION,
            "category": str(category_id()),
            "lat": str(lat),
            "lon": str(lon),
            "submission_token": "hostile-record-token-0123456789",
        },
    )
    assert recorded.status_code == 302, page_of(recorded)
    idea_id = db.session.scalars(select(Idea.id)).one()
    assert_inert(page_of(client.get(f"/lv/ideas/{idea_id}")), f"Darbnīca {payload}"[:200])
    assert_inert(page_of(client.get("/lv/ideas/record")), f"Darbnīca {payload}"[:200])


# --- boundary files uploaded by an administrator --------------------------------------------

LV_NOT_JSON = "Fails nav derīgs JSON"
SQUARE = [[[27.9, 57.3], [27.95, 57.3], [27.95, 57.33], [27.9, 57.33], [27.9, 57.3]]]


def boundary_upload(
    client, raw: bytes, filename: str = "robezas.geojson", municipality="Testa novads"
):
    return client.post(
        "/lv/admin/territories",
        data={"municipality": municipality, "boundary_file": (io.BytesIO(raw), filename)},
        content_type="multipart/form-data",
    )


def units_collection(*names: str, coordinates=SQUARE) -> bytes:
    features = [
        {
            "type": "Feature",
            "properties": {"name": name, "name_en": f"{name} (en)"},
            "geometry": {"type": "Polygon", "coordinates": coordinates},
        }
        for name in names
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


@pytest.fixture
def admin(balvu, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "TERRITORY_IMPORT_DIR", str(tmp_path / "boundary-files"))
    return create_user(Role.ADMIN, email="admin@example.lv")


def territory_rows() -> list[tuple]:
    from app.territories.models import Territory

    _db.session.expire_all()
    return _db.session.execute(
        select(Territory.name, Territory.name_en, func.ST_AsText(Territory.geom)).order_by(
            Territory.name
        )
    ).all()


def kept_boundary_files(app) -> list[Path]:
    folder = Path(app.config["TERRITORY_IMPORT_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (HTML, LV_NOT_JSON),
        (image_bytes(), LV_NOT_JSON),
        (b"\xff\xfe" + "{}".encode("utf-16-le"), LV_NOT_JSON),
        (b'{"type": "FeatureCollection", "features": [NaN]}', LV_NOT_JSON),
        (b'{"a": ' + b"9" * 5000 + b"}", LV_NOT_JSON),
        (b"[" * 100_000 + b"]" * 100_000, "pārāk dziļi ligzdota"),
        (
            b'{"type": "FeatureCollection", "features": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
            "pārāk dziļi ligzdota",
        ),
        (
            units_collection("Dziļais", coordinates=json.loads("[" * 400 + "27" + "]" * 400)),
            "neveido daudzstūri",
        ),
        (
            units_collection("Nulles", coordinates=[[[0, 0], [1e308 * 10, 0], [0, 1], [0, 0]]]),
            LV_NOT_JSON,
        ),
        (
            units_collection("Tālais", coordinates=[[[27, 57], [27, 95], [28, 57], [27, 57]]]),
            "nav garums un platums",
        ),
        (units_collection("Vadības\x07zīme"), "vadības rakstzīmes"),
        (units_collection("Ļoti garš " * 30), "ne vairāk kā 200 rakstzīmes"),
    ],
    ids=[
        "html",
        "jpeg",
        "utf-16",
        "nan",
        "huge-integer",
        "nested-arrays",
        "nested-features",
        "nested-coordinates",
        "infinity",
        "latitude-95",
        "control-character",
        "long-name",
    ],
)
def test_hostile_boundary_files_are_refused_in_latvian_and_change_nothing(
    app, db, admin, raw, message
):
    before = territory_rows()
    response = boundary_upload(client_as(app, admin), raw)
    assert response.status_code == 422
    page = page_of(response)
    assert message in page
    assert 'value="Testa novads"' in page
    assert territory_rows() == before and kept_boundary_files(app) == []


def test_a_boundary_file_over_the_pages_own_limit_gets_a_latvian_error(app, db, admin):
    from app.territories.services import MAX_UPLOAD_BYTES

    raw = units_collection("Liels") + b" " * MAX_UPLOAD_BYTES
    response = boundary_upload(client_as(app, admin), raw)
    assert response.status_code == 422
    assert "Fails ir lielāks par 20 MB." in page_of(response)
    assert kept_boundary_files(app) == []


def test_a_boundary_file_over_max_content_length_gets_413_unread(make_app, db, admin):
    small = make_app(MAX_CONTENT_LENGTH=64 * 1024, WTF_CSRF_ENABLED=False)
    body = UnreadableBody()
    response = client_as(small, admin).post(
        "/lv/admin/territories",
        input_stream=body,
        content_type="multipart/form-data; boundary=kopa",
        environ_overrides={"CONTENT_LENGTH": str(40 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert not body.read_attempted
    assert LV_TOO_LARGE in page_of(response)


@pytest.mark.parametrize(
    "filename",
    [
        "../../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/tmp/kopa-absolute.geojson",
        "<img src=x onerror=alert(1)>.geojson",
    ],
    ids=["dot-dot", "backslashes", "absolute", "markup"],
)
def test_a_boundary_file_name_never_becomes_a_path(app, db, admin, filename):
    response = boundary_upload(client_as(app, admin), units_collection("Ceļa pagasts"), filename)
    assert response.status_code == 200, page_of(response)
    page = page_of(response)
    assert "<img src=x onerror" not in page
    [kept] = kept_boundary_files(app)
    assert kept.parent == Path(app.config["TERRITORY_IMPORT_DIR"])
    assert len(kept.stem) == 32 and all(c in "0123456789abcdef" for c in kept.stem)
    assert not Path("/tmp/kopa-absolute.geojson").exists()
    root = Path(app.config["TERRITORY_IMPORT_DIR"]).parent
    assert not list(root.rglob("passwd*")) and not list(root.rglob("win.ini*"))


@pytest.mark.parametrize("payload", XSS_VALUES, ids=XSS_IDS)
def test_unit_names_are_inert_in_the_preview_the_admin_page_and_the_home_page(
    app, db, admin, payload
):
    from app.territories.models import Municipality, Territory

    client = client_as(app, admin)
    name = f"Pagasts {payload}"
    preview = boundary_upload(client, units_collection(name))
    assert preview.status_code == 200, page_of(preview)
    assert_inert(page_of(preview), name)
    assert str(escape(escape(name))) in page_of(preview)  # the map's tooltip label: text only
    token = page_of(preview).split('name="token" type="hidden" value="')[1].split('"')[0]
    try:
        imported = client.post("/lv/admin/territories/import", data={"token": token})
        assert imported.status_code == 302
        assert_inert(page_of(client.get("/lv/admin/territories")), name)
        home = page_of(client.get("/lv/"))
        assert_inert(home, name)
        assert_inert(page_of(client.get("/en/")), f"{name} (en)")
        # The choropleths name units in tooltips too.
        assert_inert(page_of(client.get("/lv/feedback")), name)
        assert_inert(page_of(client.get("/lv/staff/participation")), name)
    finally:
        db.session.rollback()
        municipality = db.session.scalar(
            select(Municipality).where(Municipality.name == "Testa novads")
        )
        if municipality is not None:
            db.session.execute(
                delete(Territory).where(Territory.municipality_id == municipality.id)
            )
            db.session.delete(municipality)
        db.session.commit()
