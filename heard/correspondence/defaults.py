"""The letter and email templates Heard ships, in English and Welsh. Loaded by a migration;
administrators edit them in the admin.

Text in ``[[double brackets]]`` is for the officer to replace: a letter still holding any
cannot go for its check or be sent.
"""

from __future__ import annotations

from typing import Any

# The outbox template every letter sent by email goes through: the letter is already
# written, so the message template only passes its subject and body on.
MESSAGE_TEMPLATE_KEY = "correspondence"
MESSAGE_TEMPLATES: list[tuple[str, str, str]] = [
    # (language, subject, body)
    ("en", "{{ subject }}", "{{ body }}"),
    ("cy", "{{ subject }}", "{{ body }}"),
]

SIGN_OFF = {
    ("en", "letter"): "Yours sincerely,",
    ("en", "email"): "Kind regards,",
    ("cy", "letter"): "Yn gywir,",
    ("cy", "email"): "Cofion,",
}
SIGNATURE = "{{ officer_name }}\n{{ service_name }}\n{{ organisation_name }}"

# purpose -> language -> (name, subject, body without sign-off)
WORDING: dict[str, dict[str, tuple[str, str, str]]] = {
    "acknowledgement": {
        "en": (
            "Acknowledgement",
            "{{ reference }}: we have received your message",
            "Dear {{ customer_name }},\n\n"
            "Thank you for contacting {{ organisation_name }} on {{ received_date }} about "
            '"{{ case_subject }}". Your reference is {{ reference }}; please quote it if you '
            "get in touch with us about this.\n\n"
            "We are dealing with it under our {{ procedure_name }}, stage {{ stage_number }} "
            "({{ stage_name }}).\n\n"
            "{{ what_happens_next }}",
        ),
        "cy": (
            "Cydnabyddiaeth",
            "{{ reference }}: rydym wedi cael eich neges",
            "Annwyl {{ customer_name }},\n\n"
            "Diolch am gysylltu â {{ organisation_name }} ar {{ received_date }} ynghylch "
            '"{{ case_subject }}". Eich cyfeirnod yw {{ reference }}; dyfynnwch hwn os byddwch '
            "yn cysylltu â ni am hyn.\n\n"
            "Rydym yn delio â'r mater o dan ein {{ procedure_name }}, cam {{ stage_number }} "
            "({{ stage_name }}).\n\n"
            "{{ what_happens_next }}",
        ),
    },
    "holding": {
        "en": (
            "Holding letter or extension",
            "{{ reference }}: an update on our reply",
            "Dear {{ customer_name }},\n\n"
            'I am writing about your case {{ reference }}, "{{ case_subject }}". '
            "{% if extended_to %}We need more time to look into it properly, and we will now "
            "reply by {{ extended_to }}.{% else %}We are still looking into it and will reply by "
            "{{ respond_by }}.{% endif %}\n\n"
            "[[Explain why we need more time and what we are doing.]]\n\n"
            "I am sorry for the wait."
            "{% if ombudsman %} If you are unhappy about the delay, you can contact the "
            "{{ ombudsman }}.{% endif %}",
        ),
        "cy": (
            "Llythyr dros dro neu estyniad",
            "{{ reference }}: y newyddion diweddaraf am ein hymateb",
            "Annwyl {{ customer_name }},\n\n"
            'Rwy\'n ysgrifennu ynghylch eich achos {{ reference }}, "{{ case_subject }}". '
            "{% if extended_to %}Mae angen mwy o amser arnom i ymchwilio'n iawn, a byddwn nawr "
            "yn ymateb erbyn {{ extended_to }}.{% else %}Rydym yn dal i ymchwilio i'r mater a "
            "byddwn yn ymateb erbyn {{ respond_by }}.{% endif %}\n\n"
            "[[Eglurwch pam mae angen mwy o amser arnom a beth rydym yn ei wneud.]]\n\n"
            "Mae'n ddrwg gennyf am yr oedi."
            "{% if ombudsman %} Os ydych yn anfodlon â'r oedi, gallwch gysylltu â'r "
            "{{ ombudsman }}.{% endif %}",
        ),
    },
    "stage_response": {
        "en": (
            "Stage response",
            "{{ reference }}: our response at stage {{ stage_number }}",
            "Dear {{ customer_name }},\n\n"
            'Thank you for your patience while we looked into your complaint, "{{ case_subject }}" '
            "(reference {{ reference }}). This is our response at stage {{ stage_number }} "
            "({{ stage_name }}) of our {{ procedure_name }}.\n\n"
            "What you told us\n[[Summarise the complaint.]]\n\n"
            "What we found\n[[What we found, and the reasons for our decision.]]\n\n"
            "Our decision\n[[Upheld, partly upheld or not upheld.]]\n\n"
            "Putting things right\n[[Any apology, action or payment, and any actions still "
            "to be done, with dates.]]\n\n"
            "{{ what_happens_next }}\n\n"
            "{{ how_to_escalate }}",
        ),
        "cy": (
            "Ymateb cam",
            "{{ reference }}: ein hymateb yng ngham {{ stage_number }}",
            "Annwyl {{ customer_name }},\n\n"
            'Diolch am eich amynedd tra buom yn ymchwilio i\'ch cwyn, "{{ case_subject }}" '
            "(cyfeirnod {{ reference }}). Dyma ein hymateb yng ngham {{ stage_number }} "
            "({{ stage_name }}) o'n {{ procedure_name }}.\n\n"
            "Yr hyn a ddywedoch wrthym\n[[Crynhowch y gŵyn.]]\n\n"
            "Yr hyn a ganfuwyd gennym\n[[Yr hyn a ganfuwyd, a'r rhesymau dros ein "
            "penderfyniad.]]\n\n"
            "Ein penderfyniad\n[[Wedi'i chadarnhau, wedi'i chadarnhau'n rhannol neu heb ei "
            "chadarnhau.]]\n\n"
            "Unioni pethau\n[[Unrhyw ymddiheuriad, cam gweithredu neu daliad, ac unrhyw gamau "
            "sydd eto i'w cymryd, gyda dyddiadau.]]\n\n"
            "{{ what_happens_next }}\n\n"
            "{{ how_to_escalate }}",
        ),
    },
    "final_response": {
        "en": (
            "Final response",
            "{{ reference }}: our final response",
            "Dear {{ customer_name }},\n\n"
            'This is our final response to your complaint, "{{ case_subject }}" (reference '
            "{{ reference }}), at stage {{ stage_number }} ({{ stage_name }}) of our "
            "{{ procedure_name }}.\n\n"
            "What you told us\n[[Summarise what the customer remains unhappy about.]]\n\n"
            "What we found\n[[What we found, and the reasons for our decision.]]\n\n"
            "Our decision\n[[Upheld, partly upheld or not upheld.]]\n\n"
            "Putting things right\n[[Any apology, action or payment, and any actions still "
            "to be done, with dates.]]\n\n"
            "{{ what_happens_next }}\n\n"
            "{{ how_to_escalate }}",
        ),
        "cy": (
            "Ymateb terfynol",
            "{{ reference }}: ein hymateb terfynol",
            "Annwyl {{ customer_name }},\n\n"
            'Dyma ein hymateb terfynol i\'ch cwyn, "{{ case_subject }}" (cyfeirnod '
            "{{ reference }}), yng ngham {{ stage_number }} ({{ stage_name }}) o'n "
            "{{ procedure_name }}.\n\n"
            "Yr hyn a ddywedoch wrthym\n[[Crynhowch yr hyn sy'n dal yn poeni'r cwsmer.]]\n\n"
            "Yr hyn a ganfuwyd gennym\n[[Yr hyn a ganfuwyd, a'r rhesymau dros ein "
            "penderfyniad.]]\n\n"
            "Ein penderfyniad\n[[Wedi'i chadarnhau, wedi'i chadarnhau'n rhannol neu heb ei "
            "chadarnhau.]]\n\n"
            "Unioni pethau\n[[Unrhyw ymddiheuriad, cam gweithredu neu daliad, ac unrhyw gamau "
            "sydd eto i'w cymryd, gyda dyddiadau.]]\n\n"
            "{{ what_happens_next }}\n\n"
            "{{ how_to_escalate }}",
        ),
    },
    "other": {
        "en": (
            "Blank",
            "{{ reference }}: {{ case_subject }}",
            "Dear {{ customer_name }},\n\n[[Write your letter.]]",
        ),
        "cy": (
            "Gwag",
            "{{ reference }}: {{ case_subject }}",
            "Annwyl {{ customer_name }},\n\n[[Ysgrifennwch eich llythyr.]]",
        ),
    },
}

