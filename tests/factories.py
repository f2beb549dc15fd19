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
