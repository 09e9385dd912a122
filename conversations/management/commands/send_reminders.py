from django.core.management.base import BaseCommand

from conversations.notify.reminders import send_reminders
from core.audit import audited_command


class Command(BaseCommand):
    help = "Send reminder e-mails (contracts waiting for confirmation, goals without follow-up). For cron."

    @audited_command
    def handle(self, *args, **options):
        for kind, count in send_reminders().items():
            self.stdout.write(f"{kind}: {count} reminder(s) sent")
