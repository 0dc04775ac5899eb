"""Set-up for moderation tests: people of every role, an idea and a comment."""

from datetime import UTC, datetime, timedelta

from app.accounts.models import Role
from app.extensions import db
from app.ideas.services import add_comment
from tests.factories import create_idea, create_user, sign_in

OLD = datetime.now(UTC) - timedelta(days=30)


def person(role=Role.RESIDENT, *, new=False, **kwargs):
    user = create_user(role=role, **kwargs)
    if not new:
        user.created_at = OLD
        db.session.commit()
    db.session.refresh(user)  # loaded now, so it can still be read after a request
    return user


def content(author=None):
    """A public idea by `author` and a public comment on it by another resident."""
    author = author or person(email="autors@example.lv")
    idea = create_idea(title="Apgaismojums parkā", author=author)
    commenter = person(email="komentetajs@example.lv")
    comment = add_comment(idea, commenter, "Piekrītu, vakaros parkā ir pārāk tumšs.")
    db.session.commit()
    return idea, comment


class Client:
    """A test client whose every request runs in an app context of its own, as in production.

    The test holds an app context (fixture `db`); requests made inside it would share its
    `g`, so the signed-in user and the language of one client would leak into the next."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def _open(self, method, *args, **kwargs):
        with self.app.app_context():
            return getattr(self.client, method)(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self._open("get", *args, **kwargs)

    def post(self, *args, **kwargs):
        return self._open("post", *args, **kwargs)


def signed_in(app, user, lang="lv"):
    client = Client(app)
    if user is not None:
        response = sign_in(client, user, lang=lang)
        assert response.status_code == 302, response.get_data(as_text=True)
    return client
