"""Skill, TechnicianSkill and ShadowingRequest move to the skills app (skills 0001): taken out
of this app's state only. Their tables stay as they are, with their rows, under their names
(technicians_skill, technicians_technicianskill, technicians_shadowingrequest)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('technicians', '0006_technician_name_order'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='technician',
                name='skills',
            ),
            migrations.RemoveField(
                model_name='technicianskill',
                name='skill',
            ),
            migrations.RemoveField(
                model_name='technicianskill',
                name='technician',
            ),
            migrations.RemoveField(
                model_name='technicianskill',
                name='validated_by',
            ),
            migrations.DeleteModel(
                name='ShadowingRequest',
            ),
            migrations.DeleteModel(
                name='Skill',
            ),
            migrations.DeleteModel(
                name='TechnicianSkill',
            ),
            ],
            database_operations=[],
        ),
    ]
