"""Entering a year's official holiday notice in the admin: the holidays and
the make-up working days (调休) as lines of dates or ranges, saved as that
year's ``CalendarDay`` rows."""
import datetime as dt
import re

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .calendar import calendar_problems, entered_years, package_version, package_years
from .models import CalendarDay, CalendarYear

_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:(?:\.\.|~|～|至|to)\s*(\d{4}-\d{2}-\d{2}))?\s*(?:#.*)?$")


def parse_days(text: str, year: int) -> list[dt.date]:
    """Lines of ``YYYY-MM-DD`` or ``YYYY-MM-DD..YYYY-MM-DD`` (``#`` starts a
    comment), every day in ``year``; a ``forms.ValidationError`` naming the line."""
    days = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.strip().startswith("#"):
            continue
        match = _RANGE.match(line)
        try:
            first = dt.date.fromisoformat(match.group(1)) if match else None
            last = dt.date.fromisoformat(match.group(2)) if match and match.group(2) else first
        except ValueError:
            first = None
        if first is None or last < first or (last - first).days > 31:
            raise forms.ValidationError(_("Line %(n)d: write a date (2027-01-01) or a range (2027-02-06..2027-02-14).")
                                        % {"n": number})
        if first.year != year or last.year != year:
            raise forms.ValidationError(_("Line %(n)d: the day is not in %(year)d.") % {"n": number, "year": year})
        days.extend(first + dt.timedelta(days=offset) for offset in range((last - first).days + 1))
    return days


def _lines(days: list[dt.date]) -> str:
    """Days as lines, consecutive days as one range."""
    lines, run = [], []
    for day in sorted(days):
        if run and day == run[-1] + dt.timedelta(days=1):
            run.append(day)
            continue
        if run:
            lines.append(run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}..{run[-1].isoformat()}")
        run = [day]
    if run:
        lines.append(run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}..{run[-1].isoformat()}")
    return "\n".join(lines)


class CalendarYearForm(forms.ModelForm):
    holidays = forms.CharField(
        label=gettext_lazy("Holidays"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Every day off of the notice, weekends within a holiday included: one date or range "
                               "per line, for example 2027-02-06..2027-02-14."))
    workdays = forms.CharField(
        label=gettext_lazy("Make-up working days (调休)"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Saturdays and Sundays the notice makes working days, one per line."))

    class Meta:
        model = CalendarYear
        fields = ["year", "notice", "known"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            rows = CalendarDay.objects.filter(date__year=self.instance.year)
            self.initial["holidays"] = _lines([r.date for r in rows if not r.is_working_day])
            self.initial["workdays"] = _lines([r.date for r in rows if r.is_working_day])

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year is None:
            return data
        try:
            holidays = parse_days(data.get("holidays", ""), year)
        except forms.ValidationError as error:
            self.add_error("holidays", error)
            return data
        try:
            workdays = parse_days(data.get("workdays", ""), year)
        except forms.ValidationError as error:
            self.add_error("workdays", error)
            return data
        if set(holidays) & set(workdays):
            self.add_error("workdays", _("A day cannot be both a holiday and a working day."))
        if data.get("known") and not holidays:
            self.add_error("holidays", _("A notice always names holidays: enter them before marking the year complete."))
        data["holidays"], data["workdays"] = holidays, workdays
        return data


@transaction.atomic
def save_notice_days(year: CalendarYear, holidays: list[dt.date], workdays: list[dt.date]) -> None:
    """The year's ``CalendarDay`` rows become exactly the notice's days."""
    note = (year.notice or _("Notice for %(year)d") % {"year": year.year})[:100]
    CalendarDay.objects.filter(date__year=year.year).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=day, is_working_day=False, note=note) for day in sorted(set(holidays))]
        + [CalendarDay(date=day, is_working_day=True, note=note) for day in sorted(set(workdays))])
    from common.refcache import clear

    clear(CalendarDay._meta.label_lower, CalendarYear._meta.label_lower)


def year_summary() -> dict:
    """What the admin's list of calendar years says above the list."""
    years = package_years()
    entered = sorted(entered_years())
    known = _("Known years: %(first)d–%(last)d from the chinese-calendar package %(version)s") % {
        "first": years.start, "last": years.stop - 1, "version": package_version()}
    if entered:
        known += _("; entered from official notices: %(years)s") % {"years": ", ".join(map(str, entered))}
    return {"known": known + ".", "problems": calendar_problems()}
