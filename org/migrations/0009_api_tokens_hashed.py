"""API tokens stored hashed (org.ApiToken). The tokens DRF kept in clear text
are revoked: deleted, and each of their users told by a notification to
request a new one."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.translation import gettext as _


def revoke_clear_tokens(apps, schema_editor):
    """The tokens DRF kept in clear text are deleted; each of their
    users is told to request a new one."""
    try:
        Token = apps.get_model("authtoken", "Token")
    except LookupError:
        return
    Notification = apps.get_model("org", "Notification")
    using = schema_editor.connection.alias
    users = list(Token.objects.using(using).values_list("user_id", flat=True))
    Token.objects.using(using).all().delete()
    Notification.objects.using(using).bulk_create([
        Notification(recipient_id=user_id, subject=_("Your API token was revoked"),
                     body=_("API tokens are now stored hashed; the token you had no longer works. "
                            "Request a new one with POST /api/v1/auth/token."))
        for user_id in users
    ])



class Migration(migrations.Migration):

    dependencies = [
        ("authtoken", "0004_alter_tokenproxy_options"),
        ('org', '0008_transport_agency_penalty_limits'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64, unique=True)),
                ('prefix', models.CharField(help_text="The key's first characters, to tell tokens apart.", max_length=8, verbose_name='prefix')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
            },
        ),
        migrations.RunPython(revoke_clear_tokens, migrations.RunPython.noop),
    ]
