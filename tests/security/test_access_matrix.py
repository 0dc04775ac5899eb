"""The access control matrix (issue 7, item 4): every route of the app, every method, every role.

`EXPECTED` holds, for each route and method, the status code each role gets. The test walks
`app.url_map`, so a new route fails here until its row is added (and a removed route fails
until its row is deleted). A refused request (an error status, a redirect to the sign-in page,
or a redirect marked BACK in the table) must leave every table and the upload folder exactly
as they were: the refused writes above all.

Requests carry an empty form (CSRF off): allowed writes then either act (a support, a
withdrawal…) or answer with the form's errors; the world is rebuilt whenever one did change it.
"""

import functools
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from werkzeug.datastructures import FileStorage

from app import create_app
from tests.conftest import PRESERVED_TABLES, _truncate_all, boundary_file

ROLES = ("anonymous", "resident", "other_resident", "leader", "other_leader", "staff", "admin")
SKIP = {"static", "main.vendor"}  # files from disk, no data behind them


class Refused(int):
    """A status code that refuses the request although it is not an error (a redirect back)."""


BACK = Refused(302)


def E(anonymous, resident, other_resident, leader, other_leader, staff, admin):
    return dict(
        zip(
            ROLES,
            (anonymous, resident, other_resident, leader, other_leader, staff, admin),
            strict=True,
        )
    )


def everyone(status: int = 200):
    return E(*[status] * 7)


def signed_in(status: int = 200, api: bool = False):
    return E(401 if api else 302, *[status] * 6)


def anonymous_only(status: int = 200):
    """Sign-in and registration: signed-in users are sent home."""
    return E(status, *[BACK] * 6)


def leaders(status: int = 200):
    """Any leader, staff or admin (leaders build surveys)."""
    return E(302, 403, 403, status, status, status, status)


def managers(status: int = 200):
    """The survey's owner leader, staff and admins; not another territory's leader."""
    return E(302, 403, 403, status, 403, status, status)


def staff(status: int = 200):
    return E(302, 403, 403, 403, 403, status, status)


def admin(status: int = 200):
    return E(302, 403, 403, 403, 403, 403, status)


def author(status: int = 200):
    """The idea's author only."""
    return E(302, status, 403, 403, 403, 403, 403)


