"""Demo cases (演示数据) for ``make run``: a first login finds a working desk.

Every case is walked through the same services the pages and the API call
(``flows.services``), by the demo users of ``seed_demo``, so each one is a
case the system itself could have produced: every kind, in every state, some
overdue and escalated, one major hazard listed for supervision (挂牌督办),
documents issued by their steps, a campaign, and the units' monthly reports.
Overdue cases are made by moving their open tasks' due times into the past
and running the escalation scan, as a late agency would leave them.
"""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cases.validators import uscc_check_char
from flows import services
from flows.models import OPEN_STATUSES, CaseTask
from org.models import User
from planning.campaigns import open_campaign
from planning.models import PlanPeriod, PlanTask
from planning.reports import format_period, save_report
from supervision.escalation import scan
from supervision.listings import list_case

DEMO_SOURCE = "演示数据"

ENTERPRISES = [
    ("天津长虹化工有限公司", "南开区长虹路18号", "changhong"),
    ("天津鼓楼精细化学品有限公司", "南开区鼓楼东街6号", "gulou"),
    ("天津华苑化学试剂有限公司", "南开区华苑路96号", "huayuan"),
    ("天津学府加油站有限公司", "南开区学府路2号", "xuefu"),
    ("天津万兴气体有限公司", "南开区万兴街11号", "wanxing"),
    ("天津体育中心涂料经营部", "南开区宾水西道3号", "tiyuzhongxin"),
]


def _uscc(serial: int) -> str:
    body = f"91120104MA0{serial:06d}"[:17]
    return body + uscc_check_char(body)


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _register(n: int, kind: str, title: str, description: str, by: str = "street_changhong_officer1") -> Case:
    name, address, street = ENTERPRISES[n % len(ENTERPRISES)]
    return services.open_case(actor=_user(by), data={
        "kind": kind, "title": title, "description": description, "address": address, "street": street,
        "enterprise_name": name, "enterprise_uscc": _uscc(n + 1), "source": DEMO_SOURCE})


def _do(case: Case, who: str, step: str, action: str, agency: str | None = None, **data) -> None:
    """Complete the case's open task of ``step`` (of ``agency``'s queue) as ``who``."""
    tasks = CaseTask.objects.filter(case_id=case.pk, flow_task_type="HUMAN", status__in=OPEN_STATUSES)
    task = next(t for t in tasks.select_related("agency") if t.step == step and (agency is None or t.agency.code == agency))
    services.complete_task(user=_user(who), task_id=task.pk, action=action, data=data)


