"""The unread notifications of a person by index alone: counted with the signed-in user on every page."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0009_api_tokens_hashed'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient'], name='notification_unread_idx'),
        ),
    ]
