"""The cache shared by every process: Redis when one is configured, each
process's memory otherwise; a Redis outage costs an exact count, not a page.
(The static files' hashed names and lifetimes: tests/test_ops_deploy.py.)"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches

from common import paging
from org.models import Agency

ROOT = Path(__file__).resolve().parent.parent


def configured_cache(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "CELERY_BROKER_URL")}
    code = ("import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.CACHES['default']))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_redis_each_process_caches_in_memory():
    assert configured_cache()["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_the_broker_s_redis_is_the_shared_cache():
    cache = configured_cache(CELERY_BROKER_URL="redis://127.0.0.1:6379/3")
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/3"


def test_cache_url_names_a_redis_of_its_own():
    cache = configured_cache(CELERY_BROKER_URL="redis://127.0.0.1:6379/3", CACHE_URL="redis://10.0.0.9:6379/1")
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://10.0.0.9:6379/1"


def test_two_processes_share_the_redis_cache(settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but CELERY_BROKER_URL is not Redis")
        pytest.skip("needs Redis (set CELERY_BROKER_URL=redis://...)")
    settings.CACHES = {"default": configured_cache(CELERY_BROKER_URL=broker)}
    key = f"ops-test-{os.getpid()}"
    code = ("import django; django.setup(); from django.core.cache import cache; "
            f"cache.set({key!r}, 'from another process', 30)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"})
    assert result.returncode == 0, result.stderr
    assert caches["default"].get(key) == "from another process"
    caches["default"].delete(key)


def test_a_long_list_is_still_counted_with_the_cache_down(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    monkeypatch.setattr(paging, "EXACT_UP_TO", 1)
    total = Agency.objects.count()
    assert total > 1
    assert paging.capped_count(Agency.objects.all()) == (total, False)
