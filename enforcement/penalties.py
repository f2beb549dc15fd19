"""Administrative penalties (行政处罚): the provisions with their fine ranges and
the amounts the procedure turns on, as reference data (enforcement/data/
provisions.json, penalty_settings.json; loaded by a migration, edited in the
admin, held in memory), and the rules that read them. Each rule has its home
here; the penalty kind's forms (flows/kinds/penalty/) call them.

A fact not checked against its text is shown "（待核对）" until an
administrator confirms it (docs/rules.md)."""
import json
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.refcache import cached

from .models import PenaltySetting, Provision

DATA = Path(__file__).resolve().parent / "data"

# the penalties besides a fine (行政处罚法 art 9), and those that give the party a hearing whatever the amount (art 63)
OTHER_PENALTIES = (
    ("warning", _lazy("Warning (警告)")),
    ("confiscate_gains", _lazy("Confiscation of illegal gains (没收违法所得)")),
    ("confiscate_goods", _lazy("Confiscation of illegal property (没收非法财物)")),
    ("suspend", _lazy("Suspension of production or business (责令停产停业)")),
    ("revoke", _lazy("Suspension or revocation of a licence (暂扣或者吊销许可证件)")),
    ("close", _lazy("Closure (责令关闭)")),
    ("restrict", _lazy("Restriction from the trade (限制从业)")),
)
# the words documents of record use, in Chinese whatever the officer's language
OTHER_PENALTIES_ZH = {"warning": "警告", "confiscate_gains": "没收违法所得", "confiscate_goods": "没收非法财物",
                      "suspend": "责令停产停业", "revoke": "暂扣或者吊销许可证件", "close": "责令关闭",
                      "restrict": "限制从业"}
HEARING_PENALTIES = frozenset({"suspend", "revoke", "close", "restrict"})


def load_provisions(provision_model=None, setting_model=None) -> int:
    """Add the provisions and settings missing from the tables (never overwriting an edit)."""
    provision_model = provision_model or Provision
    setting_model = setting_model or PenaltySetting
    rows = json.loads((DATA / "provisions.json").read_text(encoding="utf-8"))["provisions"]
    for row in rows:
        provision_model.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    settings = json.loads((DATA / "penalty_settings.json").read_text(encoding="utf-8"))["settings"]
    for row in settings:
        setting_model.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    return len(rows)


def provisions() -> dict[str, Provision]:
    return cached(Provision._meta.label_lower, lambda: {p.code: p for p in Provision.objects.all()})


def setting(code: str) -> PenaltySetting:
    return cached(PenaltySetting._meta.label_lower, lambda: {s.code: s for s in PenaltySetting.objects.all()})[code]


def provision_choices(on=None) -> list[tuple[str, str]]:
    """The provisions offered to officers: active and in force on ``on`` (today)."""
    on = on or timezone.localdate()
    return [(p.code, provision_label(p)) for p in provisions().values()
            if p.active and (p.in_force_from is None or p.in_force_from <= on)
            and (p.in_force_until is None or on <= p.in_force_until)]


def sure_note(item) -> str:
    """"" for a checked or confirmed fact, else "（待核对）"."""
    return "" if item.is_sure else str(_("(to be confirmed)"))


def yuan(amount) -> str:
    amount = Decimal(amount)
    return f"{amount:,.0f}" if amount == amount.to_integral() else f"{amount:,.2f}"


def fine_range(provision: Provision) -> str:
    if provision.fine_max is None:
        return str(_("no fine of its own"))
    if not provision.fine_min:
        return _("at most %(max)s yuan") % {"max": yuan(provision.fine_max)}
    return _("%(min)s to %(max)s yuan") % {"min": yuan(provision.fine_min), "max": yuan(provision.fine_max)}


def provision_label(provision: Provision) -> str:
    """《条例》第八十条（2013年修订）：summary — 5万 to 10万 yuan（待核对）."""
    return f"《{provision.law}》{provision.article}（{provision.version}）：{provision.summary} — " \
           f"{fine_range(provision)}{sure_note(provision)}"


def check_amount(provision: Provision, amount: Decimal) -> str | None:
    """Why ``amount`` is refused under ``provision`` (its range in the message), or None."""
    if amount < 0:
        return str(_("A fine cannot be negative."))
    if provision.fine_max is None:
        return None if amount == 0 else _(
            "%(provision)s sets no fine of its own: the fine follows the law it refers to.") % {
            "provision": str(provision)}
    if amount < provision.fine_min or amount > provision.fine_max:
        return _("%(provision)s allows a fine of %(range)s; %(amount)s yuan is outside it.%(note)s") % {
            "provision": str(provision), "range": fine_range(provision), "amount": yuan(amount),
            "note": sure_note(provision)}
    return None


def hearing_offered(*, amount: Decimal, others, party_is_person: bool = False) -> bool:
    """The party may ask for a hearing (行政处罚法 art 63): a large fine (较大数额,
    a setting) or a suspension, revocation, closure or restriction whatever the amount."""
    code = "hearing_amount_person" if party_is_person else "hearing_amount_unit"
    return amount >= setting(code).amount or bool(HEARING_PENALTIES & set(others or ()))


def needs_collective_discussion(*, amount: Decimal, others) -> bool:
    """集体讨论 (行政处罚法 art 57, 情节复杂或者重大违法行为): from the setting's
    amount up, or a penalty that gives a hearing whatever the amount."""
    return amount >= setting("collective_discussion_amount").amount or bool(HEARING_PENALTIES & set(others or ()))


def setting_note(code: str) -> str:
    """The setting's figure and basis, for a refusal that cites it."""
    row = setting(code)
    return _("%(label)s: %(amount)s yuan (%(basis)s)%(note)s") % {
        "label": row.label, "amount": yuan(row.amount), "basis": row.basis, "note": sure_note(row)}
