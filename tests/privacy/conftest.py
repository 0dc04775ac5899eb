"""A resident with something of everything: ideas, a comment, supports, follows, photos."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from app.accounts.models import User
from app.categories.models import Category
from app.core.geo import point_sql
from app.ideas.models import Comment, Follow, Idea, IdeaPhoto, Support
from tests.factories import create_user

BALVI = (27.2667, 57.1313)


@dataclass
class Resident:
    user: User
    other: User
    own_idea: Idea
    others_idea: Idea
    comment: Comment
    photo_stems: list[str]
    others_photo_stem: str


def add_idea(db, author: User, title: str) -> Idea:
    category = db.session.query(Category).order_by(Category.id).first()
    idea = Idea(
        title=title,
        description="Apraksts, kas ir pietiekami garš priekšlikumam.",
        category_id=category.id,
        geom=point_sql(*BALVI),
        author_id=author.id,
    )
    db.session.add(idea)
    db.session.flush()
    return idea


def add_photo(db, idea: Idea, uploader: User | None, stem: str, upload_dir: Path) -> str:
    db.session.add(
        IdeaPhoto(
            idea_id=idea.id,
            stem=stem,
            width=4,
            height=3,
            uploaded_by_id=(uploader.id if uploader else None),
        )
    )
    for size in (400, 1200):
        (upload_dir / f"{stem}-{size}.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    return stem


@pytest.fixture
def resident(balvu, app) -> Resident:
    db = balvu
    upload_dir = Path(app.config["UPLOAD_DIR"])
    user = create_user(email="anna@example.lv", display_name="Anna Bērziņa")
    other = create_user(email="janis@example.lv", display_name="Jānis Ozols")
    own = add_idea(db, user, "Jauns soliņš parkā")
    others = add_idea(db, other, "Apgaismojums pie skolas")
    comment = Comment(idea_id=others.id, author_id=user.id, body='=HYPERLINK("x") labs!')
    db.session.add(comment)
    db.session.add_all(
        [
            Support(user_id=user.id, idea_id=others.id),
            Support(user_id=other.id, idea_id=own.id),
            Follow(user_id=user.id, idea_id=others.id),
        ]
    )
    stems = [
        add_photo(db, own, user, "aaaa1111", upload_dir),
        # An older photo without a recorded uploader, on the resident's own idea.
        add_photo(db, own, None, "bbbb2222", upload_dir),
    ]
    others_stem = add_photo(db, others, other, "cccc3333", upload_dir)
    db.session.commit()
    return Resident(user, other, own, others, comment, stems, others_stem)