# (rule, method) -> status code per role. "resident" wrote the idea and the comment; "leader"
# leads Balvi (the idea's and the survey's unit) and owns the survey; "other_leader" leads
# another unit. Moderation and admin pages act on the resident's account and idea.
SURVEY_ITEM = "/<lang>/surveys/<int:survey_id>/<any(section,question,option):kind>/<int:item_id>"
EXPECTED = {
    ("/", "GET"): everyone(302),
    ("/<lang>/", "GET"): everyone(),
    ("/<lang>/accessibility", "GET"): everyone(),
    ("/<lang>/privacy", "GET"): everyone(),
    ("/healthz", "GET"): everyone(),
    ("/tiles/<int:z>/<int:x>/<int:y>.png", "GET"): everyone(),
    # accounts
    ("/<lang>/account/", "GET"): signed_in(),
    ("/<lang>/account/", "POST"): signed_in(422),
    ("/<lang>/account/confirm/<token>", "GET"): everyone(302),
    ("/<lang>/account/register", "GET"): anonymous_only(),
    ("/<lang>/account/register", "POST"): anonymous_only(422),
    ("/<lang>/account/resend-confirmation", "POST"): signed_in(302),
    ("/<lang>/account/reset", "GET"): everyone(),
    ("/<lang>/account/reset", "POST"): everyone(422),
    ("/<lang>/account/reset/<token>", "GET"): everyone(),
    ("/<lang>/account/reset/<token>", "POST"): everyone(422),
    ("/<lang>/account/sign-in", "GET"): anonymous_only(),
    ("/<lang>/account/sign-in", "POST"): anonymous_only(422),
    ("/<lang>/account/sign-out", "POST"): signed_in(302),
    # privacy: always the signed-in user's own data
    ("/<lang>/account/privacy/", "GET"): signed_in(),
    ("/<lang>/account/privacy/", "POST"): signed_in(422),
    ("/<lang>/account/privacy/delete", "GET"): signed_in(),
    ("/<lang>/account/privacy/delete", "POST"): signed_in(422),
    ("/<lang>/account/privacy/download/kopa-my-data.json", "GET"): signed_in(302),
    ("/<lang>/account/privacy/download/kopa-my-data-csv.zip", "GET"): signed_in(302),
    # admin
    ("/<lang>/admin/audit", "GET"): admin(),
    ("/<lang>/admin/roles", "GET"): admin(),
    ("/<lang>/admin/roles/<int:user_id>", "GET"): admin(),
    ("/<lang>/admin/roles/<int:user_id>", "POST"): admin(302),
    ("/<lang>/admin/categories", "GET"): admin(),
    ("/<lang>/admin/categories", "POST"): admin(422),
    ("/<lang>/admin/categories/<int:category_id>", "GET"): admin(),
    # an empty form keeps the saved values (Flask-WTF): nothing changes
    ("/<lang>/admin/categories/<int:category_id>", "POST"): admin(302),
    ("/<lang>/admin/categories/<int:category_id>/move", "POST"): admin(400),
    ("/<lang>/admin/territories", "GET"): admin(),
    # an empty upload form: no file, no municipality
    ("/<lang>/admin/territories", "POST"): admin(422),
    # no (or a forged) token: nothing to import
    ("/<lang>/admin/territories/import", "POST"): admin(422),
    ("/<lang>/admin/open311-keys/", "GET"): admin(),
    ("/<lang>/admin/open311-keys/", "POST"): admin(422),
    ("/<lang>/admin/open311-keys/<int:key_id>/revoke", "POST"): admin(302),
    # ideas
    ("/<lang>/feedback", "GET"): everyone(),
    ("/<lang>/ideas", "GET"): everyone(),
    ("/<lang>/ideas/", "GET"): everyone(308),
    ("/<lang>/ideas/list", "GET"): everyone(),
    ("/<lang>/ideas/new", "GET"): E(403, 200, 200, 200, 200, 200, 200),
    ("/<lang>/ideas/new", "POST"): E(403, 422, 422, 422, 422, 422, 422),
    # ideas collected at workshops: any leader (scoped to their units when saving), staff
    ("/<lang>/ideas/record", "GET"): leaders(),
    ("/<lang>/ideas/record", "POST"): leaders(422),
    ("/<lang>/ideas/<int:idea_id>", "GET"): everyone(),
    ("/<lang>/ideas/<int:idea_id>/edit", "GET"): author(),
    ("/<lang>/ideas/<int:idea_id>/edit", "POST"): author(422),
    ("/<lang>/ideas/<int:idea_id>/withdraw", "POST"): author(302),
    ("/<lang>/ideas/<int:idea_id>/support", "POST"): signed_in(302),
    ("/<lang>/ideas/<int:idea_id>/follow", "POST"): signed_in(302),
    ("/<lang>/ideas/<int:idea_id>/comments", "POST"): signed_in(422),
    # only the comment's author, within 15 minutes; others are sent back to the idea
    ("/<lang>/ideas/<int:idea_id>/comments/<int:comment_id>/edit", "GET"): E(
        302, 200, 302, 302, 302, 302, 302
    ),
    ("/<lang>/ideas/<int:idea_id>/comments/<int:comment_id>/edit", "POST"): E(
        302, 422, BACK, BACK, BACK, BACK, BACK
    ),
    ("/media/<stem>-<int:size>.jpg", "GET"): everyone(),
    # moderation
    ("/<lang>/moderation/", "GET"): staff(),
    ("/<lang>/moderation/<kind>/<int:target_id>", "GET"): staff(),
    ("/<lang>/moderation/<kind>/<int:target_id>/approve", "POST"): staff(302),
    ("/<lang>/moderation/<kind>/<int:target_id>/dismiss", "POST"): staff(302),
    ("/<lang>/moderation/<kind>/<int:target_id>/hide", "POST"): staff(422),
    ("/<lang>/moderation/<kind>/<int:target_id>/restore", "POST"): staff(422),
    ("/<lang>/moderation/report/<kind>/<int:target_id>", "GET"): signed_in(),
    ("/<lang>/moderation/report/<kind>/<int:target_id>", "POST"): signed_in(422),
    ("/<lang>/moderation/users/<int:user_id>", "GET"): staff(),
    ("/<lang>/moderation/users/<int:user_id>/suspend", "POST"): staff(422),
    ("/<lang>/moderation/users/<int:user_id>/lift", "POST"): staff(422),
    # notifications: the signed link is the credential
    ("/<lang>/notifications/unsubscribe/<token>", "GET"): everyone(),
    ("/<lang>/notifications/unsubscribe/<token>", "POST"): everyone(200),
    # open data and APIs
    ("/<lang>/open-data/", "GET"): everyone(),
    ("/<lang>/open-data/ideas.csv", "GET"): everyone(),
    ("/<lang>/open-data/ideas.geojson", "GET"): everyone(),
    ("/<lang>/open-data/survey-results.csv", "GET"): everyone(),
    ("/<lang>/open-data/territories.geojson", "GET"): everyone(),
    ("/api/v1/ideas.geojson", "GET"): everyone(),
    ("/api/v1/openapi.json", "GET"): everyone(),
    ("/api/v1/territories.geojson", "GET"): everyone(),
    ("/open311/v2/discovery.<any(json, xml):fmt>", "GET"): everyone(),
    ("/open311/v2/services.<any(json, xml):fmt>", "GET"): everyone(),
    ("/open311/v2/requests.<any(json, xml):fmt>", "GET"): everyone(),
    ("/open311/v2/requests/<request_id>.<any(json, xml):fmt>", "GET"): everyone(),
    # an Open311 client needs an API key, whoever's browser session comes along
    ("/open311/v2/requests.<any(json, xml):fmt>", "POST"): everyone(403),
    # staff workspace
    ("/<lang>/staff/", "GET"): staff(),
    ("/<lang>/staff/ideas/<int:idea_id>", "GET"): staff(),
    ("/<lang>/staff/ideas/<int:idea_id>/status", "POST"): staff(422),
    ("/<lang>/staff/ideas/<int:idea_id>/comment", "POST"): staff(422),
    ("/<lang>/staff/ideas/<int:idea_id>/photo", "POST"): staff(422),
    ("/<lang>/staff/ideas/<int:idea_id>/programme-task", "POST"): staff(302),
    ("/<lang>/staff/participation", "GET"): staff(),
    ("/<lang>/staff/programme-tasks", "GET"): staff(),
    ("/<lang>/staff/programme-tasks", "POST"): staff(422),
    ("/<lang>/staff/programme-tasks/<int:task_id>", "GET"): staff(),
    ("/<lang>/staff/programme-tasks/<int:task_id>", "POST"): staff(302),
    ("/<lang>/staff/programme-tasks/<int:task_id>/delete", "POST"): staff(302),
    # surveys: answering (open, anonymous access) and public pages
    ("/<lang>/surveys/", "GET"): everyone(),
    ("/<lang>/surveys/<int:survey_id>", "GET"): everyone(),
    ("/<lang>/surveys/<int:survey_id>", "POST"): everyone(422),
    ("/<lang>/surveys/<int:survey_id>/thanks", "GET"): everyone(),
    ("/<lang>/surveys/<int:survey_id>/print", "GET"): everyone(),
    # results are not public for this survey: managers only
    ("/<lang>/surveys/<int:survey_id>/results", "GET"): managers(),
    ("/<lang>/surveys/<int:survey_id>/results.csv", "GET"): managers(),
    ("/<lang>/surveys/<int:survey_id>/answers.geojson", "GET"): managers(),
    (
        "/<lang>/surveys/<int:survey_id>/results/questions/<int:question_id>/answers",
        "GET",
    ): managers(),
    # the builder
    ("/<lang>/surveys/mine", "GET"): leaders(),
    ("/<lang>/surveys/new", "GET"): leaders(),
    ("/<lang>/surveys/new", "POST"): leaders(422),
    ("/<lang>/surveys/<int:survey_id>/edit", "GET"): managers(),
    ("/<lang>/surveys/<int:survey_id>/settings", "GET"): managers(),
    # an empty form keeps the saved values (Flask-WTF), but a leader must name a unit
    ("/<lang>/surveys/<int:survey_id>/settings", "POST"): E(302, 403, 403, 422, 403, 302, 302),
    ("/<lang>/surveys/<int:survey_id>/preview", "GET"): managers(),
    ("/<lang>/surveys/<int:survey_id>/preview", "POST"): managers(422),
    ("/<lang>/surveys/<int:survey_id>/enter", "GET"): managers(),
    ("/<lang>/surveys/<int:survey_id>/enter", "POST"): managers(422),
    ("/<lang>/surveys/<int:survey_id>/sections/new", "GET"): managers(),
    ("/<lang>/surveys/<int:survey_id>/sections/new", "POST"): managers(422),
    ("/<lang>/surveys/<int:survey_id>/sections/<int:section_id>", "GET"): managers(),
    ("/<lang>/surveys/<int:survey_id>/sections/<int:section_id>", "POST"): managers(302),
    ("/<lang>/surveys/<int:survey_id>/sections/<int:section_id>/questions/new", "GET"): managers(),
    ("/<lang>/surveys/<int:survey_id>/sections/<int:section_id>/questions/new", "POST"): managers(
        422
    ),
    ("/<lang>/surveys/<int:survey_id>/questions/<int:question_id>", "GET"): managers(),
    ("/<lang>/surveys/<int:survey_id>/questions/<int:question_id>", "POST"): managers(302),
    ("/<lang>/surveys/<int:survey_id>/questions/<int:question_id>/options", "POST"): managers(422),
    ("/<lang>/surveys/<int:survey_id>/options/<int:option_id>", "POST"): managers(422),
    (f"{SURVEY_ITEM}/move", "POST"): managers(302),
    (f"{SURVEY_ITEM}/delete", "POST"): managers(302),
    ("/<lang>/surveys/<int:survey_id>/publish", "POST"): managers(302),
    ("/<lang>/surveys/<int:survey_id>/close", "POST"): managers(302),
    ("/<lang>/surveys/<int:survey_id>/duplicate", "POST"): managers(302),
}


