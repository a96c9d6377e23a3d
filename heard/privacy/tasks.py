"""Background jobs of the personal-data area."""

from django_tasks import task

from heard.privacy import subject_access


@task()
def build_subject_access_export(export_id: int) -> str:
    """Prepare a subject access zip (safe to run more than once)."""
    return subject_access.build(export_id)