MEDIUM_NAMES = {
    ("en", "email"): "email",
    ("en", "letter"): "letter",
    ("cy", "email"): "e-bost",
    ("cy", "letter"): "llythyr",
}


def default_templates() -> list[dict[str, Any]]:
    """Every shipped template: each purpose, by email and by letter, in English and Welsh."""
    rows = []
    for purpose, languages in WORDING.items():
        for language, (name, subject, body) in languages.items():
            for medium in ("email", "letter"):
                rows.append(
                    {
                        "name": f"{name} ({MEDIUM_NAMES[(language, medium)]})",
                        "purpose": purpose,
                        "medium": medium,
                        "language": language,
                        "subject": subject,
                        "body": f"{body}\n\n{SIGN_OFF[(language, medium)]}\n\n{SIGNATURE}",
                    }
                )
    return rows


def load_defaults(letter_template_model: Any, message_template_model: Any) -> None:
    """Create the shipped templates that do not exist yet (edited ones are left alone)."""
    for row in default_templates():
        letter_template_model.objects.get_or_create(
            name=row["name"],
            medium=row["medium"],
            language=row["language"],
            defaults={k: row[k] for k in ("purpose", "subject", "body")},
        )
    for language, subject, body in MESSAGE_TEMPLATES:
        message_template_model.objects.get_or_create(
            key=MESSAGE_TEMPLATE_KEY,
            channel="email",
            language=language,
            defaults={"subject": subject, "body": body},
        )
