"""Count the cases a load run left: python -m bench.count MARKER — prints JSON."""

import json
import sys

import django

django.setup()

from heard.cases.models import Case  # noqa: E402

marker = sys.argv[1]
rows = Case.objects.filter(subject__startswith=marker + "-")
print(json.dumps({"rows": rows.count(), "distinct": rows.values("subject").distinct().count()}))
