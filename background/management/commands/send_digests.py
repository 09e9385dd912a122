"""`python manage.py send_digests`: the daily digest e-mails (cron, once a day)."""

from django.core.management.base import BaseCommand

from background import outbox


class Command(BaseCommand):
    help = (
        "Send each person who chose the daily digest one e-mail listing every thing held for them since "
        "the last digest, each with its link, in their language. Run it from cron once a day."
    )

    def handle(self, *args, **options):
        digests = outbox.send_digests()
        self.stdout.write(f"{digests} digest(s) written to the outbox.")
