"""The register as the API shows it (DESIGN section 6: enterprises)."""
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from cases.models import Enterprise

from .models import ImportJob, Installation, Licence, Product


class LicenceSerializer(serializers.ModelSerializer):
    expired = serializers.SerializerMethodField()

    class Meta:
        model = Licence
        fields = ["type", "number", "valid_from", "valid_to", "expired"]

    def get_expired(self, licence) -> bool:
        return licence.is_expired(self.context.get("today"))


class InstallationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Installation
        fields = ["name", "level"]


class ProductSerializer(serializers.ModelSerializer):
    max_stock = serializers.DecimalField(max_digits=12, decimal_places=3, coerce_to_string=False, allow_null=True)

    class Meta:
        model = Product
        fields = ["code", "name", "cas", "un_number", "hazard_classes", "max_stock", "hazards", "protective_measures",
                  "emergency_measures", "emergency_phone"]


class EnterpriseListSerializer(serializers.ModelSerializer):
    street = serializers.CharField(source="street.code", default=None, allow_null=True)
    open_cases = serializers.IntegerField(read_only=True)
    expired_licences = serializers.IntegerField(read_only=True)
    expiring_licences = serializers.IntegerField(read_only=True)

    class Meta:
        model = Enterprise
        fields = ["uscc", "name", "address", "street", "activities", "risk", "draft", "open_cases",
                  "expired_licences", "expiring_licences"]


class EnterpriseSerializer(serializers.ModelSerializer):
    street = serializers.CharField(source="street.code", default=None, allow_null=True)
    location = serializers.SerializerMethodField()
    licences = serializers.SerializerMethodField()
    installations = InstallationSerializer(many=True, read_only=True)
    products = ProductSerializer(many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = ["uscc", "name", "address", "street", "activities", "risk", "legal_representative",
                  "safety_contact", "phone", "location", "draft", "updated_at", "licences", "installations",
                  "products"]

    @extend_schema_field(inline_serializer("Location", {"lat": serializers.FloatField(),
                                                        "lng": serializers.FloatField()}, allow_null=True))
    def get_location(self, enterprise) -> dict | None:
        if enterprise.latitude is None:
            return None
        return {"lat": float(enterprise.latitude), "lng": float(enterprise.longitude)}

    @extend_schema_field(LicenceSerializer(many=True))
    def get_licences(self, enterprise) -> list[dict]:
        return LicenceSerializer(enterprise.licences.all(), many=True,
                                 context={"today": timezone.localdate()}).data


class SafetyCardSerializer(serializers.ModelSerializer):
    """一品一码: the product's safety card, and nothing else (no case, no person)."""

    enterprise = serializers.CharField(source="enterprise.name")
    max_stock = serializers.DecimalField(max_digits=12, decimal_places=3, coerce_to_string=False, allow_null=True)

    class Meta:
        model = Product
        fields = ["code", "name", "cas", "un_number", "hazard_classes", "max_stock", "hazards", "protective_measures",
                  "emergency_measures", "emergency_phone", "enterprise"]


class ImportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    finished = serializers.BooleanField(read_only=True)

    class Meta:
        model = ImportJob
        fields = ["id", "file_name", "status", "total", "processed", "percent", "finished", "created", "updated",
                  "rejected", "created_at", "finished_at"]
