"""Background jobs of the improvement area."""

from django_tasks import task

from heard.improvement import portfolio


@task()
def make_portfolio(export_id: int) -> str:
    """Make an assessment's evidence portfolio, PDF and zip (safe to run more than once)."""
    return portfolio.build(export_id)
