"""Every channel in: mailboxes and the mail they received, Open311 clients and their reports,
call records, and the old system's references of imported cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from heard.cases.models import Case, Kind
from heard.org.models import Service, ServiceRequestCategory

# What a new email becomes until an officer says otherwise at triage.
EMAIL_KINDS = [
    (Kind.COMPLAINT, "Complaint"),
    (Kind.SERVICE_REQUEST, "Service request"),
    (Kind.COMPLIMENT, "Compliment"),
    (Kind.COMMENT, "Comment"),
    (Kind.SUGGESTION, "Suggestion"),
]


class Mailbox(models.Model):
    """A mailbox whose mail becomes contacts: the organisation's, or one service's."""

    class Authentication(models.TextChoices):
        PASSWORD = "password", "Password (or app password)"
        OAUTH2 = "oauth2", "OAuth2 access token (XOAUTH2)"

    class AfterImport(models.TextChoices):
        MARK_SEEN = "seen", "Mark as read and leave it in the mailbox"
        DELETE = "delete", "Delete it from the mailbox"

    name = models.CharField(max_length=200)
    address = models.EmailField(unique=True, help_text="The address the public write to.")
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mailboxes",
        help_text="Leave empty for the organisation's own mailbox (the complaints team triages it).",
    )
    kind = models.CharField(
        max_length=20,
        choices=EMAIL_KINDS,
        default=Kind.COMPLAINT,
        help_text="What a new email is recorded as until an officer reclassifies it at triage.",
    )
    acknowledge = models.BooleanField(
        default=True, help_text="Send the usual acknowledgement to the sender of a new contact."
    )
    imap_host = models.CharField(
        max_length=200, blank=True, help_text="Empty: mail arrives by the relay webhook only."
    )
    imap_port = models.PositiveIntegerField(default=993)
    imap_tls = models.BooleanField(default=True, help_text="IMAP over TLS (port 993).")
    imap_username = models.CharField(max_length=200, blank=True)
    authentication = models.CharField(
        max_length=10, choices=Authentication.choices, default=Authentication.PASSWORD
    )
    secret_variable = models.CharField(
        max_length=100,
        blank=True,
        help_text=(
            "The name of the environment variable that holds the password or access token, "
            "e.g. HEARD_MAILBOX_COMPLAINTS_SECRET. The secret itself is never kept in the database."
        ),
    )
    folder = models.CharField(max_length=200, default="INBOX")
    after_import = models.CharField(
        max_length=10, choices=AfterImport.choices, default=AfterImport.MARK_SEEN
    )
    fetch_every_minutes = models.PositiveSmallIntegerField(default=5)
    active = models.BooleanField(default=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"


class InboundEmail(models.Model):
    """One email received, whatever became of it. Stored once per Message-ID."""

    class Outcome(models.TextChoices):
        NEW_CONTACT = "new_contact", "New contact recorded"
        THREADED = "threaded", "Added to an existing case"
        AUTO_REPLY = "auto_reply", "Ignored: an automatic reply"
        BOUNCE = "bounce", "Ignored: a delivery failure report"
        LOOP = "loop", "Ignored: our own mail coming back"
        REJECTED = "rejected", "Not recorded"

    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    message_id = models.CharField(max_length=500, unique=True)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    arrived_by = models.CharField(
        max_length=10, choices=[("imap", "IMAP"), ("relay", "Mail relay")], default="imap"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=500, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="emails"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["outcome", "received_at"], name="inbound_email_outcome")]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.get_outcome_display()})"


class RelayDelivery(models.Model):
    """A signed webhook call already accepted: the same signature is refused (replay)."""

    signature = models.CharField(max_length=64, unique=True)
    timestamp = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.signature[:12]


class Open311Client(models.Model):
    """A system that sends service requests over Open311 (a council's FixMyStreet). Only a
    hash of its API key is kept; the key is shown once."""

    name = models.CharField(max_length=200, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Open311Request(models.Model):
    """What an Open311 client sent with a service request, beside the case it became."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="open311")
    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="requests")
    client_reference = models.CharField(
        max_length=100, blank=True, help_text="The client's own id, e.g. attribute[fixmystreet_id]."
    )
    token = models.CharField(max_length=40, unique=True)
    service_code = models.CharField(max_length=100)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_string = models.CharField(max_length=500, blank=True)
    media_url = models.URLField(max_length=1000, blank=True)
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "client_reference"],
                condition=~models.Q(client_reference=""),
                name="open311_request_once_per_client_reference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} from {self.client}"


