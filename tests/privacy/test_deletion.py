"""Deleting an account: personal data and photos go, ideas and comments stay as "deleted user",
and the deletion survives a backup restore."""

from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.accounts.models import User
from app.accounts.services import authenticate
from app.ideas.models import Comment, Follow, Idea, IdeaPhoto, Support
from app.privacy.models import DeletedAccount
from app.privacy.services import DELETED_NAME, placeholder_email
from tests.factories import PASSWORD, sign_in

DELETE = "/{lang}/account/privacy/delete"


def delete_account(client, lang="lv", **data):
    return client.post(
        DELETE.format(lang=lang), data={"password": PASSWORD, "confirm": "y", **data}
    )


def files_of(upload_dir: Path, stem: str) -> list[Path]:
    return sorted(upload_dir.glob(f"{stem}-*"))


@pytest.mark.parametrize(
    ("lang", "password_error", "confirm_error"),
    [
        ("lv", "Parole nav pareiza.", "Lūdzu, apstipriniet, ka vēlaties dzēst savu kontu."),
        ("en", "The password is wrong.", "Please confirm that you want to delete your account."),
    ],
)
def test_deletion_needs_password_and_confirmation(
    client, db, resident, lang, password_error, confirm_error
):
    sign_in(client, resident.user, lang=lang)
    wrong = delete_account(client, lang, password="wrong password")
    assert wrong.status_code == 422
    assert password_error in wrong.get_data(as_text=True)
    unconfirmed = delete_account(client, lang, confirm="")
    assert unconfirmed.status_code == 422
    assert confirm_error in unconfirmed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, resident.user.id).email == "anna@example.lv"
    assert client.get("/lv/account/").status_code == 200  # still signed in


def test_deletion_removes_personal_data_and_keeps_contributions(client, app, db, resident):
    upload_dir = Path(app.config["UPLOAD_DIR"])
    uid = resident.user.id
    other_client = app.test_client()
    sign_in(other_client, resident.user)  # a second session, e.g. on the phone
    sign_in(client, resident.user)
    response = delete_account(client)
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200

    db.session.expire_all()
    user = db.session.get(User, uid)
    assert user.email == placeholder_email(uid)
    assert user.display_name == DELETED_NAME
    assert user.email_confirmed_at is None
    assert authenticate(placeholder_email(uid), PASSWORD) is None
    assert authenticate("anna@example.lv", PASSWORD) is None
    # Every session is dead, the one that deleted and the other one.
    assert client.get("/lv/account/").status_code == 302
    assert other_client.get("/lv/account/").status_code == 302
    # Ideas and comments stay, shown as the deleted user.
    idea = db.session.get(Idea, resident.own_idea.id)
    assert idea.author_id == uid and idea.author.display_name == DELETED_NAME
    assert db.session.get(Comment, resident.comment.id).author.display_name == DELETED_NAME
    # Supports (with the counter) and follows are gone; the other resident's stay.
    assert db.session.scalars(select(Support).where(Support.user_id == uid)).all() == []
    assert db.session.scalars(select(Follow).where(Follow.user_id == uid)).all() == []
    assert db.session.get(Idea, resident.others_idea.id).support_count == 0
    assert db.session.get(Idea, resident.own_idea.id).support_count == 1
    # The user's photos are gone from the table and the disk; the other's photo is not.
    remaining = db.session.scalars(select(IdeaPhoto.stem)).all()
    assert remaining == [resident.others_photo_stem]
    for stem in resident.photo_stems:
        assert files_of(upload_dir, stem) == []
    assert len(files_of(upload_dir, resident.others_photo_stem)) == 2
    assert db.session.get(DeletedAccount, uid) is not None
    # Nobody can register the old address into the old account, but can register afresh.
    assert db.session.scalar(select(User).where(User.email == "anna@example.lv")) is None


def test_deleted_user_shows_as_deleted_user_on_pages(client, db, resident):
    sign_in(client, resident.user)
    delete_account(client)
    if "ideas.show" not in client.application.view_functions:
        pytest.skip("the idea page is not there yet")
    html = client.get(f"/en/ideas/{resident.own_idea.id}").get_data(as_text=True)
    assert "Anna Bērziņa" not in html


