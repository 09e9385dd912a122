from django.core.management.base import BaseCommand

from conversations.privacy.retention import apply_retention
from core.audit import audited_command


class Command(BaseCommand):
    help = (
        "Delete finished conversations past the retention periods (after closing; after the employee left), "
        "with everything attached. Meant for cron. --dry-run shows what would go."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; change nothing."
        )

    @audited_command
    def handle(self, *args, dry_run=False, **options):
        result = apply_retention(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {len(result.conversations)} conversation(s).")
        if result.conversations:
            self.stdout.write("Conversation ids: " + ", ".join(map(str, result.conversations)))
        for label, count in sorted(result.deleted.items()):
            self.stdout.write(f"  {label}: {count}")
