"""Background jobs of the notifications area."""

from django_tasks import task

from heard.notify import services


@task()
def deliver_message(message_id: int) -> str:
    """Deliver one queued message (safe to run more than once)."""
    return services.deliver(message_id)
