"""Checking what the register is given, written once for the API, the pages
and the workbook import: each ``clean_*`` returns the cleaned values and a
dict of field -> [messages] (empty when all is well); nothing here writes.

Text is refused with a control character or a lone surrogate
(``common.inputs.text_problem``); the USCC is checked with python-stdnum
(``cases.validators``), the CAS number by its check digit, the UN number as
four digits."""
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cases.models import Activity, Risk
from cases.validators import is_valid_cas, is_valid_uscc, normalize_un, validate_un
from common.inputs import text_problem
from org.models import Agency

RISK_WORDS = {"红": Risk.RED, "红色": Risk.RED, "橙": Risk.ORANGE, "橙色": Risk.ORANGE, "黄": Risk.YELLOW,
              "黄色": Risk.YELLOW, "蓝": Risk.BLUE, "蓝色": Risk.BLUE}
RISK_CHINESE = {Risk.RED: "红", Risk.ORANGE: "橙", Risk.YELLOW: "黄", Risk.BLUE: "蓝"}
ACTIVITY_WORDS = {"生产": Activity.PRODUCTION, "储存": Activity.STORAGE, "使用": Activity.USE,
                  "经营": Activity.OPERATION, "运输": Activity.TRANSPORT, "处置": Activity.DISPOSAL}
ACTIVITY_CHINESE = {code: word for word, code in ACTIVITY_WORDS.items()}

ENTERPRISE_TEXT = {"name": 200, "address": 300, "legal_representative": 100, "safety_contact": 100, "phone": 40}
PRODUCT_TEXT = {"name": 200, "hazard_classes": 200, "hazards": 2000, "protective_measures": 2000,
                "emergency_measures": 2000, "emergency_phone": 40}


class Streets:
    """The sub-district offices by code (``street_changhong``), short code (``changhong``) and name (长虹街道)."""

    def __init__(self):
        self.by_key = {}
        for street in Agency.objects.streets():
            self.by_key[street.code] = street
            self.by_key[street.code.removeprefix("street_")] = street
            self.by_key[street.name] = street

    def get(self, value):
        return self.by_key.get(value.strip()) if isinstance(value, str) else None


def _text(value, field, errors, *, max_length, required=False):
    if value is None:
        value = ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and field in ("phone",
                                                                                              "emergency_phone"):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        errors.setdefault(field, []).append(_("Must be text."))
        return ""
    problem = text_problem(value)
    if problem:
        errors.setdefault(field, []).append(problem)
        return ""
    value = value.strip()
    if required and not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > max_length:
        errors.setdefault(field, []).append(_("At most %(n)d characters.") % {"n": max_length})
    return value


def clean_uscc(value, errors, field="uscc") -> str:
    if not isinstance(value, str) or not is_valid_uscc(value.strip().upper()):
        errors.setdefault(field, []).append(
            _("Not a valid unified social credit code (18 characters, GB 32100-2015 check digit)."))
        return ""
    return value.strip().upper()


def _words(value) -> list:
    if isinstance(value, str):
        for separator in "、，,;；/ ":
            value = value.replace(separator, ",")
        return [word for word in value.split(",") if word]
    return value


