"""API: token, who am I, agencies."""
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .exceptions import InvalidInput
from .models import Agency


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["code", "name", "kind"]


class TokenApi(APIView):
    """POST {username, password} -> {token}."""

    authentication_classes = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"})

    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        if user is None:
            raise InvalidInput(_("Wrong user name or password."), code="bad_credentials")
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeApi(APIView):
    def get(self, request):
        user = request.user
        agency = user.agency
        return Response(
            {
                "username": user.username,
                "full_name": user.full_name,
                "agency": {"code": agency.code, "name": agency.name} if agency else None,
                "roles": user.roles,
            }
        )


class AgencyListApi(APIView):
    def get(self, request):
        return Response(AgencySerializer(Agency.objects.order_by("code"), many=True).data)
