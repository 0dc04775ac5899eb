"""Reading a respondent's answers from a posted form, checking every rule on the server."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from app.core.geo import inside_municipality, parse_coordinate
from app.extensions import db
from app.i18n import _, ngettext
from app.surveys.models import Question, QuestionKind
from app.territories.models import Territory

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000


@dataclass
class ParsedAnswer:
    value: object
    lon: float | None = None
    lat: float | None = None


@dataclass
class ParsedForm:
    answers: dict[int, ParsedAnswer] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)


def field_name(question: Question) -> str:
    return f"q{question.id}"


def _number(raw: str) -> Decimal | None:
    try:
        number = Decimal(raw.strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _json_number(number: Decimal):
    return int(number) if number == number.to_integral_value() else float(number)


def _choices(question: Question, formdata) -> list[int] | None:
    """The chosen option ids, or None when one of them is not an option of this question."""
    valid = {o.id for o in question.options}
    chosen = []
    for raw in formdata.getlist(field_name(question)):
        raw = raw.strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) not in valid:
            return None
        if int(raw) not in chosen:
            chosen.append(int(raw))
    return chosen


def _parse_single(question, formdata):
    chosen = _choices(question, formdata)
    if chosen is None or len(chosen) > 1:
        return None, _("Please choose one of the options.")
    return (chosen[0] if chosen else None), None


def _parse_multiple(question, formdata):
    chosen = _choices(question, formdata)
    if chosen is None:
        return None, _("Please choose from the options shown.")
    if not chosen:
        return None, None
    order = [o.id for o in question.options]
    chosen.sort(key=order.index)
    low, high = question.min_choices, question.max_choices
    if low and len(chosen) < low:
        return None, ngettext(
            "Please choose at least %(num)d option.", "Please choose at least %(num)d options.", low
        )
    if high and len(chosen) > high:
        return None, ngettext(
            "Please choose at most %(num)d option.", "Please choose at most %(num)d options.", high
        )
    return chosen, None


def _parse_scale(question, formdata):
    raw = (formdata.get(field_name(question)) or "").strip()
    if not raw:
        return None, None
    if raw not in {"1", "2", "3", "4", "5"}:
        return None, _("Please choose a value from 1 to 5.")
    return int(raw), None


def _parse_number(question, formdata):
    raw = (formdata.get(field_name(question)) or "").strip()
    if not raw:
        return None, None
    number = _number(raw)
    if number is None:
        return None, _("Please enter a number.")
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            return None, _(
                "Please enter a number from %(low)s to %(high)s.",
                low=_json_number(Decimal(low)),
                high=_json_number(Decimal(high)),
            )
        if low is not None:
            return None, _("Please enter at least %(low)s.", low=_json_number(Decimal(low)))
        return None, _("Please enter at most %(high)s.", high=_json_number(Decimal(high)))
    return _json_number(number), None


def _parse_text(question, formdata):
    text = (formdata.get(field_name(question)) or "").strip().replace("\r\n", "\n")
    limit = SHORT_TEXT_MAX if question.kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
    if not text:
        return None, None
    if len(text) > limit:
        return None, _("Please write at most %(num)d characters.", num=limit)
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        return None, _("Please remove invisible control characters.")
    return text, None


def _parse_map(question, formdata):
    name = field_name(question)
    lat_raw = (formdata.get(f"{name}_lat") or "").strip()
    lon_raw = (formdata.get(f"{name}_lon") or "").strip()
    unit_raw = (formdata.get(f"{name}_territory") or "").strip()
    if lat_raw or lon_raw:
        lat, lon = parse_coordinate(lat_raw), parse_coordinate(lon_raw)
        if lat is None or lon is None:
            return None, _("The coordinates of the pin are not valid.")
        if not inside_municipality(lon, lat):
            return None, _("The place must be inside the municipality.")
        return ParsedAnswer({"lat": round(lat, 6), "lon": round(lon, 6)}, lon=lon, lat=lat), None
    if unit_raw:
        unit = db.session.get(Territory, int(unit_raw)) if unit_raw.isdigit() else None
        if unit is None:
            return None, _("Please choose a territorial unit from the list.")
        lon, lat = db.session.execute(
            select(func.ST_X(Territory.centre), func.ST_Y(Territory.centre)).where(
                Territory.id == unit.id
            )
        ).one()
        value = {"lat": round(lat, 6), "lon": round(lon, 6), "territory_id": unit.id}
        value["approximate"] = True
        return ParsedAnswer(value, lon=lon, lat=lat), None
    return None, None


def _parse_ranking(question, formdata):
    name = field_name(question)
    positions = {}
    for option in question.options:
        raw = (formdata.get(f"{name}_{option.id}") or "").strip()
        if raw:
            if not raw.isdigit() or not 1 <= int(raw) <= len(question.options):
                return None, _("Please give each option a place from the list.")
            positions[option.id] = int(raw)
    if not positions:
        return None, None
    if len(positions) != len(question.options) or len(set(positions.values())) != len(positions):
        return None, _("Please give every option a different place (1 is the most important).")
    return sorted(positions, key=positions.get), None


PARSERS = {
    QuestionKind.SINGLE: _parse_single,
    QuestionKind.MULTIPLE: _parse_multiple,
    QuestionKind.SCALE: _parse_scale,
    QuestionKind.NUMBER: _parse_number,
    QuestionKind.SHORT_TEXT: _parse_text,
    QuestionKind.LONG_TEXT: _parse_text,
    QuestionKind.MAP_POINT: _parse_map,
    QuestionKind.RANKING: _parse_ranking,
}


def parse_answers(questions: list[Question], formdata) -> ParsedForm:
    """Every answer checked: required, option ids, choice counts, bounds, place on the map."""
    parsed = ParsedForm()
    for question in questions:
        value, error = PARSERS[question.kind](question, formdata)
        if error:
            parsed.errors[question.id] = error
            continue
        if value is None:
            if question.required:
                parsed.errors[question.id] = (
                    _("Please mark the place on the map or choose the territorial unit.")
                    if question.kind == QuestionKind.MAP_POINT
                    else _("Please answer this question.")
                )
            continue
        parsed.answers[question.id] = (
            value if isinstance(value, ParsedAnswer) else ParsedAnswer(value)
        )
    return parsed
