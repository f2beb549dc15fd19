"""Writes to the register. Each function is keyword-only and atomic; a refused
call changes nothing. Pages, the API, the import task and the beat call them
alike."""
import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Enterprise
from common.exceptions import Conflict, InvalidInput, NotPermitted, TooLarge
from common.inputs import clean_name
from org.models import Agency, User
from org.outbox import notify

from . import workbook
from .codes import product_code
from .inputs import Streets, clean_enterprise, clean_installation, clean_licence, clean_list, clean_product, clean_uscc
from .models import ImportJob, Installation, Licence, Product
from .rules import REGISTER_KEEPER, keeps_register

logger = logging.getLogger(__name__)

ENTERPRISE_FIELDS = ["name", "address", "street", "activities", "legal_representative", "safety_contact", "phone",
                     "latitude", "longitude", "risk"]
PRODUCT_FIELDS = ["cas", "un_number", "hazard_classes", "max_stock", "hazards", "protective_measures",
                  "emergency_measures", "emergency_phone"]
BATCH = 500


def _must_keep(actor: User) -> None:
    if not keeps_register(actor):
        raise NotPermitted(_("Only the emergency bureau and the safety office keep the register."))


# --- one enterprise (API and pages) ---------------------------------------------------------
def _clean_parts(data: dict) -> tuple[dict, dict]:
    parts, errors = {}, {}
    for field, clean in (("products", clean_product), ("licences", clean_licence),
                         ("installations", clean_installation)):
        if field in data:
            parts[field], problems = clean_list(data[field], field, clean)
            errors.update(problems)
            names = [item.get("name") if field != "licences" else (item.get("type"), item.get("number"))
                     for item in parts[field]]
            if len(names) != len(set(names)):
                errors.setdefault(field, []).append(_("The same entry is given twice."))
    return parts, errors


