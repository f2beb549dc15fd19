"""GET me/counts: what the navigation shows (my inbox, my queues, unread
notices), polled by the pages' live counts (static/js/live-counts.js)."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from flows.selectors import count_in_box
from org.models import Notification

COUNTS = inline_serializer("Counts", {
    "inbox": serializers.IntegerField(), "queue": serializers.IntegerField(), "unread": serializers.IntegerField()})


class CountsApi(APIView):
    @extend_schema(responses=COUNTS, summary="My inbox, queue and unread counts")
    def get(self, request):
        user = request.user
        return Response({
            "inbox": count_in_box(user, "inbox").count(),
            "queue": count_in_box(user, "queue").count(),
            "unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        }, headers={"Cache-Control": "no-store"})
