"""Finding ideas: the map of ideas (/<lang>/ideas) and the list view (/<lang>/ideas/list).

Both pages read the same filters from the query string, so any view can be shared.
"""

from flask import current_app, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, SearchField, SelectField
from wtforms.validators import Length, Optional, ValidationError

from app.core.auth import public
from app.core.geo import parse_coordinate
from app.core.security import csp_nonce
from app.i18n import _, _l
from app.ideas import bp
from app.ideas.models import IdeaStatus
from app.ideas.queries import SORTS, IdeaFilters, category_choices, list_ideas
from app.ideas.status import STATUS_COLOURS, STATUS_LABELS
from app.maps.ideas import ideas_map
from app.maps.render import render_map
from app.territories.queries import territories_bounds, territory_choices

# The query-string names that are filters (shared by the map, the list and the API).
FILTER_NAMES = ("q", "category", "status", "territory")
SORT_LABELS = {
    "newest": _l("Newest"),
    "supported": _l("Most supported"),
    "discussed": _l("Most discussed"),
    "answered": _l("Recently answered"),
}


def _choice_validator(message):
    def check(form, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(str(message))

    return check


class IdeaFilterForm(FlaskForm):
    """The GET form above the map and the list; nothing is written, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search"),
        validators=[Optional(), Length(max=200, message=_l("At most 200 characters."))],
    )
    category = SelectField(
        _l("Category"),
        validate_choice=False,
        validators=[_choice_validator(_l("Please choose a category from the list."))],
    )
    status = SelectField(
        _l("Status"),
        validate_choice=False,
        validators=[_choice_validator(_l("Please choose a status from the list."))],
    )
    territory = SelectField(
        _l("Territorial unit"),
        validate_choice=False,
        validators=[_choice_validator(_l("Please choose a territorial unit from the list."))],
    )
    sort = SelectField(
        _l("Sort by"),
        validate_choice=False,
        choices=list(SORT_LABELS.items()),
        validators=[_choice_validator(_l("Please choose an order from the list."))],
    )
    # The map view, kept in the URL by static/js/ideas-map.js.
    lat = HiddenField()
    lon = HiddenField()
    z = HiddenField()


def filter_form() -> tuple[IdeaFilterForm, IdeaFilters]:
    """The form bound to the query string, and the filters from its valid fields."""
    form = IdeaFilterForm(formdata=request.args)
    form.category.choices = [("", _("All categories")), *category_choices(g.lang)]
    form.status.choices = [("", _("All statuses"))] + [
        (status.value, str(label)) for status, label in STATUS_LABELS.items()
    ]
    form.territory.choices = [("", _("All territorial units"))] + [
        (str(ident), name) for ident, name in territory_choices()
    ]
    form.validate()

    def valid(field):
        return field.data if field.data and not field.errors else None

    status = valid(form.status)
    territory = valid(form.territory)
    filters = IdeaFilters(
        status=IdeaStatus(status) if status else None,
        category=valid(form.category),
        territory=int(territory) if territory else None,
        q=(valid(form.q) or "").strip() or None,
    )
    return form, filters


def filter_args(form: IdeaFilterForm) -> dict[str, str]:
    """The non-empty filters as query arguments, for links between map and list."""
    return {name: form[name].data for name in FILTER_NAMES if form[name].data}


def map_view() -> tuple[float, float, int] | None:
    """lat, lon and z from the URL when all three make sense, else None."""
    lat = parse_coordinate(request.args.get("lat"))
    lon = parse_coordinate(request.args.get("lon"))
    zoom = request.args.get("z", "")
    if lat is None or lon is None or not zoom.isdigit():
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 1 <= int(zoom) <= 18):
        return None
    return lat, lon, int(zoom)


def status_legend() -> list[dict]:
    return [
        {"value": status.value, "label": str(STATUS_LABELS[status]), "colour": colour}
        for status, colour in STATUS_COLOURS.items()
    ]


@bp.route("", endpoint="index")
@public
def index():
    form, _filters = filter_form()
    fmap, cluster_layer = ideas_map(
        current_app.config["TILE_URL"],
        current_app.config["TILE_ATTRIBUTION"],
        territories_bounds(),
        map_view(),
    )
    args = filter_args(form)
    return render_template(
        "ideas/index.html",
        form=form,
        rendered_map=render_map(fmap, csp_nonce()),
        cluster_layer=cluster_layer,
        api_args=args,
        list_url=url_for("ideas.list", **args),
        legend=status_legend(),
    )


@bp.route("/", endpoint="index_slash")
@public
def index_slash():
    """/<lang>/ideas/ is the map too (the stable URL has no trailing slash)."""
    return redirect(url_for("ideas.index", **request.args.to_dict()), code=308)


@bp.route("/list", endpoint="list")
@public
def list_view():
    form, filters = filter_form()
    sort = form.sort.data if form.sort.data in SORTS and not form.sort.errors else "newest"
    page_arg = request.args.get("page", "1")
    page_number = int(page_arg) if page_arg.isdigit() and len(page_arg) < 7 else 1
    page = list_ideas(filters, sort=sort, page=page_number)
    return render_template(
        "ideas/list.html",
        form=form,
        page=page,
        sort=sort,
        map_url=url_for("ideas.index", **filter_args(form)),
        legend=status_legend(),
        labels={status.value: str(label) for status, label in STATUS_LABELS.items()},
    )