def _later(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _hazard(n: int, title: str, *, grade: str = "general", until: str = "closed") -> Case:
    """A hidden hazard (事故隐患) walked as far as ``until``: verify, consult,
    order, rectify, review or closed."""
    case = _register(n, "hazard", title, f"{title}，街道巡查发现")
    if until == "verify":
        return case
    extra = {"criteria": [5], "agencies": ["police"]} if grade == "major" else {"agencies": []}
    _do(case, "emergency_officer1", "verify", "confirm", grade=grade, note="现场核实属实", **extra)
    if grade == "major":
        if until == "consult":
            return case
        _do(case, "emergency_officer1", "consult", "agree", agency="emergency", opinion="同意按重大隐患处理")
        _do(case, "police_officer1", "consult", "agree", agency="police", opinion="同意")
    if until == "order":
        return case
    _do(case, "emergency_officer1", "order", "issue", deadline=_later(30), measures="按规范完成整改并建立台账",
        responsible_person="企业安全负责人", funds="企业自筹", contingency_plan="整改期间专人值守")
    if until == "rectify":
        return case
    _do(case, "emergency_officer1", "rectify", "submit", report="已按整改指令完成整改")
    if until == "review":
        return case
    _do(case, "emergency_officer2", "review", "pass", note="现场复查合格")
    closer = "safety_office_officer1" if grade == "major" else "emergency_leader"
    _do(case, closer, "close", "approve", note="同意销号")
    return case


def _illegal_site(n: int, title: str, *, until: str = "closed") -> Case:
    case = _register(n, "illegal_site", title, f"{title}，群众举报")
    _do(case, "emergency_officer1", "verify", "confirm", note="现场核实")
    if until == "inspect":
        return case
    street = case.street.code
    for agency, who in (("emergency", "emergency_officer1"), ("police", "police_officer1"),
                        (street, f"{street}_officer1")):
        _do(case, who, "inspect", "record", agency=agency, findings="现场存放危险化学品，无任何许可")
    _do(case, "emergency_officer1", "decide", "ban", measures="立即取缔，清运危险化学品", deadline=_later(15),
        refer_police=True, referral_reason="涉嫌非法储存危险物质", documents=["transfer_letter", "investigation_report"])
    _do(case, "emergency_leader", "approve_referral", "approve")
    if until == "police_review":
        return case
    _do(case, "police_officer1", "police_review", "accept", police_case_no=f"津公南刑{timezone.localdate():%Y}-{n:04d}")
    if until == "rectify":
        return case
    _do(case, "emergency_officer1", "rectify", "submit", report="已清运并拆除")
    _do(case, "emergency_officer2", "review", "pass", note="回头看未发现复燃")
    _do(case, "emergency_leader", "close", "approve")
    return case


def _waste(n: int, title: str, *, until: str = "closed") -> Case:
    case = _register(n, "waste_referral", title, f"{title}，巡查发现")
    _do(case, "ecology_officer1", "verify", "confirm", note="属危险废物")
    if until == "consult":
        return case
    _do(case, "ecology_officer1", "consult", "agree", agency="ecology", opinion="同意")
    _do(case, "emergency_officer1", "consult", "agree", agency="emergency", opinion="同意，注意防爆")
    _do(case, "ecology_officer1", "order", "issue", deadline=_later(20), disposal_unit="天津合佳威立雅环境服务有限公司",
        measures="委托有资质单位处置")
    if until == "rectify":
        return case
    _do(case, "ecology_officer1", "rectify", "submit", report="已转移处置", manifest_no="1201042026110001")
    _do(case, "ecology_officer2", "review", "pass")
    _do(case, "ecology_leader", "close", "approve")
    return case


def _penalty(source: Case, title: str, *, until: str = "closed") -> Case:
    """An administrative penalty (行政处罚) opened from ``source`` (an order not complied with), walked as far as
    ``until``: investigate, answer, execute or closed (the party waived its rights: decided at once)."""
    enterprise = source.enterprise
    case = services.open_case(actor=_user("emergency_officer1"), data={
        "kind": "penalty", "title": title, "description": f"{title}，由{source.number}转立", "address": source.address,
        "street": source.street.code, "enterprise_name": enterprise.name, "enterprise_uscc": enterprise.uscc,
        "source": DEMO_SOURCE, "source_case": source.number})
    _do(case, "emergency_leader", "file", "approve", note="同意立案")
    if until == "investigate":
        return case
    _do(case, "emergency_officer1", "investigate", "submit", co_officer="emergency_officer2",
        findings="责令限期整改后逾期未整改，事故隐患未消除", evidence="现场检查笔录、询问笔录、现场照片",
        provisions=["wsl-102"])
    _do(case, "emergency_leader", "legal_review", "pass", opinion="事实清楚，证据确凿，适用依据正确，程序合法")
    _do(case, "emergency_officer1", "notify", "notify", provision="wsl-102", amount="30000",
        reasons="未采取措施消除事故隐患，经责令限期整改逾期未整改")
    if until == "answer":
        return case
    _do(case, "emergency_officer1", "answer", "none", waived=True, note="当事人书面放弃陈述、申辩和听证权利")
    _do(case, "emergency_officer1", "decide", "decide", provision="wsl-102", amount="30000",
        reasons="未采取措施消除事故隐患，经责令限期整改逾期未整改")
    _do(case, "emergency_officer1", "serve", "served", served_on=timezone.localdate().isoformat(), method="direct",
        recipient="企业法定代表人")
    if until == "execute":
        return case
    _do(case, "emergency_officer2", "execute", "paid", receipt_no=f"FK{timezone.localdate():%Y%m%d}0001",
        paid_on=timezone.localdate().isoformat(), amount_paid="30000")
    _do(case, "emergency_leader", "close", "approve", note="处罚决定已执行完毕，同意结案")
    return case


def _transport(title: str, plate: str, violations: list[str], *, until: str = "closed") -> Case:
    """A roadside check (路检路查) of a hazmat vehicle, walked as far as ``until``: verify, punish or closed."""
    case = services.open_case(actor=_user("traffic_officer1"), data={
        "kind": "transport", "title": title, "address": "南开区红旗南路", "street": "huayuan", "source": DEMO_SOURCE,
        "vehicle_plate": plate, "un_number": "1203", "cargo_name": "汽油", "carrier_name": "天津顺达危险货物运输有限公司",
        "carrier_uscc": _uscc(40), "shipper_name": ENTERPRISES[3][0], "shipper_uscc": _uscc(4), "driver": "张师傅",
        "location": "红旗南路与卫津南路交口", "violations": violations, "measures": "责令停车，消除违法行为后放行"})
    if until == "verify":
        return case
    _do(case, "traffic_officer1", "verify", "confirm", co_officer="traffic_officer2", measure="corrected", joint=True)
    if until == "punish":
        return case
    for task in CaseTask.objects.filter(case_id=case.pk, status__in=OPEN_STATUSES).select_related("agency"):
        code = task.agency.code
        _do(case, f"{code}_officer1", "punish", "punish", agency=code, measures="约谈企业负责人，纳入重点监管名单")
    _do(case, "traffic_leader", "close", "approve")
    return case


def _make_late(case: Case, *, days: int) -> None:
    """Leave the case's open tasks ``days`` past due, as a late agency would."""
    past = timezone.now() - dt.timedelta(days=days)
    CaseTask.objects.filter(case_id=case.pk, status__in=OPEN_STATUSES).update(
        remind_at=past - dt.timedelta(days=2), due_at=past, supervise_at=past + dt.timedelta(days=1),
        next_escalation_at=past - dt.timedelta(days=2))
    Case.objects.filter(pk=case.pk).update(due_at=past)


def has_demo_cases() -> bool:
    return Case.objects.filter(source=DEMO_SOURCE).exists()


@transaction.atomic
def seed_demo_cases() -> int:
    """The demo cases, campaign and reports; the number of cases made."""
    today = timezone.localdate()
    PlanPeriod.objects.update_or_create(pk=1, defaults={"starts_on": dt.date(2022, 1, 1),
                                                        "ends_on": dt.date(today.year + 1, 12, 31)})
    campaign_lead = _user("safety_office_officer1")
    open_campaign(actor=campaign_lead, name=f"{today:%Y}年冬季危险化学品安全专项整治", lead="emergency",
                  agencies=["police", "ecology", "street_changhong"], starts_on=today - dt.timedelta(days=30),
                  ends_on=today + dt.timedelta(days=60))
    cases = [
        _hazard(0, "液氨储罐区紧急切断装置未投用", until="verify"),
        _hazard(1, "危化品仓库未按规定分区存放", until="order"),
        _hazard(2, "装卸区静电接地装置失效", until="rectify"),
        _hazard(3, "气瓶库未设置防倾倒措施", until="review"),
        _hazard(4, "加油站卸油区未设置防溢流阀", until="closed"),
        _hazard(5, "液氯储罐区未设置有毒气体报警", grade="major", until="consult"),
        _hazard(0, "重大危险源未实现自动化控制", grade="major", until="rectify"),
        _hazard(1, "涂料仓库超量储存", grade="major", until="closed"),
        _illegal_site(2, "居民楼内私存甲苯", until="inspect"),
        _illegal_site(3, "城中村非法灌装液化气", until="police_review"),
        _illegal_site(4, "废弃厂房非法调配油漆", until="closed"),
        _waste(5, "废弃危化品桶露天堆放", until="consult"),
        _waste(0, "实验室废液未按规定贮存", until="closed"),
        _transport("危险货物运输车辆无押运人员", "津A65432", ["no_escort", "documents"], until="punish"),
        _transport("危险货物运输车辆标志灯牌不符", "津A65432", ["placard"], until="closed"),
        _transport("危险货物运输车辆例行检查", "津B12121", [], until="verify"),
    ]
    cases += [
        _penalty(cases[2], "逾期未消除事故隐患（装卸区静电接地）", until="answer"),
        _penalty(cases[4], "逾期未消除事故隐患（卸油区防溢流）", until="closed"),
    ]
    late_verify, late_order, listed = cases[0], cases[1], cases[6]
    _make_late(late_verify, days=6)
    _make_late(late_order, days=3)
    list_case(actor=campaign_lead, case_id=listed.pk, deadline=today + dt.timedelta(days=90),
              requirements="限期完成重大危险源自动化控制改造，每月报送整改进展")
    scan(now=timezone.now())
    last_month = format_period((today.replace(day=1) - dt.timedelta(days=1)))
    for unit in ("emergency", "police", "ecology", "street_changhong"):
        leader = _user(f"{unit}_leader")
        numbers = PlanTask.objects.filter(responsibilities__agency=leader.agency).values_list("number", flat=True)
        save_report(actor=leader, kind="monthly", period=last_month, submit=True,
                    entries=[{"task": number, "status": "in_progress", "progress": "按计划推进排查整治，本月无新增问题"}
                             for number in sorted(set(numbers))[:3]])
    return len(cases)
