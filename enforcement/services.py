"""Writes to agencies and users."""
from django.db import transaction

from .models import Agency, User

DEMO_PASSWORD = "nankai-demo"

# code, name, English name, kind (DESIGN.md section 1)
AGENCIES = [
    ("emergency", "区应急局", "Emergency Management Bureau", Agency.Kind.BUREAU),
    ("police", "公安南开分局", "Public Security Nankai Branch", Agency.Kind.POLICE),
    ("ecology", "区生态环境局", "Ecology and Environment Bureau", Agency.Kind.BUREAU),
    ("traffic", "交警南开支队", "Traffic Police Nankai Detachment", Agency.Kind.POLICE),
    ("education", "区教育局", "Education Bureau", Agency.Kind.BUREAU),
    ("science", "区科技局", "Science and Technology Bureau", Agency.Kind.BUREAU),
    ("safety_office", "区安委会办公室", "Work-Safety Committee Office", Agency.Kind.SAFETY_OFFICE),
]
STREETS = [
    ("changhong", "长虹街道", "Changhong"),
    ("gulou", "鼓楼街道", "Gulou"),
    ("xingnan", "兴南街道", "Xingnan"),
    ("guangkai", "广开街道", "Guangkai"),
    ("wanxing", "万兴街道", "Wanxing"),
    ("xuefu", "学府街道", "Xuefu"),
    ("xiangyanglu", "向阳路街道", "Xiangyanglu"),
    ("jialingdao", "嘉陵道街道", "Jialingdao"),
    ("wangdingdi", "王顶堤街道", "Wangdingdi"),
    ("shuishanggongyuan", "水上公园街道", "Shuishanggongyuan"),
    ("tiyuzhongxin", "体育中心街道", "Tiyuzhongxin"),
    ("huayuan", "华苑街道", "Huayuan"),
]


@transaction.atomic
def seed_agencies() -> int:
    rows = list(AGENCIES) + [
        (f"street_{code}", name, f"{name_en} Sub-district Office", Agency.Kind.STREET) for code, name, name_en in STREETS
    ]
    for code, name, name_en, kind in rows:
        Agency.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "kind": kind})
    return len(rows)


@transaction.atomic
def seed_demo_users(*, password: str) -> int:
    """``X_officer1``, ``X_officer2`` and ``X_leader`` for every agency code X."""
    created = 0
    for agency in Agency.objects.all():
        for suffix, role in (("officer1", User.Role.OFFICER), ("officer2", User.Role.OFFICER), ("leader", User.Role.LEADER)):
            if agency.kind == Agency.Kind.SAFETY_OFFICE and role == User.Role.OFFICER:
                role = User.Role.SUPERVISOR
            username = f"{agency.code}_{suffix}"
            if User.objects.filter(username=username).exists():
                continue
            user = User(
                username=username, agency=agency, role=role, is_demo=True,
                full_name=f"{agency.name}{'负责人' if suffix == 'leader' else '执法人员' + suffix[-1]}",
            )
            user.set_password(password)
            user.save()
            created += 1
    return created
