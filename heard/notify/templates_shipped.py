"""The message templates Heard ships, in English and Welsh. Loaded by a migration; edit them in the admin."""

from __future__ import annotations

# (key, channel, language, subject, body)
SHIPPED: list[tuple[str, str, str, str, str]] = [
    (
        "officer_reminder",
        "email",
        "en",
        "{{ reference }} is due in {{ days }} working day{{ days|pluralize }}",
        "Dear {{ officer_name }},\n\n{{ reference }} ({{ subject }}) for {{ service }} must be answered by "
        "{{ respond_by }}.\n\nHeard, for {{ organisation }}",
    ),
    (
        "officer_reminder",
        "email",
        "cy",
        "Mae {{ reference }} i fod ymhen {{ days }} diwrnod gwaith",
        "Annwyl {{ officer_name }},\n\nRhaid ymateb i {{ reference }} ({{ subject }}) ar gyfer {{ service }} erbyn "
        "{{ respond_by }}.\n\nHeard, ar ran {{ organisation }}",
    ),
    (
        "officer_due_today",
        "email",
        "en",
        "{{ reference }} is due today",
        "Dear {{ officer_name }},\n\n{{ reference }} ({{ subject }}) for {{ service }} must be answered today, "
        "{{ respond_by }}. If it cannot be, agree an extension with the customer and record it.\n\n"
        "Heard, for {{ organisation }}",
    ),
    (
        "officer_due_today",
        "email",
        "cy",
        "Mae {{ reference }} i fod heddiw",
        "Annwyl {{ officer_name }},\n\nRhaid ymateb i {{ reference }} ({{ subject }}) ar gyfer {{ service }} heddiw, "
        "{{ respond_by }}. Os nad yw hynny'n bosibl, cytunwch ar estyniad gyda'r cwsmer a'i gofnodi.\n\n"
        "Heard, ar ran {{ organisation }}",
    ),
    (
        "breach_escalation",
        "email",
        "en",
        "Missed deadline: {{ reference }}",
        "Dear {{ head_name }},\n\n{{ reference }} ({{ subject }}) in {{ service }} was due to be answered by "
        "{{ respond_by }} and has not been. It is {{ overdue_days }} working day{{ overdue_days|pluralize }} "
        "overdue. Officer: {{ officer_name }}.\n\nHeard, for {{ organisation }}",
    ),
    (
        "breach_escalation",
        "email",
        "cy",
        "Terfyn amser wedi'i fethu: {{ reference }}",
        "Annwyl {{ head_name }},\n\nRoedd {{ reference }} ({{ subject }}) yn {{ service }} i fod i gael ymateb erbyn "
        "{{ respond_by }} ac nid yw wedi cael un. Mae {{ overdue_days }} diwrnod gwaith yn hwyr. "
        "Swyddog: {{ officer_name }}.\n\nHeard, ar ran {{ organisation }}",
    ),
    (
        "weekly_digest",
        "email",
        "en",
        "Weekly review, {{ service }}: {{ overdue }} overdue, {{ due_soon }} due soon",
        "Dear {{ head_name }},\n\nCases in {{ service }} for week {{ week }}:\n\n"
        "Open: {{ open }}\nDue within 5 working days: {{ due_soon }}\nOverdue: {{ overdue }}\n"
        "{% if overdue_cases %}\nOverdue cases:\n{% for line in overdue_cases %}- {{ line }}\n{% endfor %}{% endif %}"
        "\nHeard, for {{ organisation }}",
    ),
    (
        "weekly_digest",
        "email",
        "cy",
        "Adolygiad wythnosol, {{ service }}: {{ overdue }} yn hwyr, {{ due_soon }} i fod cyn bo hir",
        "Annwyl {{ head_name }},\n\nAchosion yn {{ service }} ar gyfer wythnos {{ week }}:\n\n"
        "Agored: {{ open }}\nI fod o fewn 5 diwrnod gwaith: {{ due_soon }}\nYn hwyr: {{ overdue }}\n"
        "{% if overdue_cases %}\nAchosion hwyr:\n{% for line in overdue_cases %}- {{ line }}\n{% endfor %}{% endif %}"
        "\nHeard, ar ran {{ organisation }}",
    ),
    (
        "extension_notice",
        "email",
        "en",
        "Your {{ kind }} {{ reference }}: we need more time",
        "Dear {{ customer_name }},\n\nWe are sorry that we need more time to reply to your {{ kind }} about "
        '"{{ subject }}". We will now reply by {{ respond_by }}.\n\nWhy: {{ reason }}\n\n'
        "If you are unhappy with this, contact us quoting {{ reference }}."
        "{% if ombudsman %} You can also contact the {{ ombudsman }}.{% endif %}\n\n{{ organisation }}",
    ),
    (
        "extension_notice",
        "email",
        "cy",
        "Eich achos {{ reference }}: mae angen mwy o amser arnom",
        "Annwyl {{ customer_name }},\n\nMae'n ddrwg gennym fod angen mwy o amser arnom i ateb eich achos am "
        '"{{ subject }}". Byddwn yn ateb erbyn {{ respond_by }}.\n\nPam: {{ reason }}\n\n'
        "Os ydych yn anhapus â hyn, cysylltwch â ni gan ddyfynnu {{ reference }}."
        "{% if ombudsman %} Gallwch hefyd gysylltu â'r {{ ombudsman }}.{% endif %}\n\n{{ organisation }}",
    ),
    (
        "extension_notice",
        "sms",
        "en",
        "",
        "{{ organisation }}: we need more time to reply to {{ reference }}. We will reply by {{ respond_by }}.",
    ),
    (
        "extension_notice",
        "sms",
        "cy",
        "",
        "{{ organisation }}: mae angen mwy o amser arnom i ateb {{ reference }}. Byddwn yn ateb erbyn {{ respond_by }}.",
    ),
    (
        "late_notice",
        "email",
        "en",
        "Your {{ kind }} {{ reference }}: our reply is late",
        'Dear {{ customer_name }},\n\nWe promised to reply to your {{ kind }} about "{{ subject }}" by '
        "{{ respond_by }} and we have not yet done so. We are sorry. We will reply as soon as we can.\n\n"
        "Quote {{ reference }} if you contact us.{% if ombudsman %} You can also contact the {{ ombudsman }}.{% endif %}"
        "\n\n{{ organisation }}",
    ),
    (
        "late_notice",
        "email",
        "cy",
        "Eich achos {{ reference }}: mae ein hateb yn hwyr",
        'Annwyl {{ customer_name }},\n\nFe wnaethom addo ateb eich achos am "{{ subject }}" erbyn {{ respond_by }} '
        "ac nid ydym wedi gwneud hynny eto. Mae'n ddrwg gennym. Byddwn yn ateb cyn gynted ag y gallwn.\n\n"
        "Dyfynnwch {{ reference }} os byddwch yn cysylltu â ni."
        "{% if ombudsman %} Gallwch hefyd gysylltu â'r {{ ombudsman }}.{% endif %}\n\n{{ organisation }}",
    ),
    (
        "late_notice",
        "sms",
        "en",
        "",
        "{{ organisation }}: sorry, our reply to {{ reference }} is late. We will reply as soon as we can.",
    ),
    (
        "late_notice",
        "sms",
        "cy",
        "",
        "{{ organisation }}: mae'n ddrwg gennym, mae ein hateb i {{ reference }} yn hwyr. Byddwn yn ateb cyn gynted ag y gallwn.",
    ),
    (
        "restriction_review",
        "email",
        "en",
        "Review due: restriction on {{ customer_name }}",
        "Dear {{ officer_name }},\n\nThe restriction on {{ customer_name }} ({{ restriction }}) is due for review "
        "on {{ review_on }}. Reason recorded: {{ reason }}\n\nPlease review whether it is still needed and "
        "proportionate, and record the outcome.\n\nHeard, for {{ organisation }}",
    ),
    (
        "restriction_review",
        "email",
        "cy",
        "Adolygiad yn ddyledus: cyfyngiad ar {{ customer_name }}",
        "Annwyl {{ officer_name }},\n\nMae'r cyfyngiad ar {{ customer_name }} ({{ restriction }}) i'w adolygu "
        "ar {{ review_on }}. Y rheswm a gofnodwyd: {{ reason }}\n\nAdolygwch a oes ei angen o hyd ac a yw'n "
        "gymesur, a chofnodwch y canlyniad.\n\nHeard, ar ran {{ organisation }}",
    ),
    (
        "survey_invitation",
        "email",
        "en",
        "How did we do with {{ reference }}?",
        "Dear {{ customer_name }},\n\nWe have closed your {{ kind }} {{ reference }}. Please tell us how we "
        "handled it: it takes two minutes and helps us improve.\n\n{{ survey_url }}\n\n{{ organisation }}",
    ),
    (
        "survey_invitation",
        "email",
        "cy",
        "Sut wnaethon ni gyda {{ reference }}?",
        "Annwyl {{ customer_name }},\n\nRydym wedi cau eich achos {{ reference }}. Dywedwch wrthym sut y gwnaethom "
        "ei drin: mae'n cymryd dau funud ac yn ein helpu i wella.\n\n{{ survey_url }}\n\n{{ organisation }}",
    ),
    (
        "acknowledgement",
        "email",
        "en",
        "We have received your {{ kind }}: {{ reference }}",
        "Dear {{ customer_name }},\n\nThank you for contacting {{ organisation }}. We have received your {{ kind }} "
        'about "{{ subject }}". Your reference is {{ reference }}.\n\nWhat happens next\n'
        "{% if is_complaint %}We will look into your complaint and reply by {{ respond_by }}. If we need more time "
        "we will tell you why and when you can expect our reply.{% else %}We will reply by {{ respond_by }} "
        "if a reply is needed.{% endif %}\n\nYou can follow your case at {{ track_url }} with your reference and "
        "this email address.\n\n{{ organisation }}",
    ),
    (
        "acknowledgement",
        "email",
        "cy",
        "Rydym wedi cael eich neges: {{ reference }}",
        "Annwyl {{ customer_name }},\n\nDiolch am gysylltu â {{ organisation }}. Rydym wedi cael eich neges am "
        '"{{ subject }}". Eich cyfeirnod yw {{ reference }}.\n\nBeth sy\'n digwydd nesaf\n'
        "{% if is_complaint %}Byddwn yn ymchwilio i'ch cwyn ac yn ateb erbyn {{ respond_by }}. Os bydd angen mwy o "
        "amser arnom, byddwn yn dweud wrthych pam a phryd i ddisgwyl ein hateb.{% else %}Byddwn yn ateb erbyn "
        "{{ respond_by }} os oes angen ateb.{% endif %}\n\nGallwch ddilyn eich achos yn {{ track_url }} gyda'ch "
        "cyfeirnod a'r cyfeiriad e-bost hwn.\n\n{{ organisation }}",
    ),
    (
        "tracking_link",
        "email",
        "en",
        "Follow your case {{ reference }}",
        "Dear {{ customer_name }},\n\nUse this link to see where your case {{ reference }} stands. It works for "
        "{{ days }} days and only for this case.\n\n{{ link }}\n\nIf you did not ask for this link, you can "
        "ignore this email.\n\n{{ organisation }}",
    ),
    (
        "tracking_link",
        "email",
        "cy",
        "Dilyn eich achos {{ reference }}",
        "Annwyl {{ customer_name }},\n\nDefnyddiwch y ddolen hon i weld sut mae eich achos {{ reference }} yn dod "
        "yn ei flaen. Mae'n gweithio am {{ days }} diwrnod ac ar gyfer yr achos hwn yn unig.\n\n{{ link }}\n\n"
        "Os na wnaethoch ofyn am y ddolen hon, gallwch anwybyddu'r e-bost hwn.\n\n{{ organisation }}",
    ),
]
