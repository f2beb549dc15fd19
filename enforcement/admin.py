"""The documents' reference data is edited here: the types with the words the
law gives them, and each agency's numbering pattern. Issued documents are
read-only: a correction is a new version, issued from the document's page."""
from django.contrib import admin

from .models import Document, DocumentType, NumberingRule, PenaltySetting, Provision, Referral


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "abbreviation", "served"]
    search_fields = ["code", "title"]


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    """罚则: the provisions and fine ranges officers choose from. When the law
    changes, add the new provisions and end the old ones (in force until)."""

    list_display = ["code", "law", "version", "article", "fine_min", "fine_max", "status", "confirmed", "active"]
    list_editable = ["confirmed", "active"]
    list_filter = ["law", "status", "confirmed", "active"]
    search_fields = ["code", "law", "article", "summary"]


@admin.register(PenaltySetting)
class PenaltySettingAdmin(admin.ModelAdmin):
    """The amounts the penalty procedure turns on (较大数额, collective discussion)."""

    list_display = ["code", "label", "amount", "status", "confirmed"]
    list_editable = ["amount", "confirmed"]


@admin.register(NumberingRule)
class NumberingRuleAdmin(admin.ModelAdmin):
    list_display = ["agency", "pattern"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "version", "type", "agency", "case", "issued_at", "served_at", "rendered_at"]
    list_filter = ["type", "agency"]
    search_fields = ["number", "case__number"]
    list_select_related = ["agency", "case"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["case", "status", "referred_at", "police_case_no"]
