"""Background jobs of the webhooks area."""

from django_tasks import task

from heard.webhooks import services


@task()
def deliver_webhook(delivery_id: int, attempt: int) -> str:
    """Make one attempt at a webhook delivery (a duplicate job for the same attempt does nothing)."""
    return services.deliver(delivery_id, attempt)
