"""Building a cycle's PDF archive, in the worker (`reports.tasks.build_pdf_archive`).

Each PDF comes from the per-content cache, so an archive asked for again costs no render. Putting a
conversation into the archive is logged as a PDF read of it by the leader."""

import io

from django.db.models import F
from django.utils import timezone

from conversations.models import Conversation
from conversations.selectors import cycle_conversations_for_leader
from conversations.services import access_log_record
from reports import pdf, pdf_cache
from reports.models import PdfArchive


def pdf_archive_build(archive_id: int) -> str:
    """Build archive `archive_id` from the conversations its leader may see now. Safe to run again
    (a worker that died): it starts over. Returns the archive's status."""
    archive = PdfArchive.objects.select_related("leader", "cycle").filter(pk=archive_id).first()
    if archive is None or archive.status == PdfArchive.Status.READY:
        return "skipped"
    conversations = list(cycle_conversations_for_leader(leader=archive.leader, cycle_id=archive.cycle_id))
    PdfArchive.objects.filter(pk=archive.pk).update(
        status=PdfArchive.Status.RUNNING,
        total=len(conversations),
        done=0,
        conversation_ids=[c.pk for c in conversations],
    )
    buffer = io.BytesIO()
    pdf.write_conversations_zip(
        buffer,
        conversations,
        language=archive.language,
        after_each=lambda c: _made_one(archive, c),
        render=pdf_cache.conversation_pdf,
    )
    PdfArchive.objects.filter(pk=archive.pk).update(
        status=PdfArchive.Status.READY, body=buffer.getvalue(), finished_at=timezone.now()
    )
    return PdfArchive.Status.READY


def _made_one(archive: PdfArchive, conversation: Conversation) -> None:
    access_log_record(conversation=conversation, user=archive.leader, channel=pdf.LOG_CHANNEL)
    PdfArchive.objects.filter(pk=archive.pk).update(done=F("done") + 1)


def pdf_archive_failed(archive_id: int) -> None:
    PdfArchive.objects.filter(pk=archive_id).exclude(status=PdfArchive.Status.READY).update(
        status=PdfArchive.Status.FAILED, finished_at=timezone.now()
    )
