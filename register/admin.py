from django.contrib import admin

from .models import ImportJob, Installation, Licence, Product


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "type", "number", "valid_to"]
    search_fields = ["enterprise__name", "enterprise__uscc", "number"]
    raw_id_fields = ["enterprise"]


@admin.register(Installation)
class InstallationAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "name", "level"]
    raw_id_fields = ["enterprise"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "name", "code", "cas", "un_number"]
    search_fields = ["enterprise__name", "name", "code", "cas"]
    readonly_fields = ["code"]
    raw_id_fields = ["enterprise"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "created_by", "created_at", "created", "updated"]
    exclude = ["content"]
    readonly_fields = ["rejected"]
