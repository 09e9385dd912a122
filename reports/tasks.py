"""Reports' background tasks: a cycle's PDF archive."""

import logging

from django_tasks import task

from reports import pdf_archive_build

logger = logging.getLogger(__name__)
ARCHIVE_PRIORITY = -10  # after e-mail and statistics: nobody's inbox waits for it


@task(priority=ARCHIVE_PRIORITY)
def build_pdf_archive(archive_id: int) -> str:
    try:
        return pdf_archive_build.pdf_archive_build(archive_id)
    except Exception:
        logger.exception("PDF archive %s failed", archive_id)
        pdf_archive_build.pdf_archive_failed(archive_id)
        raise