def test_reapply_deletions_after_a_restore(app, db, resident):
    """Take the user's rows as a backup would have them, delete, put them back (the restore),
    run the command: the personal data is gone again."""
    uid = resident.user.id
    upload_dir = Path(app.config["UPLOAD_DIR"])
    backup_user = db.session.execute(text("SELECT * FROM users WHERE id = :u"), {"u": uid})
    backup_user = dict(backup_user.mappings().one())
    backup_supports = (
        db.session.execute(text("SELECT * FROM supports WHERE user_id = :u"), {"u": uid})
        .mappings()
        .all()
    )
    backup_photos = (
        db.session.execute(
            text("SELECT * FROM idea_photos WHERE stem = ANY(:s)"), {"s": resident.photo_stems}
        )
        .mappings()
        .all()
    )
    backup_files = {p.name: p.read_bytes() for p in upload_dir.iterdir()}

    client = app.test_client()
    sign_in(client, resident.user)
    assert delete_account(client).status_code == 302
    db.session.expire_all()

    # The restore: the old row values, supports, photos and files come back.
    columns = ", ".join(f"{name} = :{name}" for name in backup_user if name != "id")
    db.session.execute(text(f"UPDATE users SET {columns} WHERE id = :id"), backup_user)
    for row in backup_supports:
        db.session.execute(
            text(
                "INSERT INTO supports (user_id, idea_id, created_at)"
                " VALUES (:user_id, :idea_id, :created_at)"
            ),
            dict(row),
        )
    for row in backup_photos:
        names = ", ".join(row.keys())
        values = ", ".join(f":{key}" for key in row)
        db.session.execute(text(f"INSERT INTO idea_photos ({names}) VALUES ({values})"), dict(row))
    db.session.commit()
    for name, content in backup_files.items():
        (upload_dir / name).write_bytes(content)
    db.session.expire_all()
    assert db.session.get(User, uid).email == "anna@example.lv"

    result = app.test_cli_runner().invoke(args=["privacy", "reapply-deletions"])
    assert result.exit_code == 0, result.output
    assert "1 account" in result.output

    db.session.expire_all()
    user = db.session.get(User, uid)
    assert user.email == placeholder_email(uid) and user.display_name == DELETED_NAME
    assert authenticate("anna@example.lv", PASSWORD) is None
    assert db.session.scalars(select(Support).where(Support.user_id == uid)).all() == []
    for stem in resident.photo_stems:
        assert files_of(upload_dir, stem) == []
    assert db.session.get(Idea, resident.own_idea.id).title == "Jauns soliņš parkā"
    # Running it again changes nothing.
    again = app.test_cli_runner().invoke(args=["privacy", "reapply-deletions"])
    assert "0 account" in again.output


def test_reapply_from_a_saved_list_and_ids_are_not_reused(app, db, resident, tmp_path):
    """A backup older than the deletion has no deleted_accounts row: the list saved with
    list-deletions brings it back; a new account never gets a deleted account's id."""
    client = app.test_client()
    sign_in(client, resident.user)
    delete_account(client)
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["privacy", "list-deletions"])
    saved = tmp_path / "deletions.txt"
    saved.write_text(listing.output)
    assert listing.output.startswith(f"{resident.user.id} ")

    uid = resident.user.id
    db.session.execute(text("DELETE FROM deleted_accounts"))
    db.session.execute(
        text(
            "UPDATE users SET email = 'anna@example.lv', display_name = 'Anna Bērziņa'"
            " WHERE id = :u"
        ),
        {"u": uid},
    )
    db.session.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), 1)"))
    db.session.commit()
    result = runner.invoke(args=["privacy", "reapply-deletions", "--from-file", str(saved)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, uid).email == placeholder_email(uid)
    next_id = db.session.execute(text("SELECT nextval(pg_get_serial_sequence('users', 'id'))"))
    assert next_id.scalar() > max(uid, resident.other.id)


def test_reapply_leaves_a_new_account_with_a_reused_id_alone(app, db, resident):
    client = app.test_client()
    sign_in(client, resident.user)
    delete_account(client)
    uid = resident.user.id
    # As if a restore rewound the sequence and someone new got the same id.
    db.session.execute(
        text(
            "UPDATE users SET email = 'new@example.lv', display_name = 'Jauns',"
            " created_at = now() + interval '1 day' WHERE id = :u"
        ),
        {"u": uid},
    )
    db.session.commit()
    app.test_cli_runner().invoke(args=["privacy", "reapply-deletions"])
    db.session.expire_all()
    assert db.session.get(User, uid).email == "new@example.lv"
