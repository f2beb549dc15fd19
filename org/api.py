"""API: token, who am I, agencies."""
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from common.exceptions import InvalidInput, LockedOut

from .auth import issue_token, revoke_tokens
from .models import Agency, Notification, User
from .services import set_arrival_preferences


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["code", "name", "kind"]


class TokenApi(APIView):
    """POST {username, password} -> {token}."""

    authentication_classes = []
    permission_classes = [AllowAny]

    class TokenInSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"})

    @extend_schema(summary="Get an API token (send it as `Authorization: Token <token>`)", request=TokenInSerializer, responses=inline_serializer("TokenOut", {"token": serializers.CharField()}))
    def post(self, request):
        data = self.TokenInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credentials = data.validated_data
        if AxesProxyHandler.is_locked(request._request, credentials={"username": credentials["username"]}):
            raise LockedOut()
        user = authenticate(request._request, **credentials)
        if user is None:
            raise InvalidInput(_("Wrong user name or password."), code="bad_credentials")
        return Response({"token": issue_token(user)})


class TokenRevokeApi(APIView):
    """POST auth/token/revoke: the token used for this request stops working."""

    @extend_schema(request=None, responses={204: OpenApiResponse(description="revoked")})
    def post(self, request):
        revoke_tokens(request.user)
        return Response(status=204)


class MeApi(APIView):
    @extend_schema(summary="Who I am: my agency and roles", responses=inline_serializer("Me", {"username": serializers.CharField(), "full_name": serializers.CharField(), "agency": AgencySerializer(allow_null=True), "roles": serializers.ListField(child=serializers.CharField())}))
    def get(self, request):
        user = request.user
        agency = user.agency
        return Response(
            {
                "username": user.username,
                "full_name": user.full_name,
                "agency": AgencySerializer(agency).data if agency else None,
                "roles": user.roles,
            }
        )


class AgencyListApi(APIView):
    @extend_schema(summary="The agencies (单位), by code", responses=AgencySerializer(many=True))
    def get(self, request):
        return Response(AgencySerializer(Agency.objects.order_by("code"), many=True).data)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "level", "subject", "body", "link", "case_id", "created_at", "read_at"]


class NotificationListApi(ListAPIView):
    """GET notifications: the user's notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).order_by("-created_at", "-id")


class PreferencesApi(APIView):
    """GET/PUT me/preferences: how I hear of new work in my queues
    (``arrivals``: immediate, digest or off) and whether by e-mail too."""

    class PreferencesSerializer(serializers.Serializer):
        arrivals = serializers.ChoiceField(choices=User.Arrivals.choices)
        email = serializers.BooleanField()

    @staticmethod
    def _out(user):
        return {"arrivals": user.arrivals, "email": user.email_notifications}

    @extend_schema(summary="How I hear of new work", responses=PreferencesSerializer)
    def get(self, request):
        return Response(self._out(request.user))

    @extend_schema(summary="Set how I hear of new work", request=PreferencesSerializer, responses=PreferencesSerializer)
    def put(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        user = set_arrival_preferences(user=request.user, arrivals=body.get("arrivals"), email=body.get("email"))
        return Response(self._out(user))
