"""Reference data of the documents: their types with the words the law gives
them, and each agency's numbering pattern (enforcement/data/). Loaded by a
migration; afterwards an administrator edits them in the admin, and loading
again never overwrites an edit."""
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load_document_types(type_model=None) -> int:
    if type_model is None:
        from .models import DocumentType as type_model  # noqa: N813
    rows = json.loads((DATA / "document_types.json").read_text(encoding="utf-8"))["types"]
    for row in rows:
        type_model.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    return len(rows)


def load_numbering(rule_model=None, agency_model=None) -> int:
    if rule_model is None:
        from org.models import Agency as agency_model  # noqa: N813

        from .models import NumberingRule as rule_model  # noqa: N813
    rules = json.loads((DATA / "numbering.json").read_text(encoding="utf-8"))["rules"]
    agencies = {agency.code: agency for agency in agency_model.objects.filter(code__in=rules)}
    for code, pattern in rules.items():
        if code in agencies:
            rule_model.objects.get_or_create(agency=agencies[code], defaults={"pattern": pattern})
    return len(agencies)
