"""The feedback page ("You said, we did"): what became of the ideas residents sent."""

from flask import current_app, g, render_template, request

from app.core.auth import public
from app.core.security import csp_nonce
from app.feedback import bp, queries
from app.feedback.forms import FeedbackFilterForm
from app.i18n import _
from app.ideas.status import status_label
from app.maps.feedback import PALETTE, count_class, ideas_choropleth, legend
from app.maps.render import render_map
from app.territories.queries import territories_bounds, territory_choices


@bp.route("")
@public
def index():
    form = FeedbackFilterForm(request.args)
    territories = territory_choices()
    categories = queries.category_choices()
    years = queries.year_range()
    form.territory.choices = [("", _("All territorial units")), *territories]
    form.category.choices = [("", _("All categories")), *categories]
    form.year.choices = [("", _("All years")), *[(year, str(year)) for year in years]]
    filters = queries.FeedbackFilters(
        territory_id=form.territory.data if form.territory.data in dict(territories) else None,
        category_id=form.category.data if form.category.data in dict(categories) else None,
        year=form.year.data if form.year.data in years else None,
    )
    fmap, highest = ideas_choropleth(
        queries.choropleth_geojson(filters, g.lang),
        territories_bounds(),
        current_app.config["TILE_URL"],
        current_app.config["TILE_ATTRIBUTION"],
    )
    return render_template(
        "feedback/index.html",
        form=form,
        figures=queries.feedback_figures(filters),
        by_territory=queries.figures_by_territory(filters),
        by_category=queries.figures_by_category(filters),
        ideas=queries.feedback_ideas(filters, request.args.get("page", 1, type=int) or 1),
        rendered_map=render_map(fmap, csp_nonce()),
        legend=legend(highest),
        palette=PALETTE,
        highest=highest,
        count_class=count_class,
        status_label=status_label,
    )
