"""`python manage.py import_org FILE.csv [--dry-run] [--allow-mass-leave]`: the organisation from the HR
system."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import audited_command
from organization import importer, services


class Command(BaseCommand):
    help = (
        "Import the organisation from the HR system's CSV file (UTF-8, columns "
        "employee_id,full_name,email,unit,manager_id,roles). The file is the whole organisation: "
        "active people missing from it are marked as left (never deleted) and come back when a later "
        "file has them; superusers are never marked as left. The whole file is checked first, and a "
        "file with errors changes nothing. A file that would mark more than "
        "SAMTALE_IMPORT_MAX_LEAVE_SHARE of the active people as left is refused unless "
        "--allow-mass-leave is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change; write nothing.",
        )
        parser.add_argument(
            "--allow-mass-leave",
            action="store_true",
            help="Import even if more than SAMTALE_IMPORT_MAX_LEAVE_SHARE of the active people would be "
            "marked as left.",
        )

    @audited_command
    def handle(self, *args, file: str, dry_run: bool, allow_mass_leave: bool, **options):
        rows = self._checked_rows(file)
        try:
            summary = services.org_import_apply(rows=rows, dry_run=dry_run, allow_mass_leave=allow_mass_leave)
        except importer.MassLeaveRefused as refused:
            if not dry_run:
                raise CommandError(f"{refused.message} {_('Nothing was changed.')}") from None
            warning = _("Warning: the import itself would be refused. %(reason)s") % {
                "reason": refused.message
            }
            self.stdout.write(warning)
            summary = refused.summary
        self.stdout.write(self._report(summary, dry_run))

    def _checked_rows(self, file: str) -> list[importer.OrgRow]:
        try:
            return importer.read_org_file(self._read(file))
        except importer.OrgFileRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            count = len(refused.problems)
            raise CommandError(
                ngettext(
                    "The file was refused because of %(count)d error. Nothing was changed.",
                    "The file was refused because of %(count)d errors. Nothing was changed.",
                    count,
                )
                % {"count": count}
            ) from None

    def _read(self, file: str) -> bytes:
        try:
            with open(file, "rb") as handle:
                return handle.read()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}
            ) from None

    def _report(self, summary: importer.ImportSummary, dry_run: bool) -> str:
        lines = [
            _("People created: %(count)d") % {"count": summary.created},
            _("People updated: %(count)d") % {"count": summary.updated},
            _("People unchanged: %(count)d") % {"count": summary.unchanged},
            _("People marked as left: %(count)d") % {"count": summary.left},
            _("People returned: %(count)d") % {"count": summary.returned},
            _("Managers changed: %(count)d") % {"count": summary.managers_changed},
            _("Units created: %(count)d") % {"count": summary.units_created},
        ]
        if dry_run:
            lines.insert(0, _("Dry run: the file is valid, but nothing was written. The import would give:"))
        return "\n".join(lines)
