"""The skills matrix's models, moved from the technicians app (technicians 0007) with their
tables and rows: created in the state only, on the tables technicians made
(technicians_skill, technicians_technicianskill, technicians_shadowingrequest). Their content
types move with them, so admin history and model permissions follow."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ("skill", "technicianskill", "shadowingrequest")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(
        ContentType.objects.using(db).filter(app_label="skills").values_list("model", flat=True)
    )
    ContentType.objects.using(db).filter(app_label="technicians", model__in=MOVED).exclude(
        model__in=taken
    ).update(app_label="skills")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(
        ContentType.objects.using(db).filter(app_label="technicians").values_list("model", flat=True)
    )
    ContentType.objects.using(db).filter(app_label="skills", model__in=MOVED).exclude(
        model__in=taken
    ).update(app_label="technicians")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('technicians', '0007_skills_move_to_the_skills_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Skill',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=100, unique=True)),
                    ('category', models.CharField(db_index=True, max_length=100)),
                ],
                options={
                    'db_table': 'technicians_skill',
                    'ordering': ['category', 'name'],
                },
            ),
            migrations.CreateModel(
                name='TechnicianSkill',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('level', models.PositiveSmallIntegerField(choices=[(1, 'Aware'), (2, 'Practitioner'), (3, 'Expert'), (4, 'Can train others')], validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)])),
                    ('confirmed_on', models.DateField(blank=True, help_text='When the technician last confirmed this level (empty: never confirmed).', null=True)),
                    ('validated_level', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Aware'), (2, 'Practitioner'), (3, 'Expert'), (4, 'Can train others')], help_text='The level the line manager agreed, which may differ from the self-rating.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)])),
                    ('validated_on', models.DateField(blank=True, null=True)),
                    ('wants_to_learn', models.BooleanField(default=False, help_text='The technician wants to learn this skill, or to go further in it.')),
                    ('skill', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='technician_skills', to='skills.skill')),
                    ('technician', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='technician_skills', to='technicians.technician')),
                    ('validated_by', models.ForeignKey(blank=True, help_text='The line manager who validated the level.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='validated_skills', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'technicians_technicianskill',
                    'ordering': ['-level', 'skill__name'],
                },
            ),
            migrations.AddField(
                model_name='skill',
                name='technicians',
                field=models.ManyToManyField(blank=True, related_name='skills', through='skills.TechnicianSkill', to='technicians.technician'),
            ),
            migrations.CreateModel(
                name='ShadowingRequest',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('requested', 'Requested'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('done', 'Done'), ('cancelled', 'Cancelled')], db_index=True, default='requested', max_length=10)),
                    ('note', models.TextField(blank=True, help_text='What you would like to learn, and when suits you.', max_length=2000)),
                    ('decision_note', models.TextField(blank=True, max_length=2000)),
                    ('created', models.DateTimeField(auto_now_add=True)),
                    ('decided_at', models.DateTimeField(blank=True, null=True)),
                    ('completed_at', models.DateTimeField(blank=True, null=True)),
                    ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shadowing_requests_made', to='technicians.technician')),
                    ('teacher', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shadowing_requests_received', to='technicians.technician')),
                    ('skill', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shadowing_requests', to='skills.skill')),
                ],
                options={
                    'db_table': 'technicians_shadowingrequest',
                    'ordering': ['-created', '-pk'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('learner', models.F('teacher')), _negated=True), name='shadowing_not_oneself'), models.UniqueConstraint(condition=models.Q(('status__in', ['requested', 'accepted'])), fields=('learner', 'teacher', 'skill'), name='one_open_shadowing_request')],
                },
            ),
            migrations.AddConstraint(
                model_name='technicianskill',
                constraint=models.UniqueConstraint(fields=('technician', 'skill'), name='one_level_per_skill'),
            ),
            migrations.AddConstraint(
                model_name='technicianskill',
                constraint=models.CheckConstraint(condition=models.Q(('level__gte', 1), ('level__lte', 4)), name='skill_level_1_to_4'),
            ),
            migrations.AddConstraint(
                model_name='technicianskill',
                constraint=models.CheckConstraint(condition=models.Q(('validated_level__isnull', True), models.Q(('validated_level__gte', 1), ('validated_level__lte', 4)), _connector='OR'), name='validated_level_1_to_4'),
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
    ]
