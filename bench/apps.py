from django.apps import AppConfig


class BenchConfig(AppConfig):
    """``manage.py bench``: seeds a realistic database and measures."""

    name = "bench"
