from django.core.management.base import BaseCommand

from reports.pdf_archive import pdf_archives_prune


class Command(BaseCommand):
    help = "Delete the cycle PDF archives made more than a day ago (daily cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{pdf_archives_prune()} PDF archive(s) deleted.")