class Open311Attribute(models.Model):
    """A question a service asks on top of the description (GeoReport's attribute definitions)."""

    class Datatype(models.TextChoices):
        STRING = "string", "Short text"
        NUMBER = "number", "Number"
        DATETIME = "datetime", "Date and time"
        TEXT = "text", "Long text"
        SINGLE = "singlevaluelist", "One of a list"
        MULTI = "multivaluelist", "Any of a list"

    category = models.ForeignKey(
        ServiceRequestCategory, on_delete=models.CASCADE, related_name="open311_attributes"
    )
    code = models.SlugField(max_length=100, help_text="Sent as attribute[code].")
    description = models.CharField(max_length=500, help_text="The question, as the public see it.")
    datatype = models.CharField(max_length=20, choices=Datatype.choices, default=Datatype.STRING)
    datatype_description = models.CharField(max_length=200, blank=True)
    required = models.BooleanField(default=False)
    variable = models.BooleanField(
        default=True, help_text="Untick for a heading or note the public do not answer."
    )
    order = models.PositiveSmallIntegerField(default=1)
    values = models.JSONField(
        default=list, blank=True, help_text='For lists: [{"key": "...", "name": "..."}].'
    )

    class Meta:
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attribute_once")
        ]

    def __str__(self) -> str:
        return f"{self.category.slug}: {self.code}"


class Open311Update(models.Model):
    """An update a client posted about one of its requests (FixMyStreet's comments), kept once
    per client update id and put on the case's timeline."""

    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="updates")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="open311_updates")
    client_update_id = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=40)
    description = models.TextField()
    updated_at = models.DateTimeField(help_text="When it was made, as the client says.")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    media_url = models.URLField(max_length=1000, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    event = models.OneToOneField(
        "cases.CaseEvent", on_delete=models.PROTECT, related_name="open311_update"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "client_update_id"],
                condition=~models.Q(client_update_id=""),
                name="open311_update_once_per_client_update_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.status} from {self.client}"


class CallRecord(models.Model):
    """One call or voicemail on a line, logged by an officer or imported from the phone system.

    A voicemail, or a call that promised a call back, must be returned by ``call_back_by``
    (24 hours, or by the end of the next working day if that is later: seeds 000 and 002).
    """

    class Source(models.TextChoices):
        LOGGED = "logged", "Logged by an officer"
        IMPORTED = "imported", "Imported from the phone system"

    line = models.CharField(max_length=100)
    caller_number = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField()
    duration_seconds = models.PositiveIntegerField(default=0)
    answered = models.BooleanField(default=False)
    voicemail = models.BooleanField(default=False)
    call_back_promised = models.BooleanField(default=False)
    call_back_by = models.DateTimeField(null=True, blank=True)
    called_back_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=500, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.LOGGED)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "caller_number", "started_at"], name="call_record_once"
            )
        ]
        indexes = [models.Index(fields=["call_back_by"], name="call_record_call_back_by")]

    def __str__(self) -> str:
        return f"{self.line} {self.started_at:%Y-%m-%d %H:%M} {self.caller_number}"

    @property
    def call_back_met(self) -> bool | None:
        """Whether the call back was made in time; None if none was owed or it is not yet due."""
        if self.call_back_by is None:
            return None
        if self.called_back_at is not None:
            return self.called_back_at <= self.call_back_by
        return None


class LegacyCase(models.Model):
    """A case imported from the organisation's old system, under its old reference."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="legacy")
    legacy_reference = models.CharField(max_length=100, unique=True)
    source_file = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.legacy_reference} → {self.case.reference}"


class LegacyImport(models.Model):
    """One run of the legacy import, with its progress, for big files run in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking rows"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        CHECKED = "checked", "Checked (dry run): nothing imported"
        REJECTED = "rejected", "Not imported: some rows need correcting"

    path = models.CharField(max_length=1000)
    filename = models.CharField(
        max_length=255, blank=True, help_text="The file's name as uploaded in the admin."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mapping_path = models.CharField(
        max_length=1000, blank=True, help_text="The mapping file, if the columns are not Heard's."
    )
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{line, message}]")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename or self.path} ({self.get_status_display()})"