# Query parameters a route needs to answer at all.
QUERIES = {"/api/v1/ideas.geojson": "bbox=27.20,57.10,27.33,57.16"}


# --- the routes --------------------------------------------------------------------------


def _methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _app_routes() -> dict[tuple[str, str], str]:
    """(rule, method) -> endpoint, from an app built only to read its URL map."""
    application = create_app("testing")
    return {
        (rule.rule, method): rule.endpoint
        for rule in application.url_map.iter_rules()
        if rule.endpoint not in SKIP
        for method in _methods(rule)
    }


ROUTES = _app_routes()
CASES = sorted(set(ROUTES) | set(EXPECTED))


# --- the world ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    session_id: str  # what Flask-Login keeps in the session
    email: str


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> Person, None for anonymous
    values: dict = field(default_factory=dict)


@functools.cache
def _password_hash() -> str:
    from app.accounts.services import hash_password
    from tests.factories import PASSWORD

    return hash_password(PASSWORD)


def _users(db) -> dict:
    from app.accounts.models import Role, User
    from app.accounts.services import new_session_token
    from tests.factories import territory

    password_hash = _password_hash()
    now = datetime.now(UTC)
    spec = {
        "resident": (Role.RESIDENT, []),
        "other_resident": (Role.RESIDENT, []),
        "leader": (Role.LEADER, ["Balvi"]),
        "other_leader": (Role.LEADER, ["Viļaka"]),
        "staff": (Role.STAFF, []),
        "admin": (Role.ADMIN, []),
    }
    users = {"anonymous": None}
    for name, (role, units) in spec.items():
        user = User(
            email=f"{name.replace('_', '-')}@example.lv",
            password_hash=password_hash,
            display_name=name.replace("_", " ").title(),
            role=role,
            session_token=new_session_token(),
            email_confirmed_at=now,
        )
        user.leader_of = [territory(unit) for unit in units]
        db.session.add(user)
        users[name] = user
    db.session.flush()
    return users