def _decimal(value, field, errors, *, low, high, places):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        errors.setdefault(field, []).append(_("Must be a number."))
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.setdefault(field, []).append(_("Must be a number."))
        return None
    if not number.is_finite() or not low <= number <= high:
        errors.setdefault(field, []).append(_("Must be a number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return None
    return round(number, places)


def _date(value, field, errors, *, required):
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(value.strip()) if isinstance(value, str) else None
        except ValueError:
            day = None
    if day is None or not 1950 <= day.year <= 2100:
        errors.setdefault(field, []).append(_("Must be a date such as 2027-06-30."))
        return None
    return day


def clean_enterprise(data: dict, streets: Streets, *, partial: bool = False) -> tuple[dict, dict]:
    """The enterprise's own fields (not its licences, installations, products).
    ``partial``: only the fields given (PATCH)."""
    errors: dict = {}
    cleaned: dict = {}
    for field, limit in ENTERPRISE_TEXT.items():
        if partial and field not in data:
            continue
        cleaned[field] = _text(data.get(field), field, errors, max_length=limit, required=field == "name")
    if not partial or "street" in data:
        street = streets.get(data.get("street"))
        if street is None:
            errors.setdefault("street", []).append(_("Not a sub-district office of the district."))
        cleaned["street"] = street
    if not partial or "risk" in data:
        risk = data.get("risk") or ""
        if isinstance(risk, str):
            risk = RISK_WORDS.get(risk.strip(), risk.strip())
        if risk not in ("", *Risk.values):
            errors.setdefault("risk", []).append(_("Must be red, orange, yellow or blue (红/橙/黄/蓝)."))
        cleaned["risk"] = risk if isinstance(risk, str) else ""
    if not partial or "activities" in data:
        words = _words(data.get("activities") or [])
        if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
            errors.setdefault("activities", []).append(_("Must be a list of activities."))
            words = []
        codes = [ACTIVITY_WORDS.get(word.strip(), word.strip()) for word in words]
        unknown = [code for code in codes if code not in Activity.values]
        if unknown:
            errors.setdefault("activities", []).append(
                _("Unknown activity: %(words)s (production, storage, use, operation, transport, disposal).")
                % {"words": "、".join(unknown)[:100]})
        cleaned["activities"] = [code for code in Activity.values if code in codes]
    if not partial or "location" in data:
        location = data.get("location")
        if location in (None, ""):
            cleaned["latitude"] = cleaned["longitude"] = None
        elif not isinstance(location, dict):
            errors.setdefault("location", []).append(_("Must be an object {lat, lng}."))
        else:
            cleaned["latitude"] = _decimal(location.get("lat"), "location", errors, low=-90, high=90, places=6)
            cleaned["longitude"] = _decimal(location.get("lng"), "location", errors, low=-180, high=180, places=6)
            if (cleaned["latitude"] is None) != (cleaned["longitude"] is None):
                errors.setdefault("location", []).append(_("Give both latitude and longitude."))
    return cleaned, errors


def clean_product(data, *, prefix="") -> tuple[dict, dict]:
    errors: dict = {}
    if not isinstance(data, dict):
        return {}, {prefix.rstrip(".") or "products": [_("Must be an object.")]}
    cleaned = {field: _text(data.get(field), prefix + field, errors, max_length=limit, required=field == "name")
               for field, limit in PRODUCT_TEXT.items()}
    cas = data.get("cas") or ""
    if not isinstance(cas, str) or (cas.strip() and not is_valid_cas(cas.strip())):
        errors.setdefault(prefix + "cas", []).append(
            _("Not a valid CAS number (such as 7664-41-7, with its check digit)."))
        cas = ""
    cleaned["cas"] = cas.strip()
    un = data.get("un_number") or ""
    if isinstance(un, int) and not isinstance(un, bool):
        un = f"{un:04d}"
    if not isinstance(un, str):
        un = "x"
    if un.strip():
        try:
            validate_un(un)
        except Exception:  # noqa: BLE001 - a ValidationError: reported beside the field
            errors.setdefault(prefix + "un_number", []).append(_("Not a valid UN number (four digits, such as 1005)."))
    cleaned["un_number"] = normalize_un(un) if un.strip() and prefix + "un_number" not in errors else ""
    cleaned["max_stock"] = _decimal(data.get("max_stock"), prefix + "max_stock", errors, low=0, high=10 ** 8,
                                    places=3)
    return cleaned, errors


def clean_licence(data, *, prefix="") -> tuple[dict, dict]:
    errors: dict = {}
    if not isinstance(data, dict):
        return {}, {prefix.rstrip(".") or "licences": [_("Must be an object.")]}
    cleaned = {"type": _text(data.get("type"), prefix + "type", errors, max_length=100, required=True),
               "number": _text(data.get("number"), prefix + "number", errors, max_length=100, required=True),
               "valid_from": _date(data.get("valid_from"), prefix + "valid_from", errors, required=False),
               "valid_to": _date(data.get("valid_to"), prefix + "valid_to", errors, required=True)}
    if cleaned["valid_from"] and cleaned["valid_to"] and cleaned["valid_from"] > cleaned["valid_to"]:
        errors.setdefault(prefix + "valid_to", []).append(_("Ends before it starts."))
    return cleaned, errors


def clean_installation(data, *, prefix="") -> tuple[dict, dict]:
    errors: dict = {}
    if not isinstance(data, dict):
        return {}, {prefix.rstrip(".") or "installations": [_("Must be an object.")]}
    name = _text(data.get("name"), prefix + "name", errors, max_length=200, required=True)
    level = data.get("level")
    if isinstance(level, str) and level.strip() in ("1", "2", "3", "4", "一级", "二级", "三级", "四级"):
        level = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}.get(level.strip()) or int(level.strip())
    if isinstance(level, float) and level.is_integer():
        level = int(level)
    if isinstance(level, bool) or level not in (1, 2, 3, 4):
        errors.setdefault(prefix + "level", []).append(_("Must be a level from 1 to 4."))
        level = None
    return {"name": name, "level": level}, errors


def clean_list(items, field, clean) -> tuple[list, dict]:
    """A list of parts (products, licences, installations), each checked; their
    errors named ``field.N.key``."""
    if items is None:
        return [], {}
    if not isinstance(items, list):
        return [], {field: [_("Must be a list.")]}
    if len(items) > 500:
        return [], {field: [_("At most 500 entries.")]}
    cleaned, errors = [], {}
    for index, item in enumerate(items):
        value, problems = clean(item, prefix=f"{field}.{index}.")
        cleaned.append(value)
        errors.update(problems)
    return cleaned, errors


FLAGS = {"1": True, "true": True, "on": True, "yes": True, "0": False, "false": False, "off": False, "no": False,
         "": False}


def clean_filters(params, streets: Streets) -> tuple[dict, dict]:
    """The list's filters from a query string; (filters, errors)."""
    errors: dict = {}
    found: dict = {}
    q = _text(params.get("q") or "", "q", errors, max_length=100)
    if q:
        found["q"] = q
    if params.get("street"):
        street = streets.get(params["street"])
        if street is None:
            errors.setdefault("street", []).append(_("Not a sub-district office of the district."))
        else:
            found["street"] = street.code
    for field, values in (("activity", Activity.values), ("risk", Risk.values)):
        value = params.get(field) or ""
        if value:
            if value not in values:
                errors.setdefault(field, []).append(_("Must be one of: %(values)s.") % {"values": ", ".join(values)})
            else:
                found[field] = value
    for field in ("licence_expiring", "open_hazards"):
        value = params.get(field) or ""
        if value.lower() not in FLAGS:
            errors.setdefault(field, []).append(_("Must be true or false."))
        elif FLAGS[value.lower()]:
            found[field] = True
    return found, errors
