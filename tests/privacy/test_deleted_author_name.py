"""A deleted account's ideas and comments stay, signed "deleted user" in the reader's language."""

import pytest

from app.ideas.models import Comment
from app.privacy.services import delete_account
from tests.factories import create_idea, create_user


@pytest.mark.parametrize(("lang", "name"), [("lv", "Dzēsts lietotājs"), ("en", "Deleted user")])
def test_deleted_author_is_named_in_the_readers_language(client, balvu, lang, name):
    author = create_user(display_name="Ilze Kalniņa")
    idea = create_idea(author=author)
    balvu.session.add(Comment(idea_id=idea.id, author_id=author.id, body="Mans komentārs"))
    balvu.session.commit()
    delete_account(author)
    balvu.session.commit()
    html = client.get(f"/{lang}/ideas/{idea.id}").get_data(as_text=True)
    assert "Ilze Kalniņa" not in html
    assert html.count(name) >= 2  # the idea's author line and the comment
