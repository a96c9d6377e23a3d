"""Cases: every contact a customer makes, and the record of what was done with it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from heard.org.models import Service
from heard.procedures.models import ProcedureVersion, Stage


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    SERVICE_REQUEST = "service_request", "Service request"
    DISSATISFACTION = "dissatisfaction", "Dissatisfaction prior to a complaint"
    COMPLIMENT = "compliment", "Compliment"
    COMMENT = "comment", "Comment"
    SUGGESTION = "suggestion", "Suggestion"
    MEMBER_ENQUIRY = "member_enquiry", "Elected member enquiry"
    MP_ENQUIRY = "mp_enquiry", "MP enquiry"
    ENQUIRY = "enquiry", "General enquiry"


REFERENCE_PREFIXES: dict[str, str] = {
    Kind.COMPLAINT: "CMP",
    Kind.SERVICE_REQUEST: "SR",
    Kind.DISSATISFACTION: "DIS",
    Kind.COMPLIMENT: "CPL",
    Kind.COMMENT: "COM",
    Kind.SUGGESTION: "SUG",
    Kind.MEMBER_ENQUIRY: "MEM",
    Kind.MP_ENQUIRY: "MP",
    Kind.ENQUIRY: "ENQ",
}


class Channel(models.TextChoices):
    WEB = "web", "Web"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    SOCIAL_MEDIA = "social_media", "Social media"
    VIA_REPRESENTATIVE = "via_representative", "Via an elected member or MP"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESPONDED = "responded", "Responded"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.RECEIVED, Status.ACKNOWLEDGED)


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    RESOLVED_AT_FIRST_CONTACT = "resolved_at_first_contact", "Resolved at first contact"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RepresentativeRole(models.TextChoices):
    ELECTED_MEMBER = "elected_member", "Elected member (councillor)"
    MP = "mp", "MP"
    ADVOCATE = "advocate", "Advocate"
    RELATIVE = "relative", "Relative or friend"
    OTHER = "other", "Other"


class AccessFormat(models.TextChoices):
    LARGE_PRINT = "large_print", _("Large print")
    BRAILLE = "braille", _("Braille")
    AUDIO = "audio", _("Audio")
    EASY_READ = "easy_read", _("Easy read")
    OTHER_LANGUAGE = "other_language", _("Another language")
    INTERPRETER = "interpreter", _("An interpreter (including British Sign Language)")


class ContactPreference(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")


class Customer(models.Model):
    """A member of the public, or someone acting for one."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    language = models.CharField(
        max_length=2,
        choices=[("en", "English"), ("cy", "Cymraeg (Welsh)")],
        default="en",
        help_text="The language Heard writes to this customer in.",
    )
    contact_preference = models.CharField(
        max_length=10, choices=ContactPreference.choices, default=ContactPreference.EMAIL
    )
    access_formats = models.JSONField(
        default=list,
        blank=True,
        help_text="Formats the customer needs: large print, Braille, audio…",
    )
    access_language = models.CharField(
        max_length=100,
        blank=True,
        help_text="The language they need, if another language or an interpreter.",
    )
    adjustments = models.TextField(
        blank=True, help_text="Reasonable adjustments the customer asked for."
    )
    # Normalised copies for search and duplicate detection, kept by save().
    postcode = models.CharField(max_length=8, blank=True, editable=False)
    phone_digits = models.CharField(max_length=20, blank=True, editable=False)
    # The address as a number (normalise.email_key; none if blank), kept by save() and copied
    # onto the customer's cases (Case.customer_key), which the report figures count people by.
    email_key = models.BigIntegerField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        help_text="Set when this record was found to be a duplicate and merged.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["email"]),
            # Serves email__iexact on PostgreSQL (Django compares UPPER(email) there): finding
            # a person by address, and duplicate customers, at a million customers.
            models.Index(Upper("email"), name="customer_email_upper"),
            models.Index(fields=["postcode"], name="customer_postcode"),
            models.Index(fields=["phone_digits"], name="customer_phone"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the normalised copies, and the copies of the email key on the customer's
        cases when the address changed (one UPDATE then; none otherwise, nor for a new record)."""
        from heard.cases.normalise import email_key, phone_digits, postcode_in

        self.postcode = postcode_in(self.address)
        self.phone_digits = phone_digits(self.phone)
        update_fields = kwargs.get("update_fields")
        kept = {"postcode", "phone_digits"}
        if update_fields is None or "email" in update_fields:
            self.email_key = email_key(self.email)
            kept.add("email_key")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *kept}
        existing = self.pk is not None
        super().save(*args, **kwargs)
        if "email_key" not in kept:
            return
        unknown = not hasattr(self, "_stored_email_key")
        if existing and (unknown or self._stored_email_key != self.email_key):
            Case.objects.filter(customer_id=self.pk).update(customer_key=self.email_key)
        self._stored_email_key = self.email_key

    # The email key as last read from or written to the database; unset on a record not yet
    # saved (or read without its key), where save() cannot tell whether the address changed.
    _stored_email_key: int | None

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Self:
        customer = super().from_db(db, field_names, values)
        if "email_key" in customer.__dict__:  # not deferred
            customer._stored_email_key = customer.email_key
        return customer


class Case(models.Model):
    """One contact and everything done with it, across every stage of its procedure.

    The current stage's deadlines are mirrored here from its :class:`StageRecord` so that
    work queues and the overdue filter need no join.
    """

    reference = models.CharField(max_length=24, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    procedure_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, related_name="cases"
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    stage_number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)

    subject = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases")
    # A copy of the customer's email key (Customer.email_key), so that the repeat-complainant
    # figure counts people from this table alone. Written wherever a case is created and kept
    # when the customer's address changes, the case moves to another customer, or the
    # customer is erased (docs/developers.md, "Figures").
    customer_key = models.BigIntegerField(null=True, blank=True, editable=False)
    representative = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="represented_cases"
    )
    representative_role = models.CharField(
        max_length=20, choices=RepresentativeRole.choices, blank=True
    )

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    category = models.ForeignKey(
        "org.ServiceRequestCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="For service requests: what was asked for, from the service catalogue.",
    )
    originated_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="became",
        help_text="The service request or expression of dissatisfaction this complaint grew from.",
    )

    received_at = models.DateTimeField()
    deemed_received = models.DateField()
    acknowledge_by = models.DateField(null=True, blank=True)
    respond_by = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "respond_by"], name="case_status_due"),
            models.Index(fields=["service", "status", "respond_by"], name="case_service_queue"),
            models.Index(
                fields=["assigned_officer", "status", "respond_by"], name="case_officer_queue"
            ),
            models.Index(fields=["kind", "received_at"], name="case_kind_received"),
            models.Index(fields=["received_at"], name="case_received"),
            # Contacts received in a period, by service, kind and channel: read from the index
            # alone (PostgreSQL). Its customer column is no longer read (repeat complainants are
            # counted from case_customer_key_figures).
            models.Index(
                fields=["received_at"],
                include=["id", "kind", "channel", "service", "customer"],
                name="case_received_figures",
            ),
            # Complaints received in a period, told apart by customer (repeat complainants),
            # by kind, channel and service: read from the index alone (PostgreSQL). Customers
            # without an email address are not counted, so their cases are left out of it.
            models.Index(
                fields=["kind", "received_at"],
                include=["customer_key", "channel", "service"],
                condition=models.Q(customer_key__isnull=False),
                name="case_customer_key_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    # Set by ``services._record_contact`` on the case it returns (never saved): what recording
    # the contact wrote besides the case, so that the API's answer need not read it back.
    recorded_with: Recorded | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class StageRecord(models.Model):
    """What happened at one stage of a case: its deadlines, response, outcome and lessons."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_records")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    requested_at = models.DateTimeField(
        help_text="Receipt of the contact, or of the escalation request."
    )
    deemed_received = models.DateField()
    unresolved = models.TextField(
        blank=True, help_text="What the customer remains unhappy with (escalated stages)."
    )
    acknowledge_by = models.DateField(null=True, blank=True)
    respond_by = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    response_summary = models.TextField(blank=True)
    lessons_learned = models.TextField(blank=True)
    # Copied from the case, so that performance figures read stage records alone (no join
    # with a million cases). A case's kind and channel never change; its service changes only
    # by allocation, which copies it again (cases.services.allocate). Make new stage records
    # with StageRecord.of(case, ...) so that the copies are filled in.
    case_kind = models.CharField(max_length=20, choices=Kind.choices, blank=True, db_default="")
    case_channel = models.CharField(
        max_length=20, choices=Channel.choices, blank=True, db_default=""
    )
    case_service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="stage_record_once")]
        # Reports select stages by when they began and when they were answered. The covering
        # indexes hold every column the figures count by (PostgreSQL reads them without
        # visiting the table; other databases build them without the included columns).
        indexes = [
            models.Index(fields=["requested_at"], name="stage_record_requested"),
            models.Index(fields=["responded_at"], name="stage_record_responded"),
            models.Index(
                fields=["requested_at"],
                include=[
                    "id",
                    "case_kind",
                    "case_channel",
                    "case_service",
                    "number",
                    "deemed_received",
                    "acknowledge_by",
                    "acknowledged_at",
                    "responded_at",
                    "outcome",
                ],
                name="stage_record_started_figures",
            ),
            models.Index(
                fields=["case_kind", "responded_at"],
                include=[
                    "id",
                    "case_channel",
                    "case_service",
                    "number",
                    "deemed_received",
                    "respond_by",
                    "extended_to",
                    "outcome",
                    "case",
                ],
                name="stage_record_answer_figures",
            ),
            models.Index(
                fields=["case_kind", "responded_at"],
                include=["id", "case_channel", "case_service"],
                condition=~models.Q(lessons_learned=""),
                name="stage_record_lessons",
            ),
            # Stages of one kind begun in a period (the acknowledgement figures), without
            # reading the other kinds' entries as stage_record_started_figures does.
            models.Index(
                fields=["case_kind", "requested_at"],
                include=[
                    "id",
                    "case_channel",
                    "case_service",
                    "number",
                    "acknowledge_by",
                    "acknowledged_at",
                ],
                name="stage_record_kind_started",
            ),
            # The case-based service standards: first stages on given channels begun in a
            # period, every kind (e.g. letters and emails acknowledged within 5 working days).
            models.Index(
                fields=["number", "case_channel", "requested_at"],
                include=[
                    "id",
                    "case_service",
                    "deemed_received",
                    "acknowledged_at",
                    "responded_at",
                    "outcome",
                ],
                name="stage_record_standards",
            ),
            # Remedies given in responses sent in a period, joined to their stage records.
            models.Index(
                fields=["responded_at"],
                include=["id", "case_service", "number"],
                name="stage_record_remedy_figures",
            ),
            # Stages after the first (escalations), few of them, for the escalation figures.
            models.Index(
                fields=["case", "number"],
                condition=models.Q(number__gt=1),
                name="stage_record_later",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} stage {self.number}"

    @classmethod
    def of(cls, case: Case, **fields: Any) -> StageRecord:
        """A new (unsaved) stage record of ``case``, with the case's kind, channel and service
        copied onto it for the figures."""
        return cls(
            case=case,
            case_kind=case.kind,
            case_channel=case.channel,
            case_service_id=case.service_id,
            **fields,
        )

    @property
    def due(self) -> Any:
        return self.extended_to or self.respond_by


class Extension(models.Model):
    stage_record = models.ForeignKey(
        StageRecord, on_delete=models.CASCADE, related_name="extensions"
    )
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    previous_date = models.DateField()
    new_date = models.DateField()
    customer_told_at = models.DateTimeField()
    customer_told_how = models.CharField(max_length=20, choices=Channel.choices)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Extended to {self.new_date:%d %B %Y}"


class RemedyKind(models.TextChoices):
    APOLOGY = "apology", "Apology"
    ACTION = "action", "Action to put things right"
    FINANCIAL = "financial", "Financial redress"
    OTHER = "other", "Other"


class Remedy(models.Model):
    stage_record = models.ForeignKey(StageRecord, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(max_length=20, choices=RemedyKind.choices)
    description = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name_plural = "remedies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="financial", amount__gt=0)
                | (~models.Q(kind="financial") & models.Q(amount__isnull=True)),
                name="remedy_amount_only_when_financial",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display() + (f" £{self.amount}" if self.amount else "")


class AppendOnlyQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The case action log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The case action log is append-only.")


class CaseEvent(models.Model):
    """One entry of the append-only action log: who did what, when, before and after."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=32)
    at = models.DateTimeField(
        help_text="When it happened (may be earlier than when it was recorded)."
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=500)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("The case action log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The case action log is append-only.")


@dataclass(frozen=True)
class Recorded:
    """What recording a new contact wrote besides the case (see ``Case.recorded_with``)."""

    stage_record: StageRecord
    event: CaseEvent
    time_zone: str  # the organisation's, as read when the contact was recorded


class ReferenceCounter(models.Model):
    """The last number handed out for a reference prefix in a year."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class RestrictionKind(models.TextChoices):
    SINGLE_POINT_OF_CONTACT = "single_point_of_contact", "Single point of contact"
    CHANNEL_LIMIT = "channel_limit", "Contact limited to certain channels"
    CONTACT_FREQUENCY = "contact_frequency", "Limit on how often contact is answered"
    OTHER = "other", "Other"


class CustomerRestriction(models.Model):
    """A proportionate restriction on an unreasonably persistent or vexatious customer (seed 001).

    It has a reason and a review date; the customer keeps access to the complaints procedure.
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="restrictions")
    kind = models.CharField(max_length=32, choices=RestrictionKind.choices)
    details = models.TextField(
        help_text="What exactly is restricted, e.g. 'email only, to the named officer'."
    )
    reason = models.TextField()
    review_on = models.DateField(help_text="When the restriction must be reviewed.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.customer} (review {self.review_on:%d %B %Y})"


def _attachment_storage() -> Any:
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.HEARD_ATTACHMENTS_DIR, base_url=None)


class Attachment(models.Model):
    """A photo or document a customer sent. Its type was checked by its content, not its name."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    # Uploaded before the case exists (the public form); linked when it is sent.
    upload_token = models.CharField(max_length=64, blank=True, db_index=True)
    file = models.FileField(storage=_attachment_storage, upload_to="%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class CaseNote(models.Model):
    """An officer's note on a case: what was found, said or decided along the way."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.case_id} at {self.at:%Y-%m-%d %H:%M}"


class CaseLink(models.Model):
    """Two cases an officer linked: the same problem, the same customer, or one caused the other."""

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    reason = models.CharField(max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case"], name="case_link_once"),
            models.CheckConstraint(
                condition=~models.Q(from_case=models.F("to_case")), name="case_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} ↔ {self.to_case_id}"


class RoutingRule(models.Model):
    """Triage: contacts about a named category follow their own (statutory) procedure.

    Seed 002: complaints about social and health care follow the statutory procedure, not
    the corporate one. At triage the officer chooses the category; the rule supplies the
    procedure and, if set, the service.
    """

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    kinds = models.JSONField(
        default=list,
        blank=True,
        help_text="The kinds of contact the rule applies to; empty means complaints only.",
    )
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.PROTECT, related_name="routing_rules"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="routing_rules"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, kind: str) -> bool:
        return kind in (self.kinds or [Kind.COMPLAINT])
