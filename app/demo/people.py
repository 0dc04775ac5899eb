"""The fictional people behind the demo data (nobody signs in as them)."""

import secrets

from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.services import create_user
from app.extensions import db
from app.territories.models import Territory

DEMO_LEADER_EMAIL = "demo.lideris@example.invalid"


def demo_leader(unit: Territory) -> User:
    """The demo community leader, who works for `unit` (Balvi)."""
    leader = db.session.scalar(select(User).where(User.email == DEMO_LEADER_EMAIL))
    if leader is None:
        leader = create_user(
            DEMO_LEADER_EMAIL,
            secrets.token_urlsafe(24),
            "Demo kopienas līderis",
            role=Role.LEADER,
            confirmed=True,
        )
        leader.leader_of = [unit]
    return leader
