"""Demo enterprises for ``manage.py seed_register_demo`` (and ``make run``):
two dozen fictitious enterprises across the streets, with products, licences
(one expiring within the month, one expired) and installations, written
through the same checks and writer as an import. Running it again changes
nothing but refreshes the same rows."""
import datetime as dt

from django.utils import timezone

from cases.validators import USCC_ALPHABET, uscc_check_char
from org.models import Agency

from .services import check_rows, write_entries
from .workbook import ENTERPRISES, INSTALLATIONS, LICENCES, PRODUCTS

PRODUCTS_BY_KIND = [
    ("液氨", "7664-41-7", "1005", "2.3, 8", "有毒气体，遇明火可燃，对皮肤和眼睛有强腐蚀性", "佩戴正压式空气呼吸器，穿防化服",
     "疏散下风向人员，切断泄漏源，喷雾状水稀释"),
    ("甲醇", "67-56-1", "1230", "3, 6.1", "易燃液体，蒸气与空气可形成爆炸性混合物，有毒", "远离火种，佩戴防毒面具",
     "用抗溶性泡沫灭火，收容泄漏液"),
    ("硫酸", "7664-93-9", "1830", "8", "强腐蚀性，遇水大量放热", "穿耐酸服，戴耐酸手套", "用砂土吸收，用碱性物质中和"),
    ("液化石油气", "68476-85-7", "1075", "2.1", "极易燃气体，与空气形成爆炸性混合物", "严禁烟火，使用防爆工具",
     "切断气源，喷水冷却容器"),
    ("次氯酸钠溶液", "7681-52-9", "1791", "8", "腐蚀性，遇酸放出氯气", "戴橡胶手套和护目镜", "大量清水冲洗，防止流入下水道"),
    ("乙醇", "64-17-5", "1170", "3", "易燃液体", "远离火种，保持通风", "用泡沫、干粉灭火"),
]
NAMES = ["天津南开化工储运有限公司", "天津长虹精细化工有限公司", "天津鼓楼燃气供应站", "天津兴南试剂经营部", "天津广开涂料有限公司",
         "天津万兴加油站", "天津学府实验化学品有限公司", "天津向阳路医药化工有限公司", "天津嘉陵道清洗剂有限公司",
         "天津王顶堤液化气供应站", "天津水上公园化工贸易有限公司", "天津体育中心消毒用品有限公司"]
RISKS = ["红", "橙", "黄", "蓝", "黄", "蓝"]
ACTIVITIES = ["储存、经营", "使用", "经营", "生产、储存", "运输", "使用、处置"]


def demo_uscc(serial: int) -> str:
    body = f"91120104DM{serial:07d}"[:17]
    body = "".join(ch if ch in USCC_ALPHABET else "0" for ch in body)
    return body + uscc_check_char(body)


def demo_sheets(today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    streets = list(Agency.objects.streets().order_by("code"))
    sheets = {ENTERPRISES: [], PRODUCTS: [], LICENCES: [], INSTALLATIONS: []}
    for n in range(24):
        street = streets[n % len(streets)]
        uscc = demo_uscc(n + 1)
        name = NAMES[n % len(NAMES)] if n < len(NAMES) else NAMES[n % len(NAMES)].replace("天津", "天津南开", 1)
        sheets[ENTERPRISES].append((n + 2, {
            "uscc": uscc, "name": name, "address": f"南开区{street.name.removesuffix('街道')}路{n + 1}号",
            "street": street.code, "activities": ACTIVITIES[n % 6], "risk": RISKS[n % 6],
            "legal_representative": "张某", "safety_contact": "刘某", "phone": f"022-2765{n:04d}",
            "lat": 39.105 + (n % 6) * 0.008, "lng": 117.125 + (n // 6) * 0.012}))
        for k in range(1 + n % 3):
            name_, cas, un, classes, hazards, protect, emergency = PRODUCTS_BY_KIND[(n + k) % len(PRODUCTS_BY_KIND)]
            sheets[PRODUCTS].append((len(sheets[PRODUCTS]) + 2, {
                "uscc": uscc, "name": name_, "cas": cas, "un_number": un, "hazard_classes": classes,
                "max_stock": 5 + 5 * k, "hazards": hazards, "protective_measures": protect,
                "emergency_measures": emergency, "emergency_phone": "022-27360119"}))
        valid_to = today + dt.timedelta(days={0: 20, 1: -10}.get(n, 400 + 30 * n))
        sheets[LICENCES].append((n + 2, {"uscc": uscc, "type": "危险化学品经营许可证", "number": f"津南危化经字〔2024〕{n + 1:04d}号",
                                         "valid_from": valid_to - dt.timedelta(days=3 * 365), "valid_to": valid_to}))
        if n % 4 == 0:
            sheets[INSTALLATIONS].append((n + 2, {"uscc": uscc, "name": "储罐区", "level": 1 + (n // 4) % 4}))
    return sheets


def seed_demo_enterprises() -> tuple[int, int]:
    entries, rejected = check_rows(demo_sheets())
    if rejected:  # the demo data is ours: a refusal is a bug here
        raise ValueError(f"demo enterprises refused: {rejected[:3]}")
    return write_entries(entries=entries)
