from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_en"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "agency", "role", "is_active"]
    list_filter = ["agency__kind", "role", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Agency and role"), {"fields": ["full_name", "agency", "role"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Agency and role"), {"fields": ["full_name", "agency", "role"]}),)
