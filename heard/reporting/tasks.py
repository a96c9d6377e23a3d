"""Background jobs of the reporting area."""

from django_tasks import task

from heard.reporting import imports


@task()
def run_import(import_id: int) -> str:
    """Check an uploaded file and import it whole or not at all (safe to run more than once)."""
    return imports.run(import_id)
