"""Static files in production: WhiteNoise's compressed, hashed copies.

One difference from ``CompressedManifestStaticFilesStorage``: a stylesheet of
a third-party package that points at a file the package does not ship (viewflow's
Roboto stylesheet names font weights it leaves out) keeps that reference as it
is instead of failing ``collectstatic``. Our own files are still checked: a
reference to a file that is missing under ``static/`` fails as before.
"""
from django.apps import apps
from django.contrib.staticfiles import finders
from whitenoise.storage import CompressedManifestStaticFilesStorage

OUR_PREFIXES = ("css/", "js/", "img/", "fonts/")


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is None and not name.startswith(OUR_PREFIXES):
                return name  # referenced by a package's stylesheet, not shipped by it: left unhashed
            raise


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """The apps' static files, but viewflow's: its frontend (49 MB of scripts,
    fonts and stylesheets) is not mounted (settings.VIEWFLOW), so nothing of it
    is collected, compressed or served."""

    def __init__(self, app_names=None, *args, **kwargs):
        if app_names is None:
            app_names = [config.name for config in apps.get_app_configs() if not config.name.startswith("viewflow")]
        super().__init__(app_names, *args, **kwargs)
