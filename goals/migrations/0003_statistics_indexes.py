"""An index for the statistics' data version (reports.statistics_cache): MAX(updated_at) without a scan."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0002_audit_trail"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="goal",
            index=models.Index(fields=["updated_at"], name="goal_updated_at_idx"),
        ),
    ]