def build_world(app, db) -> World:
    """Every row a route needs, through the services the app uses; committed."""
    from app.accounts.services import confirmation_token, reset_token
    from app.categories.services import ensure_default_categories
    from app.core.uploads import store_image
    from app.ideas.services import PhotoUpload, add_comment, attach_photos
    from app.moderation.models import ReportReason
    from app.moderation.services import file_report
    from app.notifications.tokens import unsubscribe_token
    from app.open311.services import issue_key
    from app.staff.models import ProgrammeTask
    from app.surveys.models import ResponseChannel
    from app.territories.services import import_territories, read_boundary_file
    from tests.factories import territory
    from tests.ideas.submit_helpers import image_bytes
    from tests.staff.helpers import make_idea
    from tests.surveys.helpers import every_kind_survey
    from tests.surveys.test_results import _answer

    import_territories(read_boundary_file(boundary_file("balvi_units.geojson")), "Balvu novads")
    ensure_default_categories()
    users = _users(db)
    idea = make_idea(users["resident"], unit="Balvi")
    comment = add_comment(idea, users["resident"], "Labs priekšlikums, atbalstu.")
    stored = store_image(FileStorage(stream=_bytes(image_bytes()), filename="photo.jpg"))
    attach_photos(idea, [PhotoUpload(stored.stem, stored.width, stored.height)], users["resident"])
    file_report(users["other_resident"], comment, ReportReason.OFFENSIVE, "Aizskarošs teksts")
    task = ProgrammeTask(code="RV1.1", title="Ceļu seguma atjaunošana")
    db.session.add(task)
    key, _token = issue_key("Balvu novada lietotne", users["admin"])
    survey = every_kind_survey(users["leader"], [territory("Balvi")])
    _answer(survey, ResponseChannel.ONLINE, "Balvi", datetime.now(UTC), 1, (0,), 4, "3", "Labi")
    db.session.commit()
    question = survey.q["short_text"]
    values = {
        "lang": "lv",
        "idea_id": idea.id,
        "comment_id": comment.id,
        "target_id": idea.id,
        "kind": "idea",
        "user_id": users["resident"].id,
        "task_id": task.id,
        "category_id": idea.category_id,
        "key_id": key.id,
        "survey_id": survey.id,
        "section_id": survey.sections[0].id,
        "question_id": question.id,
        "option_id": survey.q["single"].options[0].id,
        "item_id": question.id,
        "item_kind": "question",
        "stem": stored.stem,
        "size": 400,
        "z": 0,
        "x": 0,
        "y": 0,
        "fmt": "json",
        "request_id": str(idea.id),
        "tokens": {
            "accounts.confirm": confirmation_token(users["resident"]),
            "accounts.reset": reset_token(users["resident"]),
            "notifications.unsubscribe": unsubscribe_token(
                users["resident"].id, users["resident"].email
            ),
        },
    }
    people = {
        role: None if user is None else Person(user.get_id(), user.email)
        for role, user in users.items()
    }
    world = World(users=people, values=values)
    db.session.commit()
    return world


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


