"""Pages: the user's notifications (in-app delivery of the outbox)."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import Notification


@require_GET
@login_required
def notification_list(request):
    rows = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notifications.html", {"page": page})


@require_POST
@login_required
def notifications_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")


def unread_notifications(request):
    """Context processor: the count in the header."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()}
