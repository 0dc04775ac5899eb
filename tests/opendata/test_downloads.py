"""Open data downloads: public ideas only, no personal data, safe CSV, licence and time."""

import csv
import io
import json

from sqlalchemy import text

from tests.factories import create_user
from tests.opendata.ideas import add_idea


def _ideas(balvu):
    from app.ideas.models import IdeaStatusChange

    author = create_user(email="ilze@example.lv", display_name="Ilze Bērziņa")
    anonymous = create_user(email="slepens@example.lv", display_name="Slepenais Jānis")
    public = add_idea(title="Soliņi parkā", author=author)
    anon = add_idea(title="Gājēju pāreja", author=anonymous, anonymous=True, slug="safety")
    formula = add_idea(
        title='=HYPERLINK("http://x")',
        description="-2+3 izskatās pēc formulas, bet tas ir teksts par ceļu.",
        author=author,
    )
    add_idea(title="Paslēptais priekšlikums", hidden=True, author=author)
    add_idea(title="Atsauktais priekšlikums", withdrawn=True, author=author)
    add_idea(title="Gaida apstiprinājumu", awaiting=True, author=author)
    balvu.session.add(
        IdeaStatusChange(idea_id=public.id, to_status=public.status, answer="Izskatīsim pavasarī.")
    )
    balvu.session.commit()
    return public.id, anon.id, formula.id


def _csv_rows(response) -> list[dict]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_ideas_csv_has_public_ideas_only_and_no_personal_data(client, balvu):
    public, anon, formula = _ideas(balvu)
    response = client.get("/lv/open-data/ideas.csv")
    assert response.status_code == 200
    assert response.was_streamed
    assert response.mimetype == "text/csv"
    assert "charset=utf-8" in response.content_type
    assert 'filename="kopa-ideas-' in response.headers["Content-Disposition"]
    assert (
        response.headers["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )
    assert response.headers["X-Licence"] == "CC BY 4.0"
    assert response.headers["X-Generated-At"].endswith("Z")
    rows = _csv_rows(response)
    assert [int(r["id"]) for r in rows] == [public, anon, formula]
    body = response.get_data(as_text=True)
    for secret in ("example.lv", "Ilze", "Bērziņa", "Slepenais", "Paslēptais", "Atsauktais"):
        assert secret not in body
    assert "Gaida apstiprinājumu" not in body
    first = rows[0]
    assert first["title"] == "Soliņi parkā"
    assert first["category"] == "roads"
    assert first["category_lv"] == "Ceļi un ielas"
    assert first["status"] == "submitted"
    assert first["territory"] == "Balvi"
    assert first["answer_lv"] == "Izskatīsim pavasarī."
    assert 27.2 < float(first["lon"]) < 27.3 and 57.1 < float(first["lat"]) < 57.2
    assert rows[1]["category"] == "safety"


def test_ideas_csv_neutralises_formulas(client, balvu):
    _ideas(balvu)
    rows = _csv_rows(client.get("/en/open-data/ideas.csv"))
    formula = rows[2]
    assert formula["title"] == '\'=HYPERLINK("http://x")'
    assert formula["description"].startswith("'-2+3")
    for row in rows:
        for name, value in row.items():
            assert not value.startswith(("=", "+", "@")), (name, value)


def test_ideas_geojson_is_a_licensed_feature_collection_without_personal_data(client, balvu):
    public, anon, formula = _ideas(balvu)
    response = client.get("/lv/open-data/ideas.geojson")
    assert response.status_code == 200
    assert response.was_streamed
    assert response.mimetype == "application/geo+json"
    document = json.loads(response.get_data(as_text=True))
    assert document["type"] == "FeatureCollection"
    assert document["license"] == "CC BY 4.0"
    assert document["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Balvu novads" in document["attribution"]
    assert document["generated_at"].endswith("Z")
    assert [f["id"] for f in document["features"]] == [public, anon, formula]
    feature = document["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert feature["properties"]["title"] == "Soliņi parkā"
    assert feature["properties"]["answer_lv"] == "Izskatīsim pavasarī."
    # GeoJSON is not a spreadsheet: titles stay exactly as written.
    assert document["features"][2]["properties"]["title"] == '=HYPERLINK("http://x")'
    raw = response.get_data(as_text=True)
    for secret in ("example.lv", "Ilze", "Slepenais", "Paslēptais", "Atsauktais", "Gaida"):
        assert secret not in raw


def test_empty_downloads_are_still_valid(client, balvu):
    document = json.loads(client.get("/lv/open-data/ideas.geojson").get_data(as_text=True))
    assert document["features"] == []
    assert _csv_rows(client.get("/lv/open-data/ideas.csv")) == []


def test_large_downloads_are_streamed_in_chunks(client, balvu):
    """Thousands of ideas arrive in several chunks from the database, not one big string."""
    public, _, _ = _ideas(balvu)
    balvu.session.execute(
        text(
            """
            INSERT INTO ideas (title, description, category_id, geom, location_approximate,
                               author_anonymous, channel, status, support_count, comment_count,
                               awaiting_approval)
            SELECT 'Priekšlikums ' || n, repeat('Apraksts par vietu. ', 5), category_id, geom,
                   false, false, 'online', 'submitted', 0, 0, false
            FROM ideas, generate_series(1, 6000) AS n WHERE ideas.id = :id
            """
        ),
        {"id": public},
    )
    balvu.session.commit()
    chunks = list(client.get("/lv/open-data/ideas.csv").response)
    assert len(chunks) > 3
    body = b"".join(chunks)
    assert body.startswith(b"\xef\xbb\xbf")
    assert len(list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))) == 6003
    pieces = list(client.get("/lv/open-data/ideas.geojson").response)
    assert len(pieces) > 6000  # one piece per feature
    assert len(json.loads(b"".join(pieces))["features"]) == 6003


def test_territories_geojson_carries_the_odbl_licence(client, balvu):
    response = client.get("/en/open-data/territories.geojson")
    assert response.status_code == 200
    document = response.get_json(force=True)
    assert document["license"] == "ODbL 1.0"
    assert "OpenStreetMap" in document["attribution"]
    assert document["generated_at"].endswith("Z")
    assert len(document["features"]) == 21
    assert response.headers["Link"].startswith("<https://opendatacommons.org/licenses/odbl/1-0/>")
