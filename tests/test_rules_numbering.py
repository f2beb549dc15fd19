"""Document numbers (文号): one gap-free serial per agency, type and year,
starting at 1, written in the agency's pattern (or its name when it has none)."""
from enforcement.documents import FALLBACK_PATTERN, document_types, format_number, next_serial, numbering_patterns
from enforcement.models import DocumentSequence, NumberingRule
from org.models import Agency


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def test_serials_count_from_one_per_agency_type_and_year():
    emergency, ecology = agency("emergency"), agency("ecology")
    assert [next_serial(agency=emergency, type="rectification_order", year=2026) for _ in range(3)] == [1, 2, 3]
    assert next_serial(agency=emergency, type="review_opinion", year=2026) == 1      # another type
    assert next_serial(agency=emergency, type="rectification_order", year=2027) == 1  # another year
    assert next_serial(agency=ecology, type="rectification_order", year=2026) == 1    # another agency
    assert next_serial(agency=emergency, type="rectification_order", year=2026) == 4
    assert DocumentSequence.objects.get(agency=emergency, type="rectification_order", year=2026).last == 4


def test_a_number_is_written_in_the_agencys_pattern():
    order = document_types()["rectification_order"]
    assert numbering_patterns()[agency("emergency").pk] == "南开应急{type}〔{year}〕{serial}号"
    assert format_number(agency=agency("emergency"), doc_type=order, year=2026, serial=7) == "南开应急责改〔2026〕7号"
    assert format_number(agency=agency("ecology"), doc_type=order, year=2027, serial=12) == "南开环责改〔2027〕12号"


def test_an_agency_without_a_pattern_is_numbered_by_its_name():
    NumberingRule.objects.filter(agency__code="emergency").delete()
    emergency = agency("emergency")
    assert emergency.pk not in numbering_patterns()
    order = document_types()["rectification_order"]
    assert FALLBACK_PATTERN == "{agency}{type}〔{year}〕{serial}号"
    assert format_number(agency=emergency, doc_type=order, year=2026, serial=3) == f"{emergency.name}责改〔2026〕3号"
    # the other agencies keep theirs
    assert format_number(agency=agency("ecology"), doc_type=order, year=2026, serial=3) == "南开环责改〔2026〕3号"


def test_an_administrators_new_pattern_numbers_the_next_document_at_once():
    order, emergency = document_types()["rectification_order"], agency("emergency")
    assert format_number(agency=emergency, doc_type=order, year=2026, serial=1) == "南开应急责改〔2026〕1号"
    rule = NumberingRule.objects.get(agency=emergency)
    rule.pattern = "津南开应急{type}〔{year}〕第{serial}号"       # saved in the admin
    rule.save()
    assert format_number(agency=emergency, doc_type=order, year=2026, serial=2) == "津南开应急责改〔2026〕第2号"
