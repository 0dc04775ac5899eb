"""Navigation menus: a feature's entry appears once its endpoint exists."""

from flask import current_app
from flask_login import current_user

from app.accounts.models import Role
from app.i18n import _l

MAIN = [
    ("main.index", _l("Map")),
    ("ideas.index", _l("Ideas")),
    ("surveys.index", _l("Surveys")),
    ("feedback.index", _l("You said, we did")),
]
FOOTER = [("opendata.index", _l("Open data"))]
ROLE_LINKS = [
    ("surveys.mine", _l("My surveys"), Role.LEADER),
    ("ideas.record", _l("Record ideas"), Role.LEADER),
    ("staff.index", _l("Staff workspace"), Role.STAFF),
    ("moderation.index", _l("Moderation"), Role.STAFF),
    ("admin.audit", _l("Audit log"), Role.ADMIN),
]


def _available(items):
    return [
        (endpoint, label) for endpoint, label in items if endpoint in current_app.view_functions
    ]


def main_navigation():
    return _available(MAIN)


def footer_navigation():
    return _available(FOOTER)


def staff_navigation():
    if not current_user.is_authenticated:
        return []
    allowed = [(e, label) for e, label, role in ROLE_LINKS if current_user.has_role(role)]
    return _available(allowed)
