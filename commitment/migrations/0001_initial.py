import django.db.models.deletion
import portal.imports.storage
import commitment.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The annual report, until now the kernel's (portal.0005): the same table and rows,
    now owned by this app. Nothing changes in the database."""

    initial = True

    dependencies = [
        ("portal", "0007_annual_report_moves_to_commitment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AnnualReport",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("year", models.PositiveSmallIntegerField(help_text="The academic year's first year: 2025 means 1 August 2025 to 31 July 2026.")),
                        ("version", models.PositiveSmallIntegerField(default=1)),
                        ("status", models.CharField(choices=[("queued", "Queued"), ("rendering", "Rendering"), ("ready", "Ready"), ("failed", "Failed")], db_index=True, default="queued", max_length=10)),
                        ("file", models.FileField(blank=True, storage=portal.imports.storage.PrivateStorage(), upload_to=commitment.models._annual_report_name)),
                        ("pages", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("headlines", models.JSONField(blank=True, default=dict)),
                        ("error", models.TextField(blank=True, help_text="Why rendering failed, for the people who asked.")),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("started", models.DateTimeField(blank=True, null=True)),
                        ("finished", models.DateTimeField(blank=True, null=True)),
                        ("requested_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="annual_reports", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "portal_annualreport",
                        "ordering": ["-year", "-version"],
                        "constraints": [models.UniqueConstraint(fields=("year", "version"), name="one_annual_report_version")],
                    },
                ),
            ],
        ),
    ]
