"""Read the audit trail: every recorded write about one conversation, or by one person, oldest first."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core import audit


class Command(BaseCommand):
    help = (
        "Print the audit trail (who, when, what changed) of one conversation (--conversation ID) or of "
        "everything one person did (--actor EMPLOYEE_ID)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--conversation", type=int, help="Conversation id.")
        which.add_argument("--actor", help="Employee id of the person whose writes to list.")

    def handle(self, *args, conversation=None, actor=None, **options):
        if conversation is not None:
            entries = audit.conversation_trail(conversation)
        else:
            user = get_user_model().objects.filter(employee_id=actor).first()
            if user is None:
                raise CommandError(f"No person with employee id {actor!r}.")
            entries = audit.actor_trail(user.pk)
        for entry in entries:
            self.stdout.write(audit.describe(entry))
        self.stdout.write(f"{len(entries)} event(s).")