def url_for_rule(app, rule_text: str, endpoint: str, values: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_text)
    args = {}
    for name in rule.arguments:
        if name == "token":
            args[name] = values["tokens"][endpoint]
        elif name == "kind" and endpoint.startswith("surveys."):
            args[name] = values["item_kind"]
        else:
            args[name] = values[name]
    path = rule.build(args, append_unknown=False)[1]
    query = QUERIES.get(rule_text)
    return f"{path}?{query}" if query else path


# --- clients and snapshots ------------------------------------------------------------------


def client_as(app, person: Person | None):
    client = app.test_client()
    if person is not None:
        with client.session_transaction() as session:
            session["_user_id"] = person.session_id
            session["_fresh"] = True
    return client


def snapshot(app, db) -> dict:
    """Row count and the sum of row versions (xmin) of every table, and the stored files:
    any insert, update or delete changes it."""
    selects = [
        f"SELECT '{t.name}', count(*), coalesce(sum(xmin::text::bigint), 0) FROM \"{t.name}\""
        for t in db.metadata.sorted_tables
        if t.name not in PRESERVED_TABLES
    ]
    rows = db.session.execute(text(" UNION ALL ".join(selects))).all()
    db.session.commit()  # hold no lock: a rebuild truncates from another connection
    state = {name: (count, versions) for name, count, versions in rows}
    state["files"] = tuple(sorted(p.name for p in Path(app.config["UPLOAD_DIR"]).rglob("*")))
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def _refused(response, expected: int) -> bool:
    """An error, a redirect to the sign-in page, or a redirect the table marks as a refusal."""
    location = response.headers.get("Location", "")
    return (
        response.status_code >= 400
        or (response.status_code == 302 and "/account/sign-in" in location)
        or isinstance(expected, Refused)
    )


