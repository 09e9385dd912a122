"""`python manage.py create_scim_token NAME`: a bearer token for the identity provider's SCIM client."""

from django.core.management.base import BaseCommand

from core.audit import audited_command
from identity import services


class Command(BaseCommand):
    help = (
        "Create a provisioning client for SCIM (/scim/v2/) and print its bearer token once; only its "
        "SHA-256 is stored. Run again with the same name for a new token: the old one stops working."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="A name for the client, e.g. entra-id.")

    @audited_command
    def handle(self, *args, name: str, **options):
        client, token = services.provisioning_client_create(name=name)
        self.stderr.write(
            f"Provisioning client {client.name!r}: give this bearer token to it, it is not shown again."
        )
        self.stdout.write(token)
