"""API tokens that expire (API_TOKEN_TTL_HOURS), can be revoked, and are
stored only as the SHA-256 of their key (``ApiToken``): whoever reads the
database or a backup cannot use them."""
import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_expired(token: ApiToken) -> bool:
    return token.created < timezone.now() - dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def issue_token(user) -> str:
    """A new key for the user (shown once; the user's expired tokens are dropped)."""
    ApiToken.objects.filter(user=user, created__lt=timezone.now() - dt.timedelta(
        hours=settings.API_TOKEN_TTL_HOURS)).delete()
    key = secrets.token_hex(20)
    ApiToken.objects.create(user=user, digest=digest_of(key), prefix=key[:8])
    return key


def revoke_tokens(user) -> int:
    return ApiToken.objects.filter(user=user).delete()[0]


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, looked up by the key's digest."""

    def authenticate_credentials(self, key):
        try:
            token = ApiToken.objects.select_related("user").get(digest=digest_of(key))
        except ApiToken.DoesNotExist:
            raise AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if token_expired(token):
            raise AuthenticationFailed(_("The token has expired; request a new one."))
        return token.user, token

