"""Pages: the user's notifications (in-app delivery of the outbox)."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.exceptions import InvalidInput

from .models import Notification, User
from .services import set_arrival_preferences


@require_GET
@login_required
def notification_list(request):
    rows = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notifications.html", {"page": page, "arrival_choices": User.Arrivals.choices})


@require_POST
@login_required
def notification_preferences(request):
    """提醒方式: how I hear of new work in my queues."""
    try:
        set_arrival_preferences(user=request.user, arrivals=request.POST.get("arrivals"),
                                email=request.POST.get("email") == "on")
    except InvalidInput as error:
        for problems in error.fields.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("Your notification settings are saved."))
    return redirect("notifications")


@require_POST
@login_required
def notifications_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")


def unread_notifications(request):
    """Context processor: the count in the header."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    unread = getattr(request.user, "unread_notifications", None)  # counted with the user (org.backends.get_user)
    if unread is None:
        unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return {"unread_notifications": unread, "live_counts_seconds": settings.LIVE_COUNTS_SECONDS}
