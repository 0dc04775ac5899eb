"""Map answers are shared through Redis, keyed by a version of the ideas data that every write
bumps: a change is visible to the very next request. Redis down changes nothing but speed."""

import pytest
import redis
from sqlalchemy import event

from tests.factories import create_idea, create_user

REDIS_TEST_URL = "redis://127.0.0.1:6379/14"
WHOLE_MUNICIPALITY = "/api/v1/ideas.geojson?bbox=26.9,56.7,27.9,57.35&zoom=9&lang=lv"
STREET = "/api/v1/ideas.geojson?bbox=27.2618,57.1288,27.2698,57.1338&zoom=17&lang=lv"
# The same street, the view moved by a few metres: the same tiles of zoom 17.
STREET_MOVED = "/api/v1/ideas.geojson?bbox=27.2621,57.1290,27.2701,57.1340&zoom=17&lang=lv"
BALVI = {"lon": 27.2658, "lat": 57.1313}


def total(response) -> int:
    assert response.status_code == 200, response.get_data(as_text=True)
    return sum(f["properties"].get("count", 1) for f in response.get_json(force=True)["features"])


def titles(response) -> set[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    features = response.get_json(force=True)["features"]
    return {f["properties"]["title"] for f in features if "title" in f["properties"]}


@pytest.fixture
def cached(make_app, balvu):
    """An app with the shared cache on; writes made in its context bump the version as in
    production, where every process runs with the same settings."""
    try:
        redis.Redis.from_url(REDIS_TEST_URL).ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (make test starts it)")
    application = make_app(IDEAS_GEOJSON_CACHE_SECONDS=300, REDIS_URL=REDIS_TEST_URL)
    from app.ideas.map_cache import bump_version

    with application.app_context():
        bump_version()  # nothing cached by an earlier test on this database is current
        yield application


def statements_of(application, path: str) -> list[str]:
    from app.extensions import db

    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        response = application.test_client().get(path)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == 200
    return seen


def test_a_new_idea_appears_at_once_in_a_cached_area(cached):
    client = cached.test_client()
    create_idea(title="Pirmais priekšlikums", **BALVI)
    assert total(client.get(WHOLE_MUNICIPALITY)) == 1
    assert titles(client.get(STREET)) == {"Pirmais priekšlikums"}
    assert statements_of(cached, STREET) == []  # both answers now come from the cache
    create_idea(title="Otrais priekšlikums", lon=27.2660, lat=57.1315)
    assert total(client.get(WHOLE_MUNICIPALITY)) == 2
    assert titles(client.get(STREET)) == {"Pirmais priekšlikums", "Otrais priekšlikums"}


def test_a_hidden_idea_disappears_at_once(cached):
    from app.extensions import db
    from app.moderation.services import hide

    client = cached.test_client()
    idea = create_idea(title="Drīz paslēpts", **BALVI)
    create_idea(title="Paliek redzams", lon=27.2660, lat=57.1315)
    assert titles(client.get(STREET)) == {"Drīz paslēpts", "Paliek redzams"}
    assert total(client.get(WHOLE_MUNICIPALITY)) == 2
    staff = create_user(role="staff")
    hide(staff, db.session.get(type(idea), idea.id), "Aizskarošs saturs")
    db.session.commit()
    assert titles(client.get(STREET)) == {"Paliek redzams"}
    assert total(client.get(WHOLE_MUNICIPALITY)) == 1


def test_a_new_support_shows_in_the_next_answer(cached):
    from app.extensions import db
    from app.ideas.models import Support

    client = cached.test_client()
    idea = create_idea(title="Atbalstāms", **BALVI)
    [before] = client.get(STREET).get_json(force=True)["features"]
    assert before["properties"]["support_count"] == 0
    db.session.add(Support(user_id=create_user().id, idea_id=idea.id))
    db.session.commit()  # the counter is kept by a database trigger
    [after] = client.get(STREET).get_json(force=True)["features"]
    assert after["properties"]["support_count"] == 1


def test_the_cached_answer_is_the_uncached_answer(cached, make_app):
    uncached = make_app(IDEAS_GEOJSON_CACHE_SECONDS=0).test_client()
    client = cached.test_client()
    for number in range(30):
        create_idea(title=f"Priekšlikums numur {number}", lon=27.262 + number * 0.0002, lat=57.131)
    for path in (STREET, WHOLE_MUNICIPALITY, STREET + "&status=submitted"):
        client.get(path)  # fills the cache
        hit, fresh = client.get(path), uncached.get(path)
        assert hit.get_data() == fresh.get_data(), path
        assert hit.headers["ETag"] == fresh.headers["ETag"], path


def test_neighbouring_views_share_one_answer_that_covers_both(cached):
    client = cached.test_client()
    create_idea(title="Uz ielas", **BALVI)
    first, moved = client.get(STREET), client.get(STREET_MOVED)
    assert first.headers["ETag"] == moved.headers["ETag"]
    west, south, east, north = first.get_json(force=True)["bbox"]
    for path in (STREET, STREET_MOVED):
        asked = [float(v) for v in path.split("bbox=")[1].split("&")[0].split(",")]
        assert west <= asked[0] < asked[2] <= east and south <= asked[1] < asked[3] <= north
    # The snapped box is a fixed point: asking for it gives the same answer again.
    again = client.get(
        f"/api/v1/ideas.geojson?bbox={west:.7f},{south:.7f},{east:.7f},{north:.7f}&zoom=17&lang=lv"
    )
    assert again.headers["ETag"] == first.headers["ETag"]
    assert client.get(STREET, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_street_zoom_is_one_statement(make_app, balvu):
    uncached = make_app(IDEAS_GEOJSON_CACHE_SECONDS=0)
    create_idea(**BALVI)
    with uncached.app_context():
        statements = statements_of(uncached, STREET)
    assert len([s for s in statements if "ideas" in s]) == 1, statements


def test_redis_down_still_answers_and_writes_still_commit(make_app, balvu, caplog):
    from app.extensions import db

    broken = make_app(IDEAS_GEOJSON_CACHE_SECONDS=30, REDIS_URL="redis://127.0.0.1:1/0")
    client = broken.test_client()
    with broken.app_context():
        create_idea(title="Priekšlikums bez kešatmiņas", **BALVI)  # the version bump fails
        assert db.session.scalar(db.text("SELECT count(*) FROM ideas")) == 1
    for path in (WHOLE_MUNICIPALITY, STREET):
        response = client.get(path)
        assert response.status_code == 200
        assert total(response) == 1
    assert "cache unavailable" in caplog.text


def test_visitors_missing_the_same_answer_wait_for_one_computation(cached, monkeypatch):
    import threading
    import time

    import app.api.ideas as api

    create_idea(title="Viens aprēķins", **BALVI)
    real, calls = api.ideas_geojson, []

    def slow(*args, **kwargs):
        calls.append(1)
        time.sleep(0.4)  # a whole municipality of a million ideas takes longer still
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "ideas_geojson", slow)
    answers = []
    visitors = [
        threading.Thread(target=lambda: answers.append(cached.test_client().get(STREET)))
        for _ in range(3)
    ]
    for visitor in visitors:
        visitor.start()
        time.sleep(0.05)
    for visitor in visitors:
        visitor.join()
    assert len(calls) == 1
    assert {titles(answer).pop() for answer in answers} == {"Viens aprēķins"}
    assert len({answer.get_data() for answer in answers}) == 1


def test_shared_answers_go_out_gzipped_to_clients_that_accept_it(cached):
    import gzip

    client = cached.test_client()
    for number in range(50):
        create_idea(title=f"Ielas priekšlikums {number}", lon=27.262 + number * 0.0001, lat=57.131)
    plain = client.get(STREET)  # computed and stored
    packed = client.get(STREET, headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 5
    # Each representation has its own strong ETag, and each answers 304.
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get(
        STREET, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304
    identity = client.get(STREET, headers={"If-None-Match": plain.headers["ETag"]})
    assert identity.status_code == 304


def test_cluster_counts_come_from_the_last_answer_while_one_visitor_recomputes(cached, monkeypatch):
    import threading
    import time

    import app.api.ideas as api

    create_idea(title="Pirmais", **BALVI)
    assert total(cached.test_client().get(WHOLE_MUNICIPALITY)) == 1
    create_idea(title="Otrais", **BALVI)  # a write: the stored answer is now of an old version

    real, started = api.ideas_geojson, threading.Event()

    def slow(*args, **kwargs):
        started.set()
        time.sleep(0.6)  # a whole municipality of a million ideas takes longer still
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "ideas_geojson", slow)
    answers = {}
    computing = threading.Thread(
        target=lambda: answers.update(first=cached.test_client().get(WHOLE_MUNICIPALITY))
    )
    computing.start()
    assert started.wait(5)
    meanwhile = cached.test_client().get(WHOLE_MUNICIPALITY)
    computing.join()
    # The visitor who came while the counts were being recomputed got the last ones (had it
    # waited for the computation, it would count two).
    assert total(meanwhile) == 1
    assert total(answers["first"]) == 2
    assert total(cached.test_client().get(WHOLE_MUNICIPALITY)) == 2


def test_single_ideas_are_never_served_from_an_old_answer(cached, monkeypatch):
    import threading
    import time

    import app.api.ideas as api

    create_idea(title="Pirmais", **BALVI)
    assert titles(cached.test_client().get(STREET)) == {"Pirmais"}
    create_idea(title="Otrais", **BALVI)
    real, started = api.ideas_geojson, threading.Event()

    def slow(*args, **kwargs):
        started.set()
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "ideas_geojson", slow)
    computing = threading.Thread(target=lambda: cached.test_client().get(STREET))
    computing.start()
    assert started.wait(5)
    meanwhile = cached.test_client().get(STREET)  # waits for the computation instead
    computing.join()
    assert titles(meanwhile) == {"Pirmais", "Otrais"}
