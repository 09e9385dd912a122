"""`python manage.py export_pdfs --cycle ID --leader EMPLOYEE_ID OUT.zip`: a leader's cycle as one ZIP."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from conversations.models import Cycle
from conversations.selectors import cycle_conversations_for_leader
from conversations.services import access_log_record
from organization.models import User
from reports import pdf, pdf_cache


class Command(BaseCommand):
    help = (
        "Write the PDF summaries of every conversation a leader holds in a cycle into one ZIP archive, "
        "in the leader's language. Each PDF is recorded in the conversation's access log as read by "
        "the leader, for whom the archive is made."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="OUT.zip", help="Where to write the archive.")
        parser.add_argument("--cycle", type=int, required=True, help="The cycle's id.")
        parser.add_argument(
            "--leader", required=True, metavar="EMPLOYEE_ID", help="The leader's employee id."
        )
        parser.add_argument("--language", choices=("nb", "nn", "en"), help="Override the leader's language.")

    def handle(self, *args, out, cycle, leader, language=None, **options):
        if not Cycle.objects.filter(pk=cycle).exists():
            raise CommandError(f"No cycle with id {cycle}.")
        person = User.objects.filter(employee_id=leader).first()
        if person is None:
            raise CommandError(f"No person with employee id {leader!r}.")
        conversations = list(cycle_conversations_for_leader(leader=person, cycle_id=cycle))
        target = Path(out)
        # tqdm redraws with "\r"; it needs the raw stream, not the wrapper that appends newlines.
        stream = getattr(self.stderr, "_out", self.stderr)
        with tqdm(total=len(conversations), desc="PDF", unit="pdf", file=stream) as progress:

            def done(conversation):
                access_log_record(conversation=conversation, user=person, channel=pdf.LOG_CHANNEL)
                progress.update(1)

            try:
                count = pdf.write_conversations_zip(
                    target,
                    conversations,
                    language=language or person.language or "nb",
                    after_each=done,
                    render=pdf_cache.conversation_pdf,
                )
            except BaseException:
                target.unlink(missing_ok=True)
                raise
        self.stdout.write(f"{count} PDF(s) written to {target}.")
