import re

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from tests.conftest import body_text
from tests.factories import PASSWORD, create_user, sign_in


def register(client, email="anna@example.lv", lang="lv", **extra):
    data = {
        "email": email,
        "display_name": "Anna Bērziņa",
        "password": "garš-un-drošs-1",
        "password_confirm": "garš-un-drošs-1",
        "accept_privacy": "y",
        **extra,
    }
    return client.post(f"/{lang}/account/register", data=data)


def link_in(message) -> str:
    return re.search(r"https?://\S+", body_text(message)).group(0)


def test_register_confirm_sign_in_sign_out(client, db, mailbox):
    response = register(client)
    assert response.status_code == 200
    assert "anna@example.lv" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "anna@example.lv"))
    assert user.password_hash.startswith("$argon2id$")
    assert not user.is_confirmed
    [message] = mailbox.to("anna@example.lv")
    assert "Apstipriniet" in message["Subject"]
    assert message.get_body(preferencelist=("html",)) is not None
    link = link_in(message)
    assert "/lv/account/confirm/" in link
    confirmed = client.get(link.split("localhost", 1)[-1])
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).is_confirmed
    signed_in = client.post(
        "/lv/account/sign-in", data={"email": "ANNA@example.lv", "password": "garš-un-drošs-1"}
    )
    assert signed_in.status_code == 302
    assert "Anna Bērziņa" in client.get("/lv/").get_data(as_text=True)
    client.post("/lv/account/sign-out")
    assert client.get("/lv/account/").status_code == 302


def test_registration_in_english_sends_english_mail(client, mailbox):
    register(client, email="john@example.com", lang="en")
    [message] = mailbox.to("john@example.com")
    assert message["Subject"] == "Confirm your e-mail for Kopā"
    assert "/en/account/confirm/" in link_in(message)


def test_same_answer_whether_or_not_registered(client, db, mailbox):
    create_user(email="taken@example.lv", display_name="Jānis")
    fresh = register(client, email="fresh@example.lv").get_data(as_text=True)
    taken = register(client, email="TAKEN@example.lv").get_data(as_text=True)
    assert fresh.replace("fresh@example.lv", "X") == taken.replace("TAKEN@example.lv", "X")
    assert (
        db.session.scalar(select(User).where(User.email == "taken@example.lv")).display_name
        == "Jānis"
    )
    [notice] = mailbox.to("taken@example.lv")
    assert "reset" in link_in(notice)


