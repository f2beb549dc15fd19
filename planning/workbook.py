"""The district's monthly report as an Excel workbook (openpyxl): case
figures (the stats API's, from the same function), the month's reports on
the key tasks, each task's progress by unit (the state the task page shows),
the quarter's summaries, and the units late with their report. The words are
the models' own labels in Chinese, whatever the user's language."""
import calendar
import datetime as dt
import io

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import ProgressReport, ReportEntry
from .progress import progress_table
from .reports import QUARTER_END_MONTHS, format_period, late_units
from .stats import PUNCTUALITY_LABELS, dimension_labels, labelled, period_stats

HEADER_FILL = PatternFill("solid", fgColor="1F4E8C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
FIGURES = ["opened", "closed", "overdue", "supervised", "closure_rate"]
FIGURE_HEADERS = ["新增案件", "销号案件", "逾期案件", "挂牌督办", "销号率"]


def monthly_workbook(period: dt.date) -> bytes:
    stats = period_stats(period)
    book = Workbook()
    with translation.override("zh-hans"):  # the district's document is in Chinese
        _case_sheet(book.active, stats)
        _progress_sheet(book.create_sheet("重点任务月度进展"), period)
        _units_sheet(book.create_sheet("重点任务进展（按单位）"), period)
        _quarterly_sheet(book.create_sheet("季度总结"), period)
        _late_sheet(book.create_sheet("逾期未报单位"), period, stats)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _case_sheet(sheet, stats):
    sheet.title = "案件统计"
    labels = dimension_labels()
    rows = [["维度", "分类", *FIGURE_HEADERS], ["合计", f"{stats['period']}", *_values(stats["totals"])]]
    for dimension, title in (("by_kind", "案件类型"), ("by_grade", "隐患等级"), ("by_agency", "牵头单位"), ("by_street", "街道")):
        for row in labelled(stats[dimension], dimension[3:], labels):
            rows.append([title, row["label"], *_values(row)])
    rows.append(["销号用时中位数（天）", "", stats["median_days_to_close"] if stats["median_days_to_close"] is not None else "—"])
    _write(sheet, rows)
    for row in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0%"


def _values(figures):
    return [figures[key] if figures[key] is not None else "—" for key in FIGURES]


def _entries(period, kind):
    return (
        ReportEntry.objects.filter(report__period=period, report__kind=kind)
        .exclude(report__status=ProgressReport.Status.DRAFT)
        .select_related("report__agency", "task")
        .order_by("report__agency__code", "task__number")
    )


def _progress_sheet(sheet, period):
    rows = [["责任单位", "重点任务", "任务内容", "进展状态", "工作进展", "报告状态"]]
    for entry in _entries(period, ProgressReport.Kind.MONTHLY):
        rows.append([entry.report.agency.name, entry.task.number, entry.task.text, entry.get_status_display(),
                     entry.progress, entry.report.get_status_display()])
    _write(sheet, rows, wrap_columns={3, 5})


def _units_sheet(sheet, period):
    """Each task's units as of the month's last day (or today, within the month)."""
    last_day = period.replace(day=calendar.monthrange(period.year, period.month)[1])
    rows = [["重点任务", "任务内容", "完成时限", "单位", "职责", "方案所指", "进展状态", "未按期完成", "最近报送"]]
    for row in progress_table(today=min(last_day, timezone.localdate())):
        for unit in row.units:
            last = unit.last
            rows.append([row.task.number, row.task.text, row.task.deadline_text, unit.agency.name,
                         str(unit.role_label), unit.stands_for, str(unit.state_label), "；".join(unit.missed),
                         f"{format_period(last.report.period)} {last.get_status_display()}" if last else "—"])
    _write(sheet, rows, wrap_columns={2, 8})


def _quarterly_sheet(sheet, period):
    """The summaries of the quarter the month ends (or of the last quarter ended before it)."""
    month = max((m for m in QUARTER_END_MONTHS if m <= period.month), default=None)
    quarter = period.replace(month=month) if month else dt.date(period.year - 1, 12, 1)
    rows = [["责任单位", "季度", "重点任务", "任务内容", "进展状态", "季度总结", "报告状态"]]
    label = f"{quarter.year}年第{(quarter.month - 1) // 3 + 1}季度"
    for entry in _entries(quarter, ProgressReport.Kind.QUARTERLY):
        rows.append([entry.report.agency.name, label, entry.task.number, entry.task.text,
                     entry.get_status_display(), entry.progress, entry.report.get_status_display()])
    _write(sheet, rows, wrap_columns={4, 6})


def _late_sheet(sheet, period, stats):
    rows = [["单位", "报送情况", "报送时间"]]
    late = {row["agency"].code for row in late_units(period)}
    for row in stats["report_punctuality"]:
        if row["agency"] in late or row["state"] in ("late", "missing"):
            rows.append([row["name"], str(PUNCTUALITY_LABELS[row["state"]]), row["submitted_at"] or "—"])
    _write(sheet, rows)


def _write(sheet, rows, wrap_columns=frozenset()):
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        width = max(_display_width(cell.value) for cell in column)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        if index in wrap_columns:
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _display_width(value) -> int:
    """Characters as Excel shows them: a Chinese character is two columns wide."""
    text = "" if value is None else str(value)
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


