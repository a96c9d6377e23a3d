"""Runs inside django-helpdesk's virtualenv (python setup_data.py < spec.json) with
DJANGO_SETTINGS_MODULE=project.settings: creates the queues and the staff users through the
ORM (so helpdesk's own signals make their settings), and prints their ids as JSON.

spec: {"queues": [[slug, title], ...], "officers_per_queue": 2, "password": "..."}
"""

import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from helpdesk.models import Queue, UserSettings  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

spec = json.load(sys.stdin)
User = get_user_model()
password = make_password(spec["password"])
queues: dict[str, int] = {}
officers: dict[str, list[int]] = {}
for slug, title in spec["queues"]:
    queue = Queue.objects.create(
        title=title,
        slug=slug,
        email_address=f"{slug}@example.org",
        allow_public_submission=True,
        allow_email_submission=False,
        escalate_days=None,
    )
    queues[slug] = queue.pk
    officers[slug] = []
    for n in range(1, spec["officers_per_queue"] + 1):
        user = User.objects.create(
            username=f"{slug}{n}",
            email=f"{slug}{n}@example.org",
            first_name=title.split()[0],
            last_name=f"Officer {n}",
            is_staff=True,
            password=password,
        )
        UserSettings.objects.get_or_create(user=user)
        officers[slug].append(user.pk)
admin = User.objects.create(
    username="bench",
    email="bench@example.org",
    is_staff=True,
    is_superuser=False,
    password=password,
)
UserSettings.objects.get_or_create(user=admin)
token = Token.objects.create(user=admin)  # for the API intake (staff only: IsAdminUser)
print(json.dumps({"queues": queues, "officers": officers, "staff": admin.pk, "token": token.key}))
