"""The register's workbook (.xlsx): the template, reading an upload, and the
export, all in one layout so that an exported workbook imports again.

Sheets: 企业 (one row per enterprise, required), 产品, 许可证 and 重大危险源
(rows naming their enterprise by USCC). Headers are matched by their text; a
header's note in brackets (``最大储存量（吨）``) is part of it."""
import datetime as dt
import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from common.exceptions import InvalidInput

from .inputs import ACTIVITY_CHINESE, RISK_CHINESE

ENTERPRISES, PRODUCTS, LICENCES, INSTALLATIONS = "企业", "产品", "许可证", "重大危险源"
COLUMNS = {
    ENTERPRISES: [("uscc", "统一社会信用代码"), ("name", "企业名称"), ("address", "地址"), ("street", "所属街道"),
                  ("activities", "涉及活动"), ("risk", "风险等级"), ("legal_representative", "法定代表人"),
                  ("safety_contact", "安全负责人"), ("phone", "联系电话"), ("lat", "纬度"), ("lng", "经度")],
    PRODUCTS: [("uscc", "统一社会信用代码"), ("name", "产品名称"), ("cas", "CAS号"), ("un_number", "UN编号"),
               ("hazard_classes", "危险性类别"), ("max_stock", "最大储存量（吨）"), ("hazards", "危险特性"),
               ("protective_measures", "防护措施"), ("emergency_measures", "应急处置措施"),
               ("emergency_phone", "应急电话")],
    LICENCES: [("uscc", "统一社会信用代码"), ("type", "许可证类型"), ("number", "许可证编号"),
               ("valid_from", "有效期起"), ("valid_to", "有效期至")],
    INSTALLATIONS: [("uscc", "统一社会信用代码"), ("name", "重大危险源名称"), ("level", "级别")],
}
NOTES = {  # the template's second sheet: how to fill it in
    "统一社会信用代码": "18位，含校验位（GB 32100-2015）",
    "所属街道": "街道名称，如“长虹街道”",
    "涉及活动": "生产、储存、使用、经营、运输、处置，可填多项，用顿号分隔",
    "风险等级": "红、橙、黄、蓝",
    "CAS号": "如 7664-41-7，含校验位",
    "UN编号": "四位数字，如 1005",
    "有效期至": "日期，如 2027-06-30",
    "级别": "1 至 4（一级最高）",
}
MAX_ROWS = 200_000


def template() -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, columns in COLUMNS.items():
        _sheet(workbook, sheet, columns)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for header, note in NOTES.items():
        notes.append([header, note])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 60
    return _bytes(workbook)


def _sheet(workbook, name, columns):
    sheet = workbook.create_sheet(name)
    sheet.append([header for _key, header in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, (_key, header) in enumerate(columns):
        sheet.column_dimensions[sheet.cell(1, index + 1).column_letter].width = max(12, 2 * len(header) + 4)
    return sheet


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(content: bytes) -> dict[str, list[tuple[int, dict]]]:
    """Each sheet's rows as (row number, {key: value}); ``InvalidInput`` when
    the file is not a workbook of this layout."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError):
        raise InvalidInput(fields={"file": [_("Not an .xlsx workbook. Download the template and fill it in.")]})
    except Exception:  # noqa: BLE001 - any other failure of a broken file is the file's fault
        raise InvalidInput(fields={"file": [_("Not an .xlsx workbook. Download the template and fill it in.")]})
    try:
        if ENTERPRISES not in workbook.sheetnames:
            raise InvalidInput(fields={"file": [_("The workbook has no sheet named %(sheet)s.") % {
                "sheet": ENTERPRISES}]})
        found = {}
        for sheet, columns in COLUMNS.items():
            if sheet not in workbook.sheetnames:
                found[sheet] = []
                continue
            found[sheet] = _rows(workbook[sheet], sheet, columns)
        return found
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001 - a cell openpyxl cannot read
        raise InvalidInput(fields={"file": [_("Not an .xlsx workbook. Download the template and fill it in.")]})
    finally:
        workbook.close()


def _rows(sheet, name, columns) -> list[tuple[int, dict]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions = {}
    texts = [str(cell).strip() if cell is not None else "" for cell in header]
    for key, title in columns:
        if title in texts:
            positions[key] = texts.index(title)
    missing = [title for key, title in columns if key not in positions and key in ("uscc", "name", "type",
                                                                                     "number", "valid_to", "level")]
    if missing:
        raise InvalidInput(fields={"file": [_("Sheet %(sheet)s lacks the column(s) %(columns)s.") % {
            "sheet": name, "columns": "、".join(missing)}]})
    found = []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise InvalidInput(fields={"file": [_("At most %(n)d rows per sheet.") % {"n": MAX_ROWS}]})
        values = {key: (row[index] if index < len(row) else None) for key, index in positions.items()}
        values = {key: _cell(key, value) for key, value in values.items()}
        if all(value in (None, "") for value in values.values()):
            continue
        found.append((number, values))
    return found


NUMERIC = {"lat", "lng", "max_stock", "level", "un_number", "valid_from", "valid_to"}


def _cell(key: str, value):
    """A cell as the checks take it: text stripped; a number typed into a text
    column (a licence number, a phone number) as the text it shows."""
    if isinstance(value, str):
        return value.strip()
    if key not in NUMERIC and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def export(enterprises) -> bytes:
    """The enterprises (a queryset, read in chunks) with their products,
    licences and installations, in the template's layout."""
    workbook = Workbook(write_only=True)
    sheets = {}
    for name, columns in COLUMNS.items():
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        sheet.append([header for _key, header in columns])
        sheets[name] = sheet
    queryset = enterprises.select_related("street").prefetch_related("products", "licences", "installations")
    for enterprise in queryset.order_by("uscc").iterator(chunk_size=1000):
        sheets[ENTERPRISES].append([
            enterprise.uscc, enterprise.name, enterprise.address, enterprise.street.name if enterprise.street else "",
            "、".join(ACTIVITY_CHINESE.get(code, code) for code in enterprise.activities),
            RISK_CHINESE.get(enterprise.risk, ""), enterprise.legal_representative, enterprise.safety_contact,
            enterprise.phone, _number(enterprise.latitude), _number(enterprise.longitude)])
        for product in enterprise.products.all():
            sheets[PRODUCTS].append([enterprise.uscc, product.name, product.cas, product.un_number,
                                     product.hazard_classes, _number(product.max_stock), product.hazards,
                                     product.protective_measures, product.emergency_measures,
                                     product.emergency_phone])
        for licence in enterprise.licences.all():
            sheets[LICENCES].append([enterprise.uscc, licence.type, licence.number, _day(licence.valid_from),
                                     _day(licence.valid_to)])
        for installation in enterprise.installations.all():
            sheets[INSTALLATIONS].append([enterprise.uscc, installation.name, installation.level])
    return _bytes(workbook)


def _number(value):
    return float(value) if value is not None else None


def _day(value: dt.date | None):
    return value.isoformat() if value else None
