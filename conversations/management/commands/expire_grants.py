from django.core.management.base import BaseCommand

from conversations.services import expire_grants
from core.audit import audited_command


class Command(BaseCommand):
    help = "End deputy grants whose date has passed and remove the access they gave (daily cron job)."

    @audited_command
    def handle(self, *args, **options):
        ended = expire_grants()
        self.stdout.write(f"{ended} deputy grant(s) ended.")
