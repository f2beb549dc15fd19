"""Factories and persona users."""
import factory

from cases.validators import USCC_ALPHABET, uscc_check_char
from org.models import Agency, User


def make_uscc(serial: int) -> str:
    body = f"91120104MA{serial:07d}"[:17]
    body = "".join(ch if ch in USCC_ALPHABET else "0" for ch in body)
    return body + uscc_check_char(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyAttribute(lambda u: u.username)
    role = User.Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", "pw-123456")


def officer(agency_code: str, role=User.Role.OFFICER, **kwargs) -> User:
    return UserFactory(agency=Agency.objects.get(code=agency_code), role=role, **kwargs)


def hazard_payload(**overrides) -> dict:
    payload = {
        "kind": "hazard",
        "title": "储罐区未设置紧急切断装置",
        "description": "液氨储罐区紧急切断阀未投用",
        "address": "南开区长虹路1号",
        "street": "changhong",
        "enterprise": {"name": "天津某化工有限公司", "uscc": make_uscc(1)},
        "source": "街道巡查",
    }
    payload.update(overrides)
    return payload


def enterprise_payload(serial: int = 1, **overrides) -> dict:
    """An enterprise as ``POST enterprises`` takes it, in 长虹街道, with one product, licence and installation."""
    payload = {
        "uscc": make_uscc(serial), "name": f"天津南开第{serial}化工有限公司", "address": f"南开区长虹路{serial}号",
        "street": "changhong", "activities": ["storage", "operation"], "risk": "orange",
        "legal_representative": "王某", "safety_contact": "李某", "phone": "022-23456789",
        "location": {"lat": 39.1204, "lng": 117.1503},
        "licences": [{"type": "危险化学品经营许可证", "number": f"津南危化经字〔2024〕{serial:06d}",
                      "valid_from": "2024-01-01", "valid_to": "2029-06-30"}],
        "installations": [{"name": "液氨储罐区", "level": 3}],
        "products": [{"name": "液氨", "cas": "7664-41-7", "un_number": "1005", "hazard_classes": "2.3, 8",
                      "max_stock": 20, "hazards": "有毒，腐蚀", "protective_measures": "佩戴防毒面具",
                      "emergency_measures": "疏散，堵漏，喷雾稀释", "emergency_phone": "022-27000000"}],
    }
    payload.update(overrides)
    return payload


def register_enterprise(serial: int = 1, **overrides):
    """An enterprise in the register, written through the service as the emergency bureau would."""
    from cases.models import Enterprise
    from register.services import create_enterprise

    keeper = UserFactory(agency=Agency.objects.get(code="emergency"), username=f"keeper{serial}_{Enterprise.objects.count()}")
    return create_enterprise(actor=keeper, data=enterprise_payload(serial, **overrides))


def penalty_payload(**overrides) -> dict:
    """A penalty case (行政处罚) as the emergency bureau opens it, in 长虹街道."""
    payload = {
        "kind": "penalty", "title": "未按规定专库储存危险化学品", "description": "危险化学品未储存在专用仓库内",
        "address": "南开区长虹路8号", "street": "changhong",
        "enterprise": {"name": "天津某贸易有限公司", "uscc": make_uscc(8)}, "source": "执法检查",
    }
    payload.update(overrides)
    return payload