@transaction.atomic
def create_enterprise(*, actor: User, data) -> Enterprise:
    """Enter an enterprise in the register (or complete the draft a case
    registration left); ``Conflict`` when the register already holds it."""
    _must_keep(actor)
    if not isinstance(data, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    errors: dict = {}
    uscc = clean_uscc(data.get("uscc"), errors)
    fields, problems = clean_enterprise(data, Streets())
    errors.update(problems)
    parts, problems = _clean_parts(data)
    errors.update(problems)
    if errors:
        raise InvalidInput(fields=errors)
    enterprise = Enterprise.objects.select_for_update().filter(uscc=uscc).first()
    if enterprise is not None and not enterprise.draft:
        raise Conflict(_("The register already holds this enterprise; change it instead."), code="exists")
    if enterprise is None:
        enterprise = Enterprise(uscc=uscc)
    return _keep(enterprise, fields, parts)


@transaction.atomic
def update_enterprise(*, actor: User, enterprise: Enterprise, data) -> Enterprise:
    """Change the fields given; products, licences and installations given are
    added or updated (by product name, licence type and number, installation
    name), never removed: a product's safety code stays good."""
    _must_keep(actor)
    if not isinstance(data, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    if "uscc" in data and data["uscc"] != enterprise.uscc:
        raise InvalidInput(fields={"uscc": [_("The credit code identifies the enterprise and cannot change.")]})
    fields, errors = clean_enterprise(data, Streets(), partial=True)
    parts, problems = _clean_parts(data)
    errors.update(problems)
    if errors:
        raise InvalidInput(fields=errors)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    return _keep(enterprise, fields, parts)


def _keep(enterprise: Enterprise, fields: dict, parts: dict) -> Enterprise:
    """Write checked fields and parts: the entry is then complete (no longer a draft)."""
    for key, value in fields.items():
        setattr(enterprise, key, value)
    enterprise.draft = False
    enterprise.updated_at = timezone.now()
    enterprise.save()
    _save_parts(enterprise, parts)
    return enterprise


def _save_parts(enterprise: Enterprise, parts: dict) -> None:
    for item in parts.get("products", []):
        Product.objects.update_or_create(
            enterprise=enterprise, name=item["name"],
            defaults={key: item[key] for key in PRODUCT_FIELDS},
            create_defaults={"code": product_code(uscc=enterprise.uscc, name=item["name"]),
                             **{key: item[key] for key in PRODUCT_FIELDS}})
    for item in parts.get("licences", []):
        Licence.objects.update_or_create(enterprise=enterprise, type=item["type"], number=item["number"],
                                         defaults={"valid_from": item["valid_from"], "valid_to": item["valid_to"]})
    for item in parts.get("installations", []):
        Installation.objects.update_or_create(enterprise=enterprise, name=item["name"],
                                              defaults={"level": item["level"]})


# --- workbook import -----------------------------------------------------------------------
def max_import_bytes() -> int:
    return getattr(settings, "REGISTER_IMPORT_MAX_BYTES", 10 * 1024 * 1024)


@transaction.atomic
def start_import(*, actor: User, upload) -> ImportJob:
    """Accept a workbook for import: its size and that it opens are checked
    now; its rows by the import task (``run_import``), which the caller queues."""
    _must_keep(actor)
    if upload is None:
        raise InvalidInput(fields={"file": [_("Attach a file.")]})
    if upload.size > max_import_bytes():
        raise TooLarge(_("The workbook is larger than %(mb)d MB.") % {"mb": max_import_bytes() // (1024 * 1024)})
    content = upload.read()
    if not content.startswith(b"PK"):
        raise InvalidInput(fields={"file": [_("Not an .xlsx workbook. Download the template and fill it in.")]})
    return ImportJob.objects.create(created_by=actor, agency_id=actor.agency_id, file_name=clean_name(upload.name),
                                    content=content)


def run_import(job_id: int) -> ImportJob:
    """Check every row, then write all of them in one transaction, or nothing.
    The job's progress is saved as rows are checked, for the page to poll."""
    job = ImportJob.objects.get(pk=job_id)
    if job.finished:
        return job
    try:
        job.status = ImportJob.Status.CHECKING
        job.save(update_fields=["status"])
        try:
            sheets = workbook.read(bytes(job.content))
        except InvalidInput as error:
            return _finish(job, ImportJob.Status.REJECTED, rejected=[{"sheet": "", "row": 0, "errors": [
                str(message) for messages in error.fields.values() for message in messages]}])
        entries, rejected = check_rows(sheets, progress=lambda done, total: _progress(job, done, total))
        if rejected:
            return _finish(job, ImportJob.Status.REJECTED, rejected=rejected)
        job.status = ImportJob.Status.WRITING
        job.save(update_fields=["status"])
        created, updated = write_entries(entries=entries)
        return _finish(job, ImportJob.Status.DONE, created=created, updated=updated)
    except Exception:
        logger.exception("register import %s failed", job_id)
        return _finish(job, ImportJob.Status.FAILED, rejected=[{"sheet": "", "row": 0, "errors": [
            _("The import failed and has been logged; nothing was imported.")]}])


def _progress(job: ImportJob, done: int, total: int) -> None:
    job.processed, job.total = done, total
    ImportJob.objects.filter(pk=job.pk).update(processed=done, total=total)


def _finish(job: ImportJob, status, *, rejected=None, created=0, updated=0) -> ImportJob:
    job.status, job.created, job.updated = status, created, updated
    job.rejected = (rejected or [])[:1000]
    job.processed = job.total
    job.content = b""
    job.finished_at = timezone.now()
    job.save()
    return job


def check_rows(sheets: dict, *, progress=None) -> tuple[list[dict], list[dict]]:
    """Every row of every sheet checked; (entries to write, rejected rows)."""
    streets = Streets()
    total = sum(len(rows) for rows in sheets.values())
    done = 0
    rejected: list[dict] = []
    entries: dict[str, dict] = {}
    failed: set[str] = set()  # enterprises whose own row is wrong: their other rows are not reported for it
    headers = {sheet: dict(columns) for sheet, columns in workbook.COLUMNS.items()}

    def reject(sheet, number, errors):
        header = headers[sheet]
        rejected.append({"sheet": sheet, "row": number, "errors": [
            f"{header.get(field.split('.')[-1], header.get(field, field))}: {message}"
            for field, messages in errors.items() for message in messages]})

    def tick():
        nonlocal done
        done += 1
        if progress and done % BATCH == 0:
            progress(done, total)

    for number, row in sheets[workbook.ENTERPRISES]:
        tick()
        errors: dict = {}
        uscc = clean_uscc(row.get("uscc"), errors)
        location = None if row.get("lat") in (None, "") and row.get("lng") in (None, "") else {
            "lat": row.get("lat"), "lng": row.get("lng")}
        fields, problems = clean_enterprise({**row, "location": location}, streets)
        errors.update(problems)
        if uscc and uscc in entries:
            errors.setdefault("uscc", []).append(_("The same enterprise is on row %(row)d too.") % {
                "row": entries[uscc]["row"]})
        if errors:
            reject(workbook.ENTERPRISES, number, errors)
            if uscc:
                failed.add(uscc)
            continue
        entries[uscc] = {"row": number, "uscc": uscc, "fields": fields, "products": {}, "licences": {},
                         "installations": {}}
    known = set()
    named = {uscc for sheet in (workbook.PRODUCTS, workbook.LICENCES, workbook.INSTALLATIONS)
             for _number, row in sheets[sheet] if isinstance((uscc := row.get("uscc")), str)} - set(entries)
    for chunk in _chunks(sorted(named)):
        known |= set(Enterprise.objects.filter(uscc__in=chunk, draft=False).values_list("uscc", flat=True))
    parts = ((workbook.PRODUCTS, "products", clean_product, lambda item: item["name"]),
             (workbook.LICENCES, "licences", clean_licence, lambda item: (item["type"], item["number"])),
             (workbook.INSTALLATIONS, "installations", clean_installation, lambda item: item["name"]))
    for sheet, field, clean, key in parts:
        for number, row in sheets[sheet]:
            tick()
            errors = {}
            uscc = clean_uscc(row.get("uscc"), errors)
            item, problems = clean(row)
            errors.update(problems)
            if uscc and uscc not in entries and uscc not in known and uscc not in failed:
                errors.setdefault("uscc", []).append(_("Not in the 企业 sheet nor in the register."))
            if not errors and uscc not in failed:
                entry = entries.setdefault(uscc, {"row": None, "uscc": uscc, "fields": None, "products": {},
                                                  "licences": {}, "installations": {}})
                if key(item) in entry[field]:
                    errors.setdefault("name", []).append(_("The same entry is on row %(row)d too.") % {
                        "row": entry[field][key(item)][0]})
                else:
                    entry[field][key(item)] = (number, item)
            if errors:
                reject(sheet, number, errors)
    if progress:
        progress(total, total)
    return list(entries.values()), rejected


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


@transaction.atomic
def write_entries(*, entries: list[dict]) -> tuple[int, int]:
    """Write checked entries in one transaction: enterprises inserted or
    updated by USCC, their parts by their natural keys (nothing duplicated by
    a second import, nothing removed). Returns (created, updated)."""
    now = timezone.now()
    full = [entry for entry in entries if entry["fields"] is not None]
    existing = set()
    for chunk in _chunks([entry["uscc"] for entry in full]):
        existing |= set(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", flat=True))
    Enterprise.objects.bulk_create(
        [Enterprise(uscc=entry["uscc"], draft=False, updated_at=now, **entry["fields"]) for entry in full],
        update_conflicts=True, unique_fields=["uscc"], update_fields=[*ENTERPRISE_FIELDS, "draft", "updated_at"],
        batch_size=BATCH,
    )
    ids = {}
    for chunk in _chunks([entry["uscc"] for entry in entries]):
        ids.update(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", "id"))
    products, licences, installations = [], [], []
    for entry in entries:
        enterprise_id = ids[entry["uscc"]]
        for _number, item in entry["products"].values():
            products.append(Product(enterprise_id=enterprise_id, name=item["name"],
                                    code=product_code(uscc=entry["uscc"], name=item["name"]),
                                    **{key: item[key] for key in PRODUCT_FIELDS}))
        for _number, item in entry["licences"].values():
            licences.append(Licence(enterprise_id=enterprise_id, **item))
        for _number, item in entry["installations"].values():
            installations.append(Installation(enterprise_id=enterprise_id, **item))
    Product.objects.bulk_create(products, update_conflicts=True, unique_fields=["enterprise", "name"],
                                update_fields=PRODUCT_FIELDS, batch_size=BATCH)
    Licence.objects.bulk_create(licences, update_conflicts=True, unique_fields=["enterprise", "type", "number"],
                                update_fields=["valid_from", "valid_to"], batch_size=BATCH)
    Installation.objects.bulk_create(installations, update_conflicts=True, unique_fields=["enterprise", "name"],
                                     update_fields=["level"], batch_size=BATCH)
    return len(full) - len(existing), len(existing)


# --- licence reminders ----------------------------------------------------------------------
REMIND_DAYS = 30


@transaction.atomic
def remind_licences(*, today: dt.date | None = None) -> int:
    """30 days before a licence expires, its supervising agencies are told
    once (the emergency bureau's leaders and the leaders of the enterprise's
    street) through the outbox. A renewed licence (a later expiry) is reminded
    again. Returns the number of licences reminded."""
    today = today or timezone.localdate()
    due = list(Licence.objects.select_for_update(skip_locked=True, of=("self",))
               .filter(valid_to__gte=today, valid_to__lte=today + dt.timedelta(days=REMIND_DAYS))
               .exclude(reminded_for=F("valid_to")).select_related("enterprise"))
    if not due:
        return 0
    keeper = Agency.objects.filter(code=REGISTER_KEEPER).first()
    leaders = {}
    for user in User.objects.filter(is_active=True, role=User.Role.LEADER).exclude(agency=None):
        leaders.setdefault(user.agency_id, []).append(user)
    for licence in due:
        enterprise = licence.enterprise
        recipients = [*leaders.get(getattr(keeper, "pk", None), []), *leaders.get(enterprise.street_id, [])]
        notify(recipients=recipients,
               subject=_("Licence expires on %(day)s: %(enterprise)s") % {"day": licence.valid_to.isoformat(),
                                                                          "enterprise": enterprise.name},
               body=_("%(type)s %(number)s of %(enterprise)s (%(uscc)s) expires on %(day)s.") % {
                   "type": licence.type, "number": licence.number, "enterprise": enterprise.name,
                   "uscc": enterprise.uscc, "day": licence.valid_to.isoformat()},
               link=reverse("register:enterprise", kwargs={"uscc": enterprise.uscc}))
        licence.reminded_for = licence.valid_to
    Licence.objects.bulk_update(due, ["reminded_for"], batch_size=BATCH)
    return len(due)

