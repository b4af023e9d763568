# A notification is addressed to a person (PORTAL_PERSON_MODEL, sent to the staff-list e-mail,
# account or not) or to an account. Rows already written to an account that is linked to a
# person move to the person, so a producer that now addresses the person does not tell them
# the same thing twice.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def address_people(apps, schema_editor):
    Notification = apps.get_model("portal", "Notification")
    Person = apps.get_model(*settings.PORTAL_PERSON_MODEL.split("."))
    person = Person.objects.filter(user_id=models.OuterRef("recipient_id")).values("pk")[:1]
    Notification.objects.filter(recipient__isnull=False).filter(
        models.Exists(Person.objects.filter(user_id=models.OuterRef("recipient_id")))
    ).update(technician_id=models.Subquery(person), recipient_id=None)


def address_accounts(apps, schema_editor):
    Notification = apps.get_model("portal", "Notification")
    Person = apps.get_model(*settings.PORTAL_PERSON_MODEL.split("."))
    account = Person.objects.filter(pk=models.OuterRef("technician_id")).values("user_id")[:1]
    Notification.objects.filter(technician__isnull=False, technician__user__isnull=False).update(
        recipient_id=models.Subquery(account), technician_id=None
    )
    # A person without an account cannot be kept by the old schema.
    Notification.objects.filter(recipient__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0006_importrun_target'),
        migrations.swappable_dependency(settings.PORTAL_PERSON_MODEL),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='notification',
            name='one_notification_per_kind_key_recipient',
        ),
        migrations.AddField(
            model_name='notification',
            name='digest',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='notification',
            name='reason',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='notification',
            name='reminder_kind',
            field=models.CharField(blank=True, max_length=50),
        ),
        migrations.AddField(
            model_name='notification',
            name='technician',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.PORTAL_PERSON_MODEL),
        ),
        migrations.AlterField(
            model_name='notification',
            name='recipient',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='notification',
            name='status',
            field=models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed'), ('skipped', 'Skipped')], db_index=True, default='pending', max_length=10),
        ),
        migrations.RunPython(address_people, address_accounts),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('recipient__isnull', False), ('technician__isnull', True)), models.Q(('recipient__isnull', True), ('technician__isnull', False)), _connector='OR'), name='notification_one_addressee', violation_error_message='A notification goes to a person or an account.'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(condition=models.Q(('recipient__isnull', False)), fields=('kind', 'key', 'recipient'), name='one_notification_per_kind_key_recipient'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(condition=models.Q(('technician__isnull', False)), fields=('kind', 'key', 'technician'), name='one_notification_per_kind_key_technician'),
        ),
    ]
