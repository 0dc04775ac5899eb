"""Status names and colours, defined once for badges, map markers and legends.

Every colour has at least 4.5:1 contrast with white text (WCAG AA), so a badge with
white text on it is readable, and each is also distinct on a light map.
"""

from app.i18n import _l
from app.ideas.models import IdeaStatus

STATUS_LABELS = {
    IdeaStatus.SUBMITTED: _l("Submitted"),
    IdeaStatus.UNDER_REVIEW: _l("Under review"),
    IdeaStatus.ADOPTED: _l("Adopted"),
    IdeaStatus.IN_PROGRESS: _l("In progress"),
    IdeaStatus.DONE: _l("Done"),
    IdeaStatus.NOT_POSSIBLE: _l("Not possible"),
    IdeaStatus.DUPLICATE: _l("Duplicate"),
}

STATUS_COLOURS = {
    IdeaStatus.SUBMITTED: "#4a5560",
    IdeaStatus.UNDER_REVIEW: "#1f4e79",
    IdeaStatus.ADOPTED: "#1b6b2f",
    IdeaStatus.IN_PROGRESS: "#8a4500",
    IdeaStatus.DONE: "#0b5345",
    IdeaStatus.NOT_POSSIBLE: "#b00020",
    IdeaStatus.DUPLICATE: "#6b3fa0",
}

# Text drawn on a STATUS_COLOURS background.
STATUS_TEXT_COLOUR = "#ffffff"


def status_label(status: IdeaStatus | str) -> str:
    """The localized name of a status (Latvian names as in PRODUCT.md)."""
    return str(STATUS_LABELS[IdeaStatus(status)])


def status_colour(status: IdeaStatus | str) -> str:
    return STATUS_COLOURS[IdeaStatus(status)]
