"""An index for the statistics' data version (reports.statistics_cache): MAX(updated_at) without a scan."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0005_audit_trail"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(fields=["updated_at"], name="conversation_updated_at_idx"),
        ),
    ]
