"""Loading a survey and checking who may do what with it."""

from flask import abort, current_app
from flask_login import current_user

from app.extensions import db
from app.surveys.models import Survey, SurveyState
from app.surveys.services import can_manage


def get_survey_or_404(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        abort(404)
    return survey


def managed_survey_or_403(survey_id: int) -> Survey:
    """The survey when the current user manages it: owner leader, staff or admin."""
    survey = get_survey_or_404(survey_id)
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())
    if not can_manage(current_user, survey):
        abort(403)
    return survey


def results_visible(survey: Survey) -> bool:
    """Managers always; everyone else when the results are public and the survey published."""
    if can_manage(current_user, survey):
        return True
    return survey.results_public and survey.state != SurveyState.DRAFT
