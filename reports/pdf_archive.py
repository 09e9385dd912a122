"""A cycle's PDFs for a leader as one ZIP, built by a task so that no request waits for the renders.

The leader asks (`pdf_archive_request`), a worker builds it (`reports.pdf_archive_build`, run
by `reports.tasks.build_pdf_archive`) and counts the PDFs made as it goes, so the page can show progress;
the leader then downloads it (`pdf_archive_file`)."""

import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.models import Conversation, Cycle
from core.errors import InvalidTransition, NotAllowed
from reports import pdf
from reports.models import PdfArchive
from reports.tasks import build_pdf_archive

# A finished archive is a download, not a record: it goes after a day, so nothing that retention deleted
# outlives it for long (`prune_pdf_archives`, daily cron, and every new request).
LIFETIME = datetime.timedelta(hours=24)


@transaction.atomic
def pdf_archive_request(*, leader, cycle: Cycle, language: str) -> PdfArchive:
    """Ask for the ZIP of the cycle's PDFs of the conversations `leader` leads; built by the worker.

    An archive of the same cycle and language still queued or being built is answered instead of a
    new one. Raises NotAllowed for someone who leads nobody."""
    if not leader.is_leader:
        raise NotAllowed(_("Only leaders can download the PDFs of a cycle."))
    pdf_archives_prune()
    pending = (
        PdfArchive.objects.filter(leader=leader, cycle=cycle, language=language)
        .filter(status__in=[PdfArchive.Status.QUEUED, PdfArchive.Status.RUNNING])
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        return pending
    archive = PdfArchive.objects.create(leader=leader, cycle=cycle, language=language)
    transaction.on_commit(lambda: _enqueue(archive.pk))
    return archive


def _enqueue(archive_id: int) -> None:
    build_pdf_archive.enqueue(archive_id)


def access_pdf_archive(user, pk) -> PdfArchive:
    """The archive `pk` if `user` asked for it; the same 404 whether it is missing or someone else's."""
    archive = (
        PdfArchive.objects.select_related("cycle")
        .defer("body")
        .filter(pk=pk, leader=user, created_at__gt=timezone.now() - LIFETIME)
        .first()
    )
    if archive is None:
        raise Http404
    return archive


def pdf_archive_file(archive: PdfArchive, user) -> tuple[bytes, str]:
    """(ZIP, file name) of a ready archive, while `user` may still see every conversation in it.

    Raises InvalidTransition (409) while it is not ready, and Http404 once the user lost the right to
    any conversation in it (a new leader took over): the archive is then to be asked for again."""
    if archive.status != PdfArchive.Status.READY:
        raise InvalidTransition(_("The archive is not ready yet."))
    visible = set(
        Conversation.objects.visible_to(user)
        .filter(pk__in=archive.conversation_ids)
        .values_list("pk", flat=True)
    )
    if visible != set(archive.conversation_ids):
        raise Http404
    body = PdfArchive.objects.filter(pk=archive.pk).values_list("body", flat=True).get()
    return bytes(body), pdf.cycle_archive_filename(archive.cycle, user)


def pdf_archives_prune() -> int:
    """Delete the archives made more than `LIFETIME` ago; returns how many."""
    deleted, _per_model = PdfArchive.objects.filter(created_at__lte=timezone.now() - LIFETIME).delete()
    return deleted
