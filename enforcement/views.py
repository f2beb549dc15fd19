"""Pages of the documents of record: a document with its versions, its
service (送达) and its corrections, and its PDF. Visibility is the case's
(404); service and corrections are the issuing agency's."""
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cases import services as case_services
from cases.evidence import file_sha256
from common.exceptions import DomainError, IntegrityFailure, InvalidInput, NotFound
from org.calendar import local_tz

from . import documents
from .doctypes import FACT_LABELS, FORMS
from .models import Document
from .rendering import render as draw


def parse_moment(value):
    """An ISO date-time (``2026-12-03T10:30``; without an offset: Beijing time), or None."""
    if not isinstance(value, str) or not value.isascii():
        return None
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, local_tz())
    return moment


def pdf_response(document: Document, *, download: bool = False) -> FileResponse:
    """The document's PDF (drawn first if it is not yet), checked against its SHA-256."""
    if not document.is_rendered:
        document = draw(document.pk)
    if file_sha256(document.pdf) != document.sha256:
        raise IntegrityFailure()
    response = FileResponse(document.pdf.open("rb"), content_type="application/pdf")
    name = quote(f"{document.number}-{document.facts.get('title', '')}-v{document.version}.pdf")
    response["Content-Disposition"] = f"{'attachment' if download else 'inline'}; filename*=UTF-8''{name}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ServiceForm(forms.Form):
    served_at = forms.DateTimeField(label=_("Served at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    method = forms.ChoiceField(label=_("Method of service"), choices=Document.Method.choices)
    recipient = forms.CharField(label=_("Recipient"), max_length=100,
                                help_text=_("Who received it, and their relation to the party."))
    note = forms.CharField(label=_("Note on the service"), max_length=300, required=False,
                           help_text=_("Place, witness (留置), postal number (邮寄) or publication (公告)."))
    receipt = forms.FileField(label=_("Scanned receipt (送达回证)"), required=False)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        for key in FORMS[document.type].editable:
            self.fields[f"fact_{key}"] = forms.CharField(
                label=FACT_LABELS.get(key, key), required=False, initial=document.facts.get(key, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )


@require_http_methods(["GET", "POST"])
@login_required
def document_page(request, document_id):
    document = _document_or_404(request.user, document_id)
    service = ServiceForm(prefix="service")
    correction = CorrectionForm(prefix="correction", document=document)
    if request.method == "POST":
        if "service" in request.POST:
            service = ServiceForm(request.POST, request.FILES, prefix="service")
            if _record_service(request, document, service):
                return redirect("enforcement:document", document_id=document.pk)
        elif "correction" in request.POST:
            correction = CorrectionForm(request.POST, prefix="correction", document=document)
            corrected = _correct(request, document, correction)
            if corrected is not None:
                return redirect("enforcement:document", document_id=corrected.pk)
    versions = documents.documents_of(document.case).filter(number=document.number, agency=document.agency,
                                                            type=document.type)
    return render(request, "enforcement/document.html", {
        "document": document, "case": document.case, "versions": versions, "facts": document.facts,
        "may_act": documents.may_act_for(request.user, document), "service": service, "correction": correction,
        "current": not Document.objects.filter(supersedes=document).exists(),
    })


@require_GET
@login_required
def document_pdf(request, document_id):
    return pdf_response(_document_or_404(request.user, document_id), download=request.GET.get("download") == "1")


def _record_service(request, document, form) -> bool:
    if not form.is_valid():
        return False
    try:
        receipt = None
        if form.cleaned_data.get("receipt"):
            receipt = case_services.add_evidence(actor=request.user, case=document.case,
                                                 upload=form.cleaned_data["receipt"],
                                                 description=f"送达回证 {document.number}")
        data = form.cleaned_data
        documents.record_service(actor=request.user, document_id=document.pk, served_at=data["served_at"],
                                 method=data["method"], recipient=data["recipient"], note=data["note"],
                                 receipt=receipt)
    except InvalidInput as error:
        for field, problems in error.fields.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    except DomainError as error:
        messages.error(request, error.text())
        return False
    messages.success(request, _("The service is recorded."))
    return True


def _correct(request, document, form) -> Document | None:
    if not form.is_valid():
        return None
    changes = {name.removeprefix("fact_"): value for name, value in form.cleaned_data.items()
               if name.startswith("fact_") and value and value != document.facts.get(name.removeprefix("fact_"))}
    try:
        corrected = documents.correct(actor=request.user, document_id=document.pk,
                                      reason=form.cleaned_data["reason"], changes=changes)
    except DomainError as error:
        messages.error(request, error.text())
        return None
    messages.success(request, _("Version %(version)d issued.") % {"version": corrected.version})
    return corrected


def _document_or_404(user, document_id) -> Document:
    try:
        return documents.get_visible_document(user, document_id)
    except NotFound:
        raise Http404
