from django.db import migrations


class Migration(migrations.Migration):
    """The annual report moves to the commitment app: it leaves the kernel's state only; its
    table and rows stay (commitment.0001 takes them over)."""

    dependencies = [
        ("portal", "0006_importrun_target"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AnnualReport")],
            database_operations=[],
        ),
    ]
