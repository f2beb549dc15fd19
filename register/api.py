"""API of the register (DESIGN section 6): ``enterprises`` (list, create),
``enterprises/{uscc}`` (read, change), its cases, the workbook (template,
import with its progress, export), and ``codes/{code}``, the public safety
card of a product (一品一码). Every write calls a service; every read goes
through the user's visibility (``register.selectors``)."""
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Risk
from cases.selectors import visible_cases
from cases.serializers import CaseListSerializer
from common.exceptions import InvalidInput, NotFound, TooLarge
from common.inputs import parse_id

from . import services, workbook
from .inputs import Streets, clean_filters
from .models import ImportJob
from .rules import keeps_register
from .selectors import enterprise_rows, filter_enterprises, get_visible_enterprise, product_by_code, visible_enterprises
from .serializers import EnterpriseListSerializer, EnterpriseSerializer, ImportJobSerializer, SafetyCardSerializer
from .tasks import queue_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTERS = [OpenApiParameter(name, str, required=False) for name in
           ("q", "street", "activity", "risk", "licence_expiring", "open_hazards")]


LOCATION_IN = inline_serializer("LocationIn", {
    "lat": serializers.FloatField(min_value=-90, max_value=90), "lng": serializers.FloatField(min_value=-180,
                                                                                              max_value=180)},
    allow_null=True, required=False)
LICENCE_IN = inline_serializer("LicenceIn", {
    "type": serializers.CharField(max_length=100), "number": serializers.CharField(max_length=100),
    "valid_from": serializers.DateField(required=False, allow_null=True),
    "valid_to": serializers.DateField(required=False, allow_null=True)})
INSTALLATION_IN = inline_serializer("InstallationIn", {
    "name": serializers.CharField(max_length=200),
    "level": serializers.IntegerField(min_value=1, max_value=4, help_text="重大危险源 level, 1 to 4")})
PRODUCT_IN = inline_serializer("ProductIn", {
    "name": serializers.CharField(max_length=200), "cas": serializers.CharField(required=False),
    "un_number": serializers.CharField(required=False, help_text="four digits, such as 1005"),
    "hazard_classes": serializers.CharField(required=False, max_length=200),
    "max_stock": serializers.DecimalField(max_digits=12, decimal_places=3, coerce_to_string=False, required=False,
                                          allow_null=True),
    **{name: serializers.CharField(required=False, max_length=limit) for name, limit in
       (("hazards", 2000), ("protective_measures", 2000), ("emergency_measures", 2000), ("emergency_phone", 40))}})


def enterprise_in_schema(name="EnterpriseRecord"):
    return inline_serializer(name, {
        "uscc": serializers.CharField(), "name": serializers.CharField(), "address": serializers.CharField(),
        "street": serializers.CharField(), "activities": serializers.ListField(child=serializers.CharField()),
        "risk": serializers.ChoiceField(choices=Risk.choices),
        "legal_representative": serializers.CharField(), "safety_contact": serializers.CharField(),
        "phone": serializers.CharField(), "location": LOCATION_IN,
        "licences": LICENCE_IN.__class__(many=True, required=False),
        "installations": INSTALLATION_IN.__class__(many=True, required=False),
        "products": PRODUCT_IN.__class__(many=True, required=False),
    })


def enterprise_payload(enterprise) -> dict:
    enterprise = type(enterprise).objects.select_related("street").prefetch_related(
        "licences", "installations", "products").get(pk=enterprise.pk)
    return EnterpriseSerializer(enterprise).data


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class EnterprisesApi(ListAPIView):
    """GET enterprises: the enterprises the user may see, with filters.
    POST enterprises: enter one in the register (the emergency bureau, supervisors)."""

    serializer_class = EnterpriseListSerializer

    def get_queryset(self):
        filters, errors = clean_filters(self.request.query_params, Streets())
        if errors:
            raise InvalidInput(fields=errors)
        return enterprise_rows(filter_enterprises(visible_enterprises(self.request.user), filters))

    @extend_schema(parameters=FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=enterprise_in_schema(), responses={201: EnterpriseSerializer})
    def post(self, request):
        enterprise = services.create_enterprise(actor=request.user, data=request.data)
        return Response(enterprise_payload(enterprise), status=201)


class EnterpriseApi(APIView):
    """GET enterprises/{uscc}: the file; PATCH: change the fields given."""

    @extend_schema(responses=EnterpriseSerializer)
    def get(self, request, uscc):
        return Response(enterprise_payload(get_visible_enterprise(request.user, uscc)))

    @extend_schema(request=enterprise_in_schema("EnterprisePatch"), responses=EnterpriseSerializer)
    def patch(self, request, uscc):
        enterprise = get_visible_enterprise(request.user, uscc)
        enterprise = services.update_enterprise(actor=request.user, enterprise=enterprise, data=request.data)
        return Response(enterprise_payload(enterprise))


class EnterpriseCasesApi(ListAPIView):
    """GET enterprises/{uscc}/cases: its cases the user may see, newest first."""

    serializer_class = CaseListSerializer

    def get_queryset(self):
        enterprise = get_visible_enterprise(self.request.user, self.kwargs["uscc"])
        return (visible_cases(self.request.user).filter(enterprise=enterprise)
                .select_related("lead_agency", "street").order_by("-created_at", "-id"))


class TemplateApi(APIView):
    """GET enterprises/template.xlsx: the import workbook to fill in."""

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request):
        return xlsx_response(workbook.template(), "enterprise-register-template.xlsx")


class ExportApi(APIView):
    """GET enterprises/export.xlsx: the enterprises the user may see (filters as the list), in the import layout."""

    @extend_schema(parameters=FILTERS, responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request):
        filters, errors = clean_filters(request.query_params, Streets())
        if errors:
            raise InvalidInput(fields=errors)
        queryset = filter_enterprises(visible_enterprises(request.user), filters)
        return xlsx_response(workbook.export(queryset),
                             f"enterprise-register-{timezone.localdate().isoformat()}.xlsx")


class ImportApi(APIView):
    """POST enterprises/import: a workbook (multipart ``file``) → 202 with the
    import's progress; every row is checked before anything is written."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": inline_serializer("RegisterImportIn", {
        "file": serializers.FileField()})}, responses={202: ImportJobSerializer})
    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > services.max_import_bytes() + 64 * 1024:
            raise TooLarge(_("The workbook is too large."))
        job = services.start_import(actor=request.user, upload=request.FILES.get("file"))
        queue_import(job.pk)
        job.refresh_from_db()
        return Response(ImportJobSerializer(job).data, status=202)


def visible_job(user, job_id) -> ImportJob:
    """An import of the user's own agency (supervisors: any), else 404."""
    job_id = parse_id(job_id)
    jobs = ImportJob.objects.defer("content")
    if not user.is_supervisor:
        jobs = jobs.filter(agency_id=user.agency_id) if user.agency_id else jobs.none()
    job = jobs.filter(pk=job_id).first() if job_id is not None and keeps_register(user) else None
    if job is None:
        raise NotFound()
    return job


class ImportJobApi(APIView):
    """GET enterprises/imports/{id}: how far the import is; when it is done, what it did or why it refused."""

    @extend_schema(responses=ImportJobSerializer)
    def get(self, request, job_id):
        return Response(ImportJobSerializer(visible_job(request.user, job_id)).data)


class SafetyCardApi(APIView):
    """GET codes/{code}: the product's safety card, without login; nothing else."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(responses=SafetyCardSerializer, auth=[])
    def get(self, request, code):
        return Response(SafetyCardSerializer(product_by_code(code)).data)
