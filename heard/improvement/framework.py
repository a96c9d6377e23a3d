"""The Customer Service Excellence framework, shipped as data in ``data/cse_standard.json``.

Loaded by a data migration; loading again updates the shipped wording and keeps the
organisation's own priorities and guidance notes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "cse_standard.json"


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def load_framework(criterion_model: Any, sub_criterion_model: Any, element_model: Any) -> int:
    """Create or update the criteria, sub-criteria and elements; return the number of elements.

    Takes the models as arguments so that a migration can pass its historical ones.
    """
    sort_key = 0
    for criterion_data in shipped()["criteria"]:
        criterion, _ = criterion_model.objects.update_or_create(
            number=criterion_data["number"], defaults={"title": criterion_data["title"]}
        )
        for sub_data in criterion_data["sub_criteria"]:
            sub, _ = sub_criterion_model.objects.update_or_create(
                number=sub_data["number"],
                defaults={"title": sub_data["title"], "criterion": criterion},
            )
            for element_data in sub_data["elements"]:
                sort_key += 1
                element_model.objects.update_or_create(
                    number=element_data["number"],
                    defaults={
                        "sub_criterion": sub,
                        "wording": element_data["wording"],
                        "wording_source": element_data.get("wording_source", ""),
                        "suggested_priority": element_data.get("suggested_priority", False),
                        "sort_key": sort_key,
                    },
                )
    return sort_key
