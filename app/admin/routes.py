"""Admin pages: read the audit log; grant and revoke the leader and staff roles."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.models import Role, User
from app.admin import bp, queries
from app.admin import services as admin
from app.admin.forms import AuditFilterForm, RoleForm, UserSearchForm
from app.core.auth import role_required
from app.extensions import db
from app.i18n import _, _l
from app.territories.queries import territory_choices

ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.LEADER: _l("Community leader"),
    Role.STAFF: _l("Municipality staff"),
    Role.ADMIN: _l("Administrator"),
}


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.route("/audit")
@role_required(Role.ADMIN)
def audit():
    form = AuditFilterForm(request.args)
    actions = queries.audit_actions()
    form.action.choices = [("", _("All actions")), *[(a, a) for a in actions]]
    form.actor.choices = [("", _("Everyone")), *queries.audit_actors()]
    action = form.action.data if form.action.data in actions else None
    page = queries.audit_page(action, form.actor.data, _page_number())
    return render_template("admin/audit.html", form=form, page=page)


@bp.route("/roles")
@role_required(Role.ADMIN)
def roles():
    form = UserSearchForm(request.args)
    page = queries.role_holders(form.q.data, _page_number())
    return render_template("admin/roles.html", form=form, page=page, role_labels=ROLE_LABELS)


@bp.route("/roles/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_role(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = RoleForm(role=user.role.value, territories=[t.id for t in user.leader_of])
    form.role.choices = [(role.value, str(label)) for role, label in ROLE_LABELS.items()]
    form.territories.choices = territory_choices()
    if form.validate_on_submit():
        try:
            changed = admin.set_role(
                user, Role(form.role.data), form.territories.data or [], current_user
            )
        except admin.RoleChangeError as error:
            db.session.rollback()
            user = db.session.get(User, user_id)
            for name, message in error.errors.items():
                form[name].errors = [*list(form[name].errors), message]
        else:
            db.session.commit()
            if changed:
                flash(
                    _(
                        "%(name)s is now: %(role)s.",
                        name=user.display_name,
                        role=ROLE_LABELS[user.role],
                    ),
                    "success",
                )
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("admin.roles"))
    status_code = 422 if form.errors else 200
    return (
        render_template("admin/user_role.html", form=form, user=user, role_labels=ROLE_LABELS),
        status_code,
    )
