"""Background jobs of the reporting area."""

from django_tasks import task

from heard.reporting import documents, imports


@task()
def run_import(import_id: int) -> str:
    """Check an uploaded file and import it whole or not at all (safe to run more than once)."""
    return imports.run(import_id)


@task()
def make_report_pdf(report_file_id: int) -> str:
    """Make the PDF of a requested report and keep it (safe to run more than once)."""
    return documents.make_pdf(report_file_id)