def test_register_errors_keep_what_was_typed(client, db):
    response = register(
        client, email="not-an-email", password_confirm="different", accept_privacy=""
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="not-an-email"' in html
    assert 'value="Anna Bērziņa"' in html
    assert "Lūdzu, ievadiet derīgu e-pasta adresi." in html
    assert "Paroles nesakrīt." in html
    assert 'aria-invalid="true"' in html
    assert db.session.scalar(select(User)) is None


def test_short_password_is_refused(client, db):
    html = register(client, password="short", password_confirm="short").get_data(as_text=True)
    assert "vismaz 10" in html
    assert db.session.scalar(select(User)) is None


def test_wrong_password_and_unknown_email_look_the_same(client, db):
    create_user(email="eva@example.lv")
    wrong = client.post(
        "/en/account/sign-in", data={"email": "eva@example.lv", "password": "nope-nope-nope"}
    )
    unknown = client.post(
        "/en/account/sign-in", data={"email": "nobody@example.lv", "password": "nope-nope-nope"}
    )
    assert wrong.status_code == unknown.status_code == 422
    assert "The e-mail or the password is wrong." in wrong.get_data(as_text=True)
    assert "The e-mail or the password is wrong." in unknown.get_data(as_text=True)
    assert 'value="eva@example.lv"' in wrong.get_data(as_text=True)


def test_suspended_account_cannot_sign_in(client, db):
    from datetime import UTC, datetime

    user = create_user()
    user.suspended_at = datetime.now(UTC)
    db.session.commit()
    html = sign_in(client, user, lang="en").get_data(as_text=True)
    assert "This account is suspended" in html


def test_old_session_is_dead_after_sign_out(app, db):
    user = create_user()
    first = app.test_client()
    sign_in(first, user)
    cookie = first.get_cookie("session").value
    assert first.get("/lv/account/").status_code == 200
    first.post("/lv/account/sign-out")
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/lv/account/").status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/en/privacy", "/en/privacy"),
        ("https://evil.example/", "/lv/"),
        ("//evil.example", "/lv/"),
        ("/\\evil.example", "/lv/"),
    ],
)
def test_next_redirects_only_to_our_paths(client, db, target, expected):
    user = create_user()
    response = client.post(
        "/lv/account/sign-in",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == expected


def test_password_reset_link_works_once(client, db, mailbox):
    user = create_user(email="reset@example.lv", locale="en")
    page = client.post("/lv/account/reset", data={"email": "reset@example.lv"})
    assert page.status_code == 200
    unknown = client.post("/lv/account/reset", data={"email": "none@example.lv"})
    assert page.get_data(as_text=True).replace("reset@", "X@") == unknown.get_data(
        as_text=True
    ).replace("none@", "X@")
    [message] = mailbox.to("reset@example.lv")
    assert message["Subject"] == "Set a new Kopā password"
    path = "/" + link_in(message).split("/", 3)[3]
    done = client.post(
        path, data={"password": "jauna-parole-123", "password_confirm": "jauna-parole-123"}
    )
    assert done.status_code == 302
    assert sign_in(client, user, password="jauna-parole-123").status_code == 302
    again = client.post(
        path, data={"password": "vēl-cita-parole", "password_confirm": "vēl-cita-parole"}
    )
    assert again.status_code == 400


def test_tampered_confirmation_link_is_refused(client, db):
    response = client.get("/en/account/confirm/not-a-real-token")
    assert response.status_code == 400
    assert "The link does not work" in response.get_data(as_text=True)


def test_profile_saves_name_language_and_home(client, balvu):
    from tests.factories import territory

    user = create_user()
    sign_in(client, user)
    kubuli = territory("Kubulu pagasts")
    response = client.post(
        "/lv/account/",
        data={"display_name": "Jauns vārds", "locale": "en", "home_territory": kubuli.id},
    )
    assert response.status_code == 302
    balvu.session.expire_all()
    saved = balvu.session.get(User, user.id)
    assert (saved.display_name, saved.locale, saved.home_territory_id) == (
        "Jauns vārds",
        "en",
        kubuli.id,
    )


def test_profile_requires_sign_in(client):
    response = client.get("/en/account/")
    assert response.status_code == 302
    assert "/en/account/sign-in" in response.headers["Location"]


def test_forms_refuse_posts_without_csrf_token(csrf_app, db):
    client = csrf_app.test_client()
    response = client.post("/en/account/sign-in", data={"email": "a@b.lv", "password": "x" * 12})
    assert response.status_code == 400


def test_sign_in_is_rate_limited(make_app, db):
    limited = make_app(
        WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True, RATELIMIT_SIGNIN="3 per minute"
    )
    client = limited.test_client()
    codes = [
        client.post(
            "/en/account/sign-in", data={"email": "x@example.lv", "password": "wrong-wrong"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [422, 422, 422, 429]
    blocked = client.post(
        "/en/account/sign-in", data={"email": "x@example.lv", "password": "wrong-wrong"}
    )
    assert "Too many requests" in blocked.get_data(as_text=True)
    assert "Retry-After" in blocked.headers


def test_create_admin_command(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "admin@balvi.lv",
            "--password",
            "ļoti-droša-parole",
        ]
    )
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(User).where(User.email == "admin@balvi.lv"))
    assert admin.role == Role.ADMIN and admin.is_confirmed


@pytest.mark.parametrize(
    ("lang", "no_password", "bad_email", "mismatch"),
    [
        (
            "lv",
            "Lūdzu, ievadiet savu paroli.",
            "Lūdzu, ievadiet derīgu e-pasta adresi.",
            "Paroles nesakrīt.",
        ),
        (
            "en",
            "Please enter your password.",
            "Please enter a valid e-mail address.",
            "The passwords do not match.",
        ),
    ],
)
def test_failed_sign_in_and_reset_forms_answer_422_and_keep_values(
    client, db, lang, no_password, bad_email, mismatch
):
    """Every failed form submission answers 422, like registration, profile and ideas."""
    from app.accounts.services import reset_token

    signin = client.post(f"/{lang}/account/sign-in", data={"email": "eva@example.lv"})
    assert signin.status_code == 422
    assert no_password in signin.get_data(as_text=True)
    assert 'value="eva@example.lv"' in signin.get_data(as_text=True)

    reset = client.post(f"/{lang}/account/reset", data={"email": "not-an-address"})
    assert reset.status_code == 422
    assert bad_email in reset.get_data(as_text=True)
    assert 'value="not-an-address"' in reset.get_data(as_text=True)

    user = create_user(email="eva@example.lv")
    path = f"/{lang}/account/reset/{reset_token(user)}"
    different = {"password": "jauna-parole-123", "password_confirm": "cita-parole-456"}
    new_password = client.post(path, data=different)
    assert new_password.status_code == 422
    assert mismatch in new_password.get_data(as_text=True)
