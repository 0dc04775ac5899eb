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


def signed_in(app, user, lang="lv"):
    client = app.test_client()
    if user is not None:
        response = sign_in(client, user, lang=lang)
        assert response.status_code == 302, response.get_data(as_text=True)
    return client
