"""Writes and the rules behind them: priorities, self-assessments and evidence, action plans and
progress reviews, and Bright Ideas. Each checks permission through :mod:`heard.improvement.access`
and refuses with a message that says what to do."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from heard.core.errors import InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from heard.improvement import access, evidence
from heard.improvement.models import (
    ActionPlan,
    Assessment,
    CompletionDateRevision,
    Cycle,
    Element,
    ElementAssessment,
    Evidence,
    EvidenceKind,
    PlanAction,
    Priority,
    Progress,
    ProgressEntry,
    ProgressReview,
    Rating,
    ScoringCriterion,
    Suggestion,
    SuggestionScore,
    SuggestionStatus,
)

TEXT_MAX = 20000
STALE_AFTER = timedelta(days=365)
DOCUMENT_TYPES = {
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".xls",
    ".xlsx",
    ".ods",
    ".csv",
    ".ppt",
    ".pptx",
    ".odp",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
}


def _text(
    value: str, field: str, what: str, *, required: bool = True, limit: int = TEXT_MAX
) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"Enter {what}.", field=field)
    if len(value) > limit:
        raise InvalidInput(
            f"{what[0].upper()}{what[1:]} must be {limit} characters or fewer; shorten it.",
            field=field,
        )
    return value


def _choice(value: str, choices: Any, field: str, what: str) -> str:
    if value not in choices.values:
        raise InvalidInput(f"Choose {what}.", field=field)
    return str(value)


# -- the framework ------------------------------------------------------------------------


def element(number: str) -> Element:
    found = Element.objects.select_related("sub_criterion__criterion").filter(number=number).first()
    if found is None:
        raise NotFound(f"The standard has no element {number}.")
    return found


@transaction.atomic(durable=True)
def set_priority(element: Element, *, by: Any, priority: str, guidance: str) -> Element:
    """Mark an element gold, silver or no priority, and keep the organisation's guidance notes."""
    access.require_edit(by)
    if priority not in Priority.values:
        raise InvalidInput("Choose gold, silver or not a priority.", field="priority")
    element.priority = priority
    element.guidance = _text(guidance, "guidance", "guidance notes", required=False)
    element.save(update_fields=["priority", "guidance"])
    return element


# -- self-assessment ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def start_assessment(
    *, by: Any, title: str, cycle: str, assessment_on: date | None, lead: Any = None
) -> Assessment:
    """Start an assessment with a row for each of the standard's elements, not yet rated."""
    access.require_edit(by)
    title = _text(title, "title", "a title, for example 'CSE annual review 2026'", limit=200)
    cycle = _choice(cycle, Cycle, "cycle", "initial assessment, annual review or reassessment")
    if assessment_on is None:
        raise InvalidInput("Enter the date of the assessment.", field="assessment_on")
    assessment = Assessment.objects.create(
        title=title, cycle=cycle, assessment_on=assessment_on, lead=lead
    )
    ElementAssessment.objects.bulk_create(
        ElementAssessment(assessment=assessment, element=e) for e in Element.objects.all()
    )
    return assessment


def element_assessment(assessment_id: int, number: str) -> ElementAssessment:
    found = (
        ElementAssessment.objects.select_related(
            "assessment", "element__sub_criterion__criterion", "owner"
        )
        .filter(assessment_id=assessment_id, element__number=number)
        .first()
    )
    if found is None:
        raise NotFound(f"There is no element {number} in that assessment.")
    return found


@transaction.atomic(durable=True)
def assess_element(
    item: ElementAssessment,
    *,
    by: Any,
    rating: str,
    commentary: str,
    owner: Any = None,
    review_on: date | None = None,
) -> ElementAssessment:
    """Record the organisation's rating of one element, with its commentary, owner and review date."""
    access.require_edit(by)
    if rating:
        _choice(
            rating,
            Rating,
            "rating",
            "Compliance Plus, Compliance, Partial Compliance or Non-compliance",
        )
    commentary = _text(commentary, "commentary", "a commentary", required=bool(rating))
    if rating == Rating.COMPLIANCE_PLUS and not item.evidence.exists():
        raise InvalidInput(
            "Compliance Plus needs evidence: add evidence to this element first, then rate it.",
            field="rating",
        )
    item.rating = rating
    item.commentary = commentary
    item.owner = owner
    item.review_on = review_on
    item.updated_by = by
    item.save()
    return item


