import django.db.models.deletion
import portal.imports.storage
import uuid
from django.conf import settings
from django.db import migrations, models


def _annual_report_name(instance, filename):
    # Was portal.models._annual_report_name; the model now lives in commitment.models.
    return f"reports/{uuid.uuid4().hex}.pdf"


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0004_pending_import_and_import_run'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AnnualReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(help_text='The academic year\'s first year: 2025 means 1 August 2025 to 31 July 2026.')),
                ('version', models.PositiveSmallIntegerField(default=1)),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('rendering', 'Rendering'), ('ready', 'Ready'), ('failed', 'Failed')], db_index=True, default='queued', max_length=10)),
                ('file', models.FileField(blank=True, storage=portal.imports.storage.PrivateStorage(), upload_to=_annual_report_name)),
                ('pages', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('headlines', models.JSONField(blank=True, default=dict)),
                ('error', models.TextField(blank=True, help_text='Why rendering failed, for the people who asked.')),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('started', models.DateTimeField(blank=True, null=True)),
                ('finished', models.DateTimeField(blank=True, null=True)),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='annual_reports', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-year', '-version'],
                'constraints': [models.UniqueConstraint(fields=('year', 'version'), name='one_annual_report_version')],
            },
        ),
    ]
