"""My data: the password is asked again, then JSON and CSV hold everything about the user."""

import csv
import io
import json
import zipfile

import pytest
from sqlalchemy import Column, ForeignKey, Integer, String, Table, text

from app.privacy.queries import personal_tables
from tests.factories import PASSWORD, sign_in

MY_DATA = "/{lang}/account/privacy/"
JSON_URL = "/lv/account/privacy/download/kopa-my-data.json"
CSV_URL = "/lv/account/privacy/download/kopa-my-data-csv.zip"


def reauthenticate(client, password=PASSWORD, lang="lv"):
    return client.post(MY_DATA.format(lang=lang), data={"password": password})


def test_my_data_needs_sign_in(client):
    response = client.get("/lv/account/privacy/")
    assert response.status_code == 302
    assert "/lv/account/sign-in" in response.headers["Location"]
    assert client.get(JSON_URL).status_code == 302


def test_profile_links_to_my_data(client, resident):
    sign_in(client, resident.user)
    html = client.get("/lv/account/").get_data(as_text=True)
    assert 'href="/lv/account/privacy/"' in html


@pytest.mark.parametrize(
    ("lang", "heading", "wrong"),
    [("lv", "Mani dati", "Parole nav pareiza."), ("en", "My data", "The password is wrong.")],
)
def test_downloads_need_the_password_again(client, resident, lang, heading, wrong):
    sign_in(client, resident.user, lang=lang)
    page = client.get(MY_DATA.format(lang=lang)).get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page
    assert "kopa-my-data.json" not in page
    refused = client.get(f"/{lang}/account/privacy/download/kopa-my-data.json")
    assert refused.status_code == 302
    failed = reauthenticate(client, "not my password", lang)
    assert failed.status_code == 422
    assert wrong in failed.get_data(as_text=True)
    assert client.get(f"/{lang}/account/privacy/download/kopa-my-data.json").status_code == 302
    assert reauthenticate(client, lang=lang).status_code == 302
    unlocked = client.get(MY_DATA.format(lang=lang)).get_data(as_text=True)
    assert "kopa-my-data.json" in unlocked and "kopa-my-data-csv.zip" in unlocked


def test_reauthentication_expires(client, resident, monkeypatch):
    import app.privacy.routes as routes

    sign_in(client, resident.user)
    reauthenticate(client)
    assert client.get(JSON_URL).status_code == 200
    monkeypatch.setattr(routes, "REAUTH_SECONDS", 0)
    assert client.get(JSON_URL).status_code == 302


def test_json_holds_everything_about_the_user_and_no_secrets(client, resident):
    sign_in(client, resident.user)
    reauthenticate(client)
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    document = json.loads(response.get_data(as_text=True))
    data = document["data"]
    [account] = data["users"]
    assert account["email"] == "anna@example.lv"
    assert account["display_name"] == "Anna Bērziņa"
    assert "password_hash" not in account and "session_token" not in account
    assert [idea["title"] for idea in data["ideas"]] == ["Jauns soliņš parkā"]
    assert json.loads(data["ideas"][0]["geom"])["type"] == "Point"
    assert [c["body"] for c in data["comments"]] == ['=HYPERLINK("x") labs!']
    assert [s["idea_id"] for s in data["supports"]] == [resident.others_idea.id]
    assert [f["idea_id"] for f in data["follows"]] == [resident.others_idea.id]
    assert sorted(p["stem"] for p in data["idea_photos"]) == ["aaaa1111"]
    # Nothing of the other resident's.
    text_ = json.dumps(data, ensure_ascii=False)
    assert "janis@example.lv" not in text_ and "Apgaismojums" not in text_


def test_csv_zip_has_a_table_per_file_and_neutralised_formulas(client, resident):
    sign_in(client, resident.user)
    reauthenticate(client)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"users.csv", "ideas.csv", "comments.csv", "supports.csv", "follows.csv"} <= names
    comments = list(csv.DictReader(io.StringIO(archive.read("comments.csv").decode("utf-8-sig"))))
    assert comments[0]["body"] == '\'=HYPERLINK("x") labs!'
    users = list(csv.DictReader(io.StringIO(archive.read("users.csv").decode("utf-8-sig"))))
    assert users[0]["display_name"] == "Anna Bērziņa"
    assert "password_hash" not in users[0]


def test_existing_feature_tables_are_discovered(db, resident):
    names = {table.name for table, _ in personal_tables()}
    assert {"ideas", "comments", "supports", "follows", "idea_photos"} <= names
    # Tables other features add at the same time are found by their owner columns.
    for name, column in (
        ("survey_responses", "respondent_id"),
        ("reports", "reporter_id"),
        ("outbox", "user_id"),
    ):
        table = db.metadata.tables.get(name)
        if table is not None and column in table.c:
            assert name in names


@pytest.fixture
def later_feature_tables(db):
    """Two tables as another feature might add them later: one owned (rows cascade with the
    user), one that keeps its rows but may lose the link (like signed survey answers)."""
    owned = Table(
        "test_privacy_notes",
        db.metadata,
        Column("id", Integer, primary_key=True),
        Column("recipient_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        Column("body", String(100)),
    )
    linked = Table(
        "test_privacy_answers",
        db.metadata,
        Column("id", Integer, primary_key=True),
        Column("respondent_id", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        Column("answer", String(100)),
    )
    detail = Table(
        "test_privacy_answer_parts",
        db.metadata,
        Column("id", Integer, primary_key=True),
        Column("answer_id", ForeignKey("test_privacy_answers.id", ondelete="CASCADE")),
        Column("part", String(100)),
    )
    tables = [owned, linked, detail]
    for table in tables:
        table.create(db.session.connection())
    db.session.commit()
    yield tables
    db.session.rollback()
    for table in reversed(tables):
        table.drop(db.session.connection())
        db.metadata.remove(table)
    db.session.commit()


def test_tables_added_later_are_exported_and_handled_at_deletion(
    client, db, resident, later_feature_tables
):
    uid, other = resident.user.id, resident.other.id
    for statement in (
        "INSERT INTO test_privacy_notes (recipient_id, body)"
        " VALUES (:u, 'mana ziņa'), (:o, 'cita ziņa')",
        "INSERT INTO test_privacy_answers (id, respondent_id, answer)"
        " VALUES (1, :u, 'mana atbilde'), (2, :o, 'cita atbilde')",
        "INSERT INTO test_privacy_answer_parts (answer_id, part)"
        " VALUES (1, 'mana daļa'), (2, 'cita daļa')",
    ):
        db.session.execute(text(statement), {"u": uid, "o": other})
    db.session.commit()
    sign_in(client, resident.user)
    reauthenticate(client)
    data = client.get(JSON_URL).get_json()["data"]
    assert [row["body"] for row in data["test_privacy_notes"]] == ["mana ziņa"]
    assert [row["answer"] for row in data["test_privacy_answers"]] == ["mana atbilde"]
    assert [row["part"] for row in data["test_privacy_answer_parts"]] == ["mana daļa"]

    deleted = client.post("/lv/account/privacy/delete", data={"password": PASSWORD, "confirm": "y"})
    assert deleted.status_code == 302
    notes = db.session.execute(text("SELECT body FROM test_privacy_notes")).scalars().all()
    assert notes == ["cita ziņa"]
    answers = db.session.execute(
        text("SELECT answer, respondent_id FROM test_privacy_answers ORDER BY id")
    ).all()
    assert [tuple(a) for a in answers] == [("mana atbilde", None), ("cita atbilde", other)]