# --- the test ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kept():
    """The world and its snapshot, kept from one test to the next while nothing changes it."""
    return {}


@pytest.fixture(autouse=True)
def clean_state(app, kept):
    """Replaces the suite's per-test TRUNCATE for this module: building the world for every
    route would take minutes, so it is rebuilt only when a request has changed it."""
    yield


def current_world(app, db, kept) -> World:
    if "world" not in kept or snapshot(app, db) != kept["snapshot"]:
        kept["world"] = fresh_world(app, db)
        kept["snapshot"] = snapshot(app, db)
    return kept["world"]


def fresh_world(app, db) -> World:
    _truncate_all(app)
    upload_dir = Path(app.config["UPLOAD_DIR"])
    shutil.rmtree(upload_dir, ignore_errors=True)
    upload_dir.mkdir(parents=True)
    return build_world(app, db)


@pytest.mark.parametrize(("rule", "method"), CASES, ids=[f"{m} {r}" for r, m in CASES])
def test_access_matrix(app, db, kept, rule, method):
    endpoint = ROUTES.get((rule, method))
    if endpoint is None:
        pytest.fail(
            f"EXPECTED has a row for {method} {rule}, but the app has no such route any more: "
            "delete the row from tests/security/test_access_matrix.py."
        )
    expected = EXPECTED.get((rule, method))
    if expected is None:
        pytest.fail(
            f"New route {method} {rule} (endpoint {endpoint}) has no access expectation: add a "
            f'row ("{rule}", "{method}"): E(anonymous, resident, other_resident, leader, '
            "other_leader, staff, admin) to EXPECTED in tests/security/test_access_matrix.py, "
            "with the status code each role must get."
        )

    world = current_world(app, db, kept)
    failures = []
    for role in ROLES:
        url = url_for_rule(app, rule, endpoint, world.values)
        client = client_as(app, world.users[role])
        before = snapshot(app, db)
        response = client.open(url, method=method, data={} if method == "POST" else None)
        after = snapshot(app, db)
        got = response.status_code
        if got != expected[role]:
            failures.append(f"{role}: expected {expected[role]}, got {got} ({method} {url})")
        if _refused(response, expected[role]) and before != after:
            failures.append(
                f"{role}: refused with {got} but changed {changed_tables(before, after)}"
            )
        if before != after:  # an allowed action changed the world: start again
            world = current_world(app, db, kept)
    assert not failures, f"{method} {rule}:\n" + "\n".join(failures)
