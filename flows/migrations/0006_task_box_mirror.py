"""The box a task is in (queue 单位待领, holder 我的待办), mirrored onto
``flows_casetask`` beside its due time and indexed with it, so that a page of
the queue or the inbox, most urgent first, is one index range
(docs/performance.md, 2026-12-03).

``CaseTask.save`` writes the two columns; a trigger on ``viewflow_task``
(``flows.box_mirror``) writes them when viewflow's row changes without ours
(viewflow's ``save(update_fields=["status"])``, a queryset ``update``). The
rule is ``flows.models.mirror_of``; the trigger's SQL says the same.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from flows.box_mirror import create_trigger, fill


class Migration(migrations.Migration):

    dependencies = [
        ('flows', '0005_task_arrivals'),
        ('org', '0009_api_tokens_hashed'),
        ('viewflow', '0015_task_scheduled'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='casetask',
            name='holder',
            field=models.ForeignKey(db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='casetask',
            name='queue',
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        create_trigger(),
        migrations.AddIndex(
            model_name='casetask',
            index=models.Index(condition=models.Q(('queue__isnull', False)), fields=['queue', 'due_at', 'task_ptr'], name='casetask_queue_due_idx'),
        ),
        migrations.AddIndex(
            model_name='casetask',
            index=models.Index(condition=models.Q(('holder__isnull', False)), fields=['holder', 'due_at', 'task_ptr'], name='casetask_holder_due_idx'),
        ),
    ]
