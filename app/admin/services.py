"""Role changes by admins, each one audited. Flushes; the view commits."""

from sqlalchemy import select

from app import audit
from app.accounts.models import Role, User
from app.extensions import db
from app.i18n import _
from app.territories.models import Territory


class RoleChangeError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _state(user: User) -> dict:
    return {"role": user.role.value, "leader_of": sorted(t.id for t in user.leader_of)}


def set_role(user: User, role: Role, territory_ids: list[int], actor: User) -> bool:
    """Give `user` a role (and, for a leader, the units they lead); False if nothing changed.

    An admin cannot take the admin role away from themselves; a leader needs a unit."""
    role = Role(role)
    errors: dict[str, str] = {}
    if user.id == actor.id and user.role == Role.ADMIN and role != Role.ADMIN:
        errors["role"] = _("You cannot remove your own admin role. Ask another admin.")
    territories: list[Territory] = []
    if role == Role.LEADER:
        if territory_ids:
            territories = list(
                db.session.scalars(select(Territory).where(Territory.id.in_(territory_ids)))
            )
        if not territories or len(territories) != len(set(territory_ids)):
            errors["territories"] = _("Please choose the territorial units this leader works for.")
    if errors:
        raise RoleChangeError(errors)
    before = _state(user)
    user.role = role
    # Only a leader is scoped to units; staff and admins work for the whole municipality.
    user.leader_of = territories if role == Role.LEADER else []
    db.session.flush()
    after = _state(user)
    if after == before:
        return False
    audit.record(actor, "user.role_change", f"user:{user.id}", before, after)
    return True
