"""Administrators manage idea categories: add, rename, reorder, retire and bring back."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts.models import Role
from app.admin import bp
from app.categories import queries
from app.categories import services as categories
from app.categories.forms import CategoryForm, MoveForm, NewCategoryForm
from app.categories.models import Category
from app.core.auth import role_required
from app.core.forms import refused_status
from app.extensions import db
from app.i18n import _


def _apply_errors(form, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form[name].errors = [*form[name].errors, message]


def _category_or_404(category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None:
        abort(404)
    return category


def _render_list(form: NewCategoryForm, status: int = 200):
    page = render_template(
        "admin/categories.html",
        form=form,
        rows=queries.categories_with_idea_counts(),
    )
    return page, status


@bp.route("/categories", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def categories_index():
    form = NewCategoryForm()
    if not form.is_submitted():
        return _render_list(form)
    if form.validate():
        try:
            category = categories.create_category(
                form.name.data, form.name_en.data, form.slug.data or "", current_user
            )
        except categories.CategoryError as error:
            _apply_errors(form, error.errors)
        else:
            db.session.commit()
            flash(_("The category %(name)s is added.", name=category.display_name()), "success")
            return redirect(url_for("admin.categories_index"))
    return _render_list(form, refused_status(form))


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def category_edit(category_id: int):
    category = _category_or_404(category_id)
    form = CategoryForm(obj=category)
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                changed = categories.update_category(
                    category, form.name.data, form.name_en.data, form.active.data, current_user
                )
            except categories.CategoryError as error:
                _apply_errors(form, error.errors)
            else:
                db.session.commit()
                flash(_("The category is saved.") if changed else _("Nothing was changed."))
                return redirect(url_for("admin.categories_index"))
        status = refused_status(form)
    return render_template("admin/category_edit.html", form=form, category=category), status


@bp.route("/categories/<int:category_id>/move", methods=["POST"])
@role_required(Role.ADMIN)
def category_move(category_id: int):
    category = _category_or_404(category_id)
    form = MoveForm()
    if not form.validate() or form.direction.data not in ("up", "down"):
        abort(400)
    if categories.move_category(category, -1 if form.direction.data == "up" else 1, current_user):
        db.session.commit()
    return redirect(url_for("admin.categories_index", _anchor=f"category-{category.id}"))
