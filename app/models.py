"""Import every feature's models so metadata (and Alembic) sees all tables."""

import importlib
import importlib.util

from app.accounts.models import User, leader_territories  # noqa: F401
from app.audit import AuditEntry  # noqa: F401
from app.categories.models import Category  # noqa: F401
from app.territories.models import Municipality, Territory  # noqa: F401

# Feature packages with a models module (or package) of their own.
for _feature in (
    "ideas",
    "surveys",
    "staff",
    "feedback",
    "moderation",
    "notifications",
    "opendata",
    "open311",
    "privacy",
):
    if importlib.util.find_spec(f"app.{_feature}") and importlib.util.find_spec(
        f"app.{_feature}.models"
    ):
        importlib.import_module(f"app.{_feature}.models")
