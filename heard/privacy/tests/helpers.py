"""Cases with personal data in every corner, for the privacy tests."""

import base64
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from heard.cases import services
from heard.cases.models import Case, Status
from heard.notify.models import Message, MessageChannel, TemplateKey
from heard.privacy.people import optional_model
from heard.testing import make_case

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def full_case(by, *, customer_name="Ann Example", subject="Bins not collected at 4 Elm Road"):
    """A case with a note, a file, an answer with a remedy, a message, and closed."""
    case = make_case(by=by, customer_name=customer_name, subject=subject)
    services.add_note(case, by=by, text=f"{customer_name} rang again, very upset about her health.")
    services.add_attachment(
        case, by=by, upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    )
    services.respond(
        case,
        by=by,
        outcome="upheld",
        summary=f"Dear {customer_name}, we are sorry.",
        remedies=[{"kind": "apology", "description": f"Apology to {customer_name}"}],
        lessons_learned=f"Crews missed {customer_name}'s street; rota fixed.",
    )
    services.close(case, by=by, note="Closed after apology.")
    Message.objects.create(
        idempotency_key=f"test:{case.pk}",
        case=case,
        template_key=TemplateKey.ACKNOWLEDGEMENT,
        channel=MessageChannel.EMAIL,
        recipient="ann@example.org",
        subject=f"Your complaint {case.reference}",
        body=f"Dear {customer_name}, we have your complaint about 4 Elm Road.",
    )
    letter = optional_model("correspondence.Letter")
    if letter is not None:
        letter._base_manager.create(
            case=case,
            purpose="final_response",
            stage=case.stage,
            medium="letter",
            recipient=customer_name,
            address="4 Elm Road\nTown AB1 2CD",
            subject=f"Your complaint {case.reference}",
            body=f"Dear {customer_name}, here is our answer.",
            author=by,
        )
    return Case.objects.get(pk=case.pk)


def closed_long_ago(case, *, years):
    """Move the case's closure back in time (test set-up only)."""
    Case.objects.filter(pk=case.pk).update(
        status=Status.CLOSED, closed_at=timezone.now() - timedelta(days=365 * years + 10)
    )
    return Case.objects.get(pk=case.pk)
