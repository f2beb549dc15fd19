"""The case list (desk.filters.CaseFilter, newest first): its order as one index to the last tie,
and a street's cases by state and due time for the supervisor's usual filters (docs/performance.md)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_case_open_enterprise_idx'),
        ('org', '0009_api_tokens_hashed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['-created_at', '-id'], name='case_newest_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['street', 'state', 'due_at'], name='case_street_state_due_idx'),
        ),
    ]