@transaction.atomic(durable=True)
def add_link(item: ElementAssessment, *, by: Any, title: str, url: str) -> Evidence:
    access.require_edit(by)
    title = _text(title, "title", "a title for the evidence", limit=200)
    url = (url or "").strip()
    if not url.startswith(("https://", "http://")):
        raise InvalidInput("Enter the link's full address, starting with https://", field="url")
    return Evidence.objects.create(
        element_assessment=item,
        kind=EvidenceKind.LINK,
        title=title,
        url=url[:500],
        attached_at=timezone.now(),
        attached_by=by,
    )


@transaction.atomic(durable=True)
def add_document(
    item: ElementAssessment, *, by: Any, title: str, upload: UploadedFile | None
) -> Evidence:
    """Keep a document as evidence, out of reach of the web server (read only through Heard)."""
    access.require_edit(by)
    title = _text(title, "title", "a title for the evidence", limit=200)
    if upload is None:
        raise InvalidInput("Choose a document to upload.", field="document")
    name = upload.name or "document"
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in DOCUMENT_TYPES:
        raise InvalidInput(
            "The document must be a PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, "
            "PNG or JPEG file.",
            field="document",
        )
    limit = settings.HEARD_ATTACHMENT_MAX_BYTES
    if (upload.size or 0) > limit:
        raise InvalidInput(
            f"The document must be smaller than {limit // (1024 * 1024)} MB.", field="document"
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored = Evidence(
        element_assessment=item,
        kind=EvidenceKind.DOCUMENT,
        title=title,
        original_name=name[:255],
        attached_at=timezone.now(),
        attached_by=by,
    )
    stored.file.save(f"{digest.hexdigest()[:16]}{suffix}", upload, save=False)
    stored.save()
    return stored


@transaction.atomic(durable=True)
def add_live(
    item: ElementAssessment,
    *,
    by: Any,
    measure: str,
    title: str = "",
    period: str = evidence.TWELVE_MONTHS,
) -> Evidence:
    """Attach a live figure saved with its period, keeping its value and period at the time it
    was attached."""
    access.require_edit(by)
    if measure not in evidence.MEASURES:
        raise InvalidInput("Choose one of Heard's figures.", field="measure")
    if period not in evidence.PERIODS:
        raise InvalidInput(
            "Choose the period: the last 12 months, or this financial year to date.",
            field="period",
        )
    figure = evidence.compute(measure, period=period)
    return Evidence.objects.create(
        element_assessment=item,
        kind=EvidenceKind.LIVE,
        title=_text(title, "title", "a title", required=False, limit=200) or figure.label,
        measure=measure,
        period=period,
        value_when_attached=figure.value[:200],
        period_when_attached=figure.period[:200],
        attached_at=figure.computed_at,
        attached_by=by,
    )


@transaction.atomic(durable=True)
def remove_evidence(item: Evidence, *, by: Any) -> None:
    access.require_edit(by)
    if item.file:
        item.file.delete(save=False)
    item.delete()


def is_stale(item: Evidence, *, now: datetime | None = None) -> bool:
    """A document or link attached more than a year ago (a live figure is computed afresh)."""
    if item.kind == EvidenceKind.LIVE:
        return False
    return item.attached_at < (now or timezone.now()) - STALE_AFTER


@dataclass
class CriterionReadiness:
    number: str
    title: str
    elements: int = 0
    rated: int = 0
    with_evidence: int = 0
    ratings: dict[str, int] = dataclasses.field(
        default_factory=lambda: dict.fromkeys(Rating.values, 0)
    )
    priorities_not_met: list[str] = dataclasses.field(default_factory=list)


def readiness(assessment: Assessment) -> list[CriterionReadiness]:
    """Per criterion: elements rated, with evidence, ratings, and priorities not yet met."""
    from django.db.models import Count

    rows = (
        ElementAssessment.objects.filter(assessment=assessment)
        .select_related("element__sub_criterion__criterion")
        .annotate(evidence_count=Count("evidence"))
        .order_by("element__sort_key")
    )
    result: dict[str, CriterionReadiness] = {}
    met = {Rating.COMPLIANCE, Rating.COMPLIANCE_PLUS}
    for row in rows:
        criterion = row.element.sub_criterion.criterion
        summary = result.setdefault(
            criterion.number,
            CriterionReadiness(criterion.number, criterion.title),
        )
        summary.elements += 1
        if row.rating:
            summary.rated += 1
            summary.ratings[row.rating] += 1
        if row.evidence_count:
            summary.with_evidence += 1
        if row.element.priority and row.rating not in met:
            summary.priorities_not_met.append(row.element.number)
    return list(result.values())


# -- action plans ---------------------------------------------------------------------------


@dataclass
class ActionDetails:
    text: str
    lead_officers: str
    category: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    outcomes_for_customers: str = ""
    success_factors: str = ""
    risk_reference: str = ""
    reports_to: str = ""
    elements: tuple[str, ...] = ()
    lead: Any = None  # the lead officer's account: reminders go to them
    themes: tuple[Any, ...] = ()  # complaint themes (heard.learning) the action answers
    lessons: tuple[Any, ...] = ()  # lessons learned it puts into practice


@transaction.atomic(durable=True)
def create_plan(*, by: Any, title: str, owner_body: str = "") -> ActionPlan:
    access.require_edit(by)
    return ActionPlan.objects.create(
        title=_text(title, "title", "the plan's title", limit=200),
        owner_body=_text(owner_body, "owner_body", "who owns the plan", required=False, limit=200),
    )


def _checked_action(details: ActionDetails) -> dict[str, Any]:
    if details.starts_on and details.ends_on and details.ends_on < details.starts_on:
        raise InvalidInput(
            "The anticipated completion date must be the same as or after the start date.",
            field="ends_on",
        )
    return {
        "text": _text(details.text, "text", "the action or recommendation"),
        "lead_officers": _text(
            details.lead_officers, "lead_officers", "the lead officer or officers", limit=300
        ),
        "category": _text(details.category, "category", "a category", required=False, limit=40),
        "lead": details.lead,
        "starts_on": details.starts_on,
        "ends_on": details.ends_on,
        "outcomes_for_customers": _text(
            details.outcomes_for_customers, "outcomes_for_customers", "outcomes", required=False
        ),
        "success_factors": _text(
            details.success_factors, "success_factors", "success factors", required=False
        ),
        "risk_reference": _text(
            details.risk_reference,
            "risk_reference",
            "the risk register reference",
            required=False,
            limit=100,
        ),
        "reports_to": _text(
            details.reports_to,
            "reports_to",
            "who progress reports go to",
            required=False,
            limit=300,
        ),
    }


def _elements(numbers: tuple[str, ...]) -> list[Element]:
    found = list(Element.objects.filter(number__in=numbers))
    missing = sorted(set(numbers) - {e.number for e in found})
    if missing:
        raise InvalidInput(
            f"The standard has no element {', '.join(missing)}; use numbers like 4.3.4.",
            field="elements",
        )
    return found


def _add_action(
    plan: ActionPlan, details: ActionDetails, *, suggestion: Suggestion | None = None
) -> PlanAction:
    fields = _checked_action(details)
    elements = _elements(details.elements)
    last = plan.actions.order_by("-number").values_list("number", flat=True).first() or 0
    action = PlanAction.objects.create(
        plan=plan, number=last + 1, from_suggestion=suggestion, **fields
    )
    action.elements.set(elements)
    _link_learning(action, details)
    return action


def _link_learning(action: PlanAction, details: ActionDetails) -> None:
    action.themes.set(details.themes)
    action.lessons.set(details.lessons)


def check_action(details: ActionDetails) -> None:
    """Refuse details that could not be saved as an action, saying what to put right."""
    _checked_action(details)
    _elements(details.elements)


@transaction.atomic(durable=True)
def add_actions(plan: ActionPlan, *, by: Any, details: list[ActionDetails]) -> list[PlanAction]:
    """Add several actions in order, all or none (an imported plan)."""
    access.require_edit(by)
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    return [_add_action(plan, one) for one in details]


@transaction.atomic(durable=True)
def add_action(plan: ActionPlan, *, by: Any, details: ActionDetails) -> PlanAction:
    """Add an action to the plan, numbered after the last."""
    access.require_edit(by)
    return _add_action(plan, details)


@transaction.atomic(durable=True)
def change_action(action: PlanAction, *, by: Any, details: ActionDetails) -> PlanAction:
    """Change an action; a new anticipated completion date is kept beside the old one."""
    access.require_edit(by)
    fields = _checked_action(details)
    elements = _elements(details.elements)
    if fields["ends_on"] != action.ends_on:
        CompletionDateRevision.objects.create(
            action=action, previous=action.ends_on, new=fields["ends_on"], by=by
        )
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    action.elements.set(elements)
    _link_learning(action, details)
    return action


@transaction.atomic(durable=True)
def add_review(plan: ActionPlan, *, by: Any, reviewed_on: date | None) -> ProgressReview:
    """Add a dated review point to the plan (one per date)."""
    access.require_edit(by)
    if reviewed_on is None:
        raise InvalidInput("Enter the date of the review.", field="reviewed_on")
    if plan.reviews.filter(reviewed_on=reviewed_on).exists():
        raise InvalidInput(
            f"The plan already has a review on {reviewed_on:%d/%m/%Y}; record progress there.",
            field="reviewed_on",
        )
    return ProgressReview.objects.create(plan=plan, reviewed_on=reviewed_on)


@transaction.atomic(durable=True)
def record_progress(
    review: ProgressReview, action: PlanAction, *, by: Any, evidence: str, category: int | None
) -> ProgressEntry:
    """Record an action's evidence of progress and its category (1 to 4) at a review; editors do,
    and so does the head of service who leads the action."""
    access.require_record_progress(by, action)
    if action.plan_id != review.plan_id:
        raise InvalidInput("That action belongs to another plan.", field="action")
    if category not in Progress.values:
        raise InvalidInput(
            "Choose the assessment of progress: 1 achieved fully, 2 on track, 3 slipped or "
            "4 not achieved.",
            field="category",
        )
    entry, _ = ProgressEntry.objects.update_or_create(
        review=review,
        action=action,
        defaults={
            "evidence": _text(evidence, "evidence", "the evidence of progress"),
            "category": category,
            "recorded_by": by,
        },
    )
    return entry


def latest_category(action: PlanAction) -> int | None:
    entry = action.progress.order_by("-review__reviewed_on").first()
    return entry.category if entry else None


def is_overdue(action: PlanAction, *, today: date, latest: int | None) -> bool:
    """Past its anticipated completion date and not yet assessed as achieved fully."""
    return bool(action.ends_on and action.ends_on < today and latest != Progress.ACHIEVED_FULLY)


@dataclass
class ReportRow:
    action: PlanAction
    cells: list[ProgressEntry | None]
    latest: int | None
    overdue: bool


def progress_report(
    plan: ActionPlan, *, today: date
) -> tuple[list[ProgressReview], list[ReportRow]]:
    """Seed 000's shape: one row per action, a pair of columns (evidence, category) per review."""
    reviews = list(plan.reviews.all())
    entries = {
        (e.review_id, e.action_id): e for e in ProgressEntry.objects.filter(review__plan=plan)
    }
    rows = []
    for action in plan.actions.select_related("lead").prefetch_related(
        "elements", "revisions", "themes", "lessons"
    ):
        cells = [entries.get((r.pk, action.pk)) for r in reviews]
        latest = next((c.category for c in reversed(cells) if c is not None), None)
        rows.append(
            ReportRow(action, cells, latest, is_overdue(action, today=today, latest=latest))
        )
    return reviews, rows


# -- Bright Ideas -------------------------------------------------------------------------

# Which status each decision may be taken from.
SUGGESTION_MOVES: dict[str, frozenset[str]] = {
    SuggestionStatus.UNDER_REVIEW: frozenset({SuggestionStatus.SUBMITTED}),
    SuggestionStatus.ADOPTED: frozenset(
        {SuggestionStatus.SUBMITTED, SuggestionStatus.UNDER_REVIEW}
    ),
    SuggestionStatus.NOT_ADOPTED: frozenset(
        {SuggestionStatus.SUBMITTED, SuggestionStatus.UNDER_REVIEW}
    ),
    SuggestionStatus.IMPLEMENTED: frozenset({SuggestionStatus.ADOPTED}),
}


def next_statuses(suggestion: Suggestion) -> list[SuggestionStatus]:
    return [
        SuggestionStatus(s)
        for s, sources in SUGGESTION_MOVES.items()
        if suggestion.status in sources
    ]


def _locked(suggestion: Suggestion) -> Suggestion:
    """The suggestion as it is now, locked until the decision is saved."""
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


@transaction.atomic(durable=True)
def submit_suggestion(
    *, by: Any, title: str, idea: str, benefit: str = "", anonymous: bool = False
) -> Suggestion:
    """Anyone signed in may suggest an improvement."""
    if not access.may_suggest(by):
        raise NotPermitted("Sign in to make a suggestion.")
    return Suggestion.objects.create(
        title=_text(title, "title", "a short title for your idea", limit=200),
        idea=_text(idea, "idea", "your idea"),
        benefit=_text(benefit, "benefit", "who it would help", required=False),
        anonymous=anonymous,
        submitted_by=by,
        submitted_at=timezone.now(),
    )


@transaction.atomic(durable=True)
def decide_suggestion(
    suggestion: Suggestion, *, by: Any, status: str, reason: str = ""
) -> Suggestion:
    """The panel moves a suggestion on; not adopting one needs a reason the suggester will see."""
    access.require_edit(by)
    suggestion = _locked(suggestion)
    _choice(status, SuggestionStatus, "status", "what the panel decided")
    sources = SUGGESTION_MOVES.get(status, frozenset())
    if suggestion.status not in sources:
        raise TransitionNotAllowed(
            f"A suggestion that is {suggestion.get_status_display().lower()} cannot be marked "
            f"{SuggestionStatus(status).label.lower()}."
        )
    reason = _text(
        reason,
        "reason",
        "the reason, which the person who made the suggestion will see",
        required=status == SuggestionStatus.NOT_ADOPTED,
    )
    suggestion.status = status
    if reason:
        suggestion.decision_reason = reason
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = by
    suggestion.save()
    return suggestion


SCORES = range(1, 6)


@transaction.atomic(durable=True)
def score_suggestion(
    suggestion: Suggestion, *, by: Any, scores: Mapping[str, int | None]
) -> list[SuggestionScore]:
    """A panel member scores a suggestion 1 to 5 against each published criterion; scoring
    again replaces their own scores."""
    access.require_edit(by)
    suggestion = _locked(suggestion)
    if suggestion.status not in (SuggestionStatus.SUBMITTED, SuggestionStatus.UNDER_REVIEW):
        raise TransitionNotAllowed(
            "The panel scores a suggestion before deciding on it; this one is already "
            f"{suggestion.get_status_display().lower()}."
        )
    for criterion in ScoringCriterion:
        if scores.get(criterion.value) not in SCORES:
            raise InvalidInput(
                f"Score “{criterion.label}” from 1 (not at all) to 5 (very much).",
                field=criterion.value,
            )
    saved = []
    for criterion in ScoringCriterion:
        score, _ = SuggestionScore.objects.update_or_create(
            suggestion=suggestion,
            scored_by=by,
            criterion=criterion.value,
            defaults={"score": scores[criterion.value]},
        )
        saved.append(score)
    return saved


@dataclass
class PanelScores:
    members: int
    by_criterion: list[tuple[str, float]]
    average: float | None


def panel_scores(suggestion: Suggestion) -> PanelScores:
    """The panel's average score per criterion and overall, and how many members scored."""
    from django.db.models import Avg

    rows = dict(
        SuggestionScore.objects.filter(suggestion=suggestion)
        .values("criterion")
        .annotate(mean=Avg("score"))
        .values_list("criterion", "mean")
    )
    members = (
        SuggestionScore.objects.filter(suggestion=suggestion).values("scored_by").distinct().count()
    )
    by_criterion = [
        (c.label, round(float(rows[c.value]), 1)) for c in ScoringCriterion if c.value in rows
    ]
    average = (
        round(sum(v for _, v in by_criterion) / len(by_criterion), 1) if by_criterion else None
    )
    return PanelScores(members, by_criterion, average)


@transaction.atomic(durable=True)
def record_award(suggestion: Suggestion, *, by: Any, award: str, award_round: str) -> Suggestion:
    access.require_edit(by)
    suggestion = _locked(suggestion)
    if suggestion.status not in (SuggestionStatus.ADOPTED, SuggestionStatus.IMPLEMENTED):
        raise TransitionNotAllowed("Only an adopted or implemented suggestion can win an award.")
    suggestion.award = _text(
        award, "award", "the award, for example 'Best idea of the quarter'", limit=200
    )
    suggestion.award_round = _text(
        award_round, "award_round", "the round, for example '2026 Q1'", limit=40
    )
    suggestion.save(update_fields=["award", "award_round"])
    return suggestion


@transaction.atomic(durable=True)
def make_action(
    suggestion: Suggestion, *, by: Any, plan: ActionPlan, details: ActionDetails
) -> PlanAction:
    """Turn an adopted suggestion into an action of a plan."""
    access.require_edit(by)
    suggestion = _locked(suggestion)
    if suggestion.status != SuggestionStatus.ADOPTED:
        raise TransitionNotAllowed("Only an adopted suggestion can become an action.")
    if PlanAction.objects.filter(from_suggestion=suggestion).exists():
        raise TransitionNotAllowed("This suggestion is already an action in a plan.")
    return _add_action(plan, details, suggestion=suggestion)


def suggester_name(suggestion: Suggestion, *, viewer: Any) -> str:
    """Who made it, unless they asked the panel not to know (they always see it themselves)."""
    person = suggestion.submitted_by
    if person is None:
        return "Former member of staff"
    if suggestion.anonymous and person.pk != getattr(viewer, "pk", None):
        return "Anonymous"
    return person.get_full_name() or person.username
