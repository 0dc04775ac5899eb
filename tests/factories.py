"""Factories that make exactly the rows a test asks for."""

import itertools

from app.accounts.models import Role, User
from app.accounts.services import create_user as _create_user
from app.extensions import db
from app.territories.models import Territory

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


def create_user(
    role: Role = Role.RESIDENT,
    email: str | None = None,
    display_name: str | None = None,
    confirmed: bool = True,
    locale: str = "lv",
    password: str = PASSWORD,
    territories: list[Territory] | None = None,
) -> User:
    number = next(_counter)
    user = _create_user(
        email or f"user{number}@example.lv",
        password,
        display_name or f"Iedzīvotājs {number}",
        locale=locale,
        role=role,
        confirmed=confirmed,
    )
    if territories:
        user.leader_of = list(territories)
    db.session.commit()
    return user


def territory(name: str) -> Territory:
    return db.session.query(Territory).filter_by(name=name).one()


def sign_in(client, user: User, password: str = PASSWORD, lang: str = "lv"):
    return client.post(
        f"/{lang}/account/sign-in",
        data={"email": user.email, "password": password},
        follow_redirects=False,
    )
