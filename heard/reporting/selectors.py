"""Reads of the reporting area: the figures each page, pack, CSV and publication shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from heard.cases.models import Channel, Kind, Outcome, StageRecord
from heard.core.errors import NotFound
from heard.org.calendars import organisation_calendar
from heard.org.models import Directorate, Service
from heard.reporting import access, figures, standards
from heard.reporting.figures import ALL, Scope
from heard.reporting.periods import Period


@dataclass(frozen=True)
class Filters:
    period: Period
    service_id: int | None = None
    directorate_id: int | None = None
    kind: str = ""
    channel: str = ""
    stage: int | None = None


def scope_for(user: Any, filters: Filters, *, today: date | None = None) -> Scope:
    """The scope of the figures the user asked for, narrowed to the services they may see."""
    allowed = access.report_services(user)
    calendar = organisation_calendar()
    service_ids = allowed
    if filters.service_id is not None:
        if allowed is not None and filters.service_id not in allowed:
            raise NotFound("There is no such service whose figures you can see.")
        service_ids = frozenset({filters.service_id})
    return Scope(
        period=filters.period,
        calendar=calendar,
        today=today or calendar.local_date(timezone.now()),
        service_ids=service_ids,
        directorate_id=filters.directorate_id,
        kind=filters.kind if filters.kind in Kind.values else "",
        channel=filters.channel if filters.channel in Channel.values else "",
        stage=filters.stage,
    )


def services_for(user: Any) -> list[Service]:
    allowed = access.report_services(user)
    services = Service.objects.select_related("directorate").order_by("name")
    return list(services if allowed is None else services.filter(pk__in=sorted(allowed)))


def directorates_for(user: Any) -> list[Directorate]:
    if access.report_services(user) is not None:
        return []
    return list(Directorate.objects.order_by("name"))


def dashboard(scope: Scope) -> dict[str, Any]:
    """Everything the dashboard shows, one aggregate per family of figures.

    The whole organisation's figures are the services' added up: each family is queried once,
    split by service, rather than once split and once whole.
    """
    received = figures.contacts_received(scope, by="service", with_all=True)
    # The page shows working days to respond for the whole organisation, not per service.
    by_stage = figures.complaints_by_stage(
        scope, by="service", with_all=True, working_days_by_group=False
    )
    money = figures.remedies(scope, by="service", with_all=True)
    stages = by_stage.pop(ALL, [])
    volumes = received.pop(ALL, figures.Volumes())
    measurements = standards.measure_all(scope)
    return {
        "volumes": volumes,
        "volume_rows": _volume_rows(volumes),
        "stages": stages,
        "stage_total": figures.totals(stages),
        "remedies": money.pop(ALL, figures.Remedies()),
        "satisfaction": figures.satisfaction(scope),
        "repeat_complainants": figures.repeat_complainants(scope),
        "measurements": measurements,
        "dips": [m for m in measurements if m.is_dip],
        "by_service": by_service(scope, received=received, stages=by_stage, money=money),
    }


def by_service(
    scope: Scope,
    *,
    received: dict[Any, figures.Volumes] | None = None,
    stages: dict[Any, list[figures.StageFigures]] | None = None,
    money: dict[Any, figures.Remedies] | None = None,
) -> list[dict[str, Any]]:
    """Complaints per service: received, answered on time, upheld, compensation (the figures
    split by service may be passed in where they have been worked out already)."""
    if received is None:
        received = figures.contacts_received(scope, by="service")
    if stages is None:
        stages = figures.complaints_by_stage(scope, by="service")
    if money is None:
        money = figures.remedies(scope, by="service")
    keys = set(received) | set(stages) | set(money)
    names = Service.objects.in_bulk([k for k in keys if k is not None])
    rows = []
    for key in keys:
        total = figures.totals(stages.get(key, []))
        rows.append(
            {
                "service": names[key].name if key in names else "No service recorded",
                "service_id": key,
                "contacts": received[key].total if key in received else 0,
                "complaints": received[key].complaints if key in received else 0,
                "compliments": received[key].compliments if key in received else 0,
                "answered": total.answered,
                "percent_in_time": total.percent_answered_in_time,
                "percent_upheld": total.percent_upheld,
                "overdue_now": total.overdue_now,
                "compensation": money[key].financial_total if key in money else Decimal("0.00"),
            }
        )
    return sorted(rows, key=lambda r: r["service"])


def annual_report(scope: Scope) -> dict[str, Any]:
    """The annual complaints performance and service improvement report (HOS / LGSCO codes)."""
    report = dashboard(scope)
    answered = StageRecord.objects.filter(
        scope.in_period("responded_at"), scope.case_q(figures.STAGE), case_kind=Kind.COMPLAINT
    ).exclude(lessons_learned="")
    report["lessons_count"] = answered.count()
    report["lessons"] = list(
        answered.order_by("-responded_at").values(
            "case__reference", "number", "case__service__name", "lessons_learned"
        )[:50]
    )
    # The year before, for comparison: only what the report compares (answered, on time, upheld).
    report["previous"] = figures.complaints_answered(_moved(scope, scope.period.previous()))
    return report


def panel_pack(scope: Scope) -> dict[str, Any]:
    """The customer panel's monthly pack: final-stage complaints, compensation and trends."""
    months = [scope.period]
    while len(months) < 6:
        months.append(months[-1].previous())
    trend = []
    for month in reversed(months):
        here = _moved(scope, month)
        total = figures.totals(figures.complaints_by_stage(here).get(ALL, []))
        received = figures.contacts_received(here).get(ALL, figures.Volumes())
        trend.append(
            {
                "period": month,
                "complaints": received.complaints,
                "answered": total.answered,
                "percent_in_time": total.percent_answered_in_time,
                "percent_upheld": total.percent_upheld,
                "compensation": figures.remedies(here).get(ALL, figures.Remedies()).financial_total,
            }
        )
    year = _moved(scope, Period("", months[-1].start, scope.period.end, ""))
    stages = figures.complaints_by_stage(scope).get(ALL, [])
    return {
        "final_stage": figures.final_stage(scope),
        "stages": stages,
        "stage_total": figures.totals(stages),
        "remedies": figures.remedies(scope).get(ALL, figures.Remedies()),
        "compensation": figures.compensation_by_service_and_month(year),
        "trend": trend,
    }


def _moved(scope: Scope, period: Period) -> Scope:
    return Scope(
        period=period,
        calendar=scope.calendar,
        today=scope.today,
        service_ids=scope.service_ids,
        directorate_id=scope.directorate_id,
        kind=scope.kind,
        channel=scope.channel,
        stage=scope.stage,
    )


def _volume_rows(volumes: figures.Volumes) -> list[dict[str, Any]]:
    rows = []
    for kind in Kind:
        counts = [volumes.by_kind_and_channel.get((kind.value, c.value), 0) for c in Channel]
        if any(counts):
            rows.append({"label": kind.label, "counts": counts, "total": sum(counts)})
    return rows


# -- CSV -----------------------------------------------------------------------------------


def csv_rows(report: dict[str, Any], period: Period) -> list[list[Any]]:
    """The figures of a report as rows: period, section, measure, breakdown, value."""
    rows: list[list[Any]] = [["period", "section", "measure", "breakdown", "value"]]

    def add(section: str, measure: str, breakdown: str, value: Any) -> None:
        rows.append([period.key, section, measure, breakdown, "" if value is None else value])

    volumes = report["volumes"]
    for kind, count in sorted(volumes.by_kind.items()):
        add("contacts received", "count", Kind(kind).label, count)
    for channel, count in sorted(volumes.by_channel.items()):
        add("contacts received", "count", Channel(channel).label, count)
    for stage in report["stages"]:
        label = f"stage {stage.stage}"
        add("complaints", "stages started", label, stage.started)
        add("complaints", "% acknowledged within target", label, stage.percent_acknowledged_in_time)
        add("complaints", "answered", label, stage.answered)
        add("complaints", "% answered within target", label, stage.percent_answered_in_time)
        add(
            "complaints",
            "% answered within target or agreed extension",
            label,
            stage.percent_answered_within_extension,
        )
        add("complaints", "extensions used", label, stage.extended)
        add("complaints", "average working days to respond", label, stage.mean_working_days)
        for band, count in stage.working_days_bands.items():
            add("complaints", f"answered in {band} working days", label, count)
        for outcome, count in stage.outcomes.items():
            add("complaints", Outcome(outcome).label.lower(), label, count)
        add("complaints", "% upheld or partly upheld", label, stage.percent_upheld)
        add("complaints", "% escalated to the next stage", label, stage.percent_escalated)
        add("complaints", "overdue now", label, stage.overdue_now)
    remedies = report["remedies"]
    add("remedies", "financial redress (£)", "", remedies.financial_total)
    add("remedies", "financial redress awards", "", remedies.financial_count)
    add("remedies", "apologies", "", remedies.apologies)
    add("remedies", "actions to put things right", "", remedies.actions)
    survey = report["satisfaction"]
    add("satisfaction", "survey responses", "", survey.responses)
    for question in figures.SURVEY_QUESTIONS:
        add("satisfaction", "% good or very good", question, survey.percent_satisfied(question))
    add("customers", "repeat complainants", "", report["repeat_complainants"])
    for m in report["measurements"]:
        add("standards", m.standard.name, "met", m.met)
        add("standards", m.standard.name, "counted", m.counted)
        add("standards", m.standard.name, "%", m.percent)
        add("standards", m.standard.name, "target %", m.standard.target_percent)
    for row in report["by_service"]:
        add("by service", "complaints received", row["service"], row["complaints"])
        add("by service", "% answered within target", row["service"], row["percent_in_time"])
        add("by service", "compensation (£)", row["service"], row["compensation"])
    return rows


# -- publication -----------------------------------------------------------------------------


def suppressed(count: int, below: int) -> int | str:
    return count if count >= below else f"fewer than {below}"


def public_figures(period: Period, *, suppress_below: int) -> dict[str, Any]:
    """The figures as the public sees them: no personal data; any count under the limit suppressed,
    and any percentage of fewer cases than the limit left out."""
    calendar = organisation_calendar()
    scope = Scope(period=period, calendar=calendar, today=calendar.local_date(timezone.now()))
    report = dashboard(scope)

    def share(part: int, whole: int) -> float | str:
        value = figures.percent(part, whole)
        return "not published (too few)" if whole < suppress_below or value is None else value

    volumes = report["volumes"]
    result: dict[str, Any] = {
        "suppress_below": suppress_below,
        "contacts": [
            {"kind": Kind(k).label, "count": suppressed(volumes.by_kind.get(k, 0), suppress_below)}
            for k in Kind.values
        ],
        "stages": [
            {
                "stage": s.stage,
                "started": suppressed(s.started, suppress_below),
                "answered": suppressed(s.answered, suppress_below),
                "acknowledged_in_time": share(s.acknowledged_in_time, s.acknowledgements_due),
                "answered_in_time": share(s.answered_in_time, s.answered),
                "answered_within_extension": share(s.answered_within_extension, s.answered),
                "upheld": share(s.upheld, s.upheld + s.outcomes[Outcome.NOT_UPHELD]),
                "mean_working_days": (
                    s.mean_working_days
                    if s.answered >= suppress_below
                    else "not published (too few)"
                ),
            }
            for s in report["stages"]
        ],
        "standards": [
            {
                "name": m.standard.name,
                "channel": m.standard.get_channel_display(),
                "target": float(m.standard.target_percent),
                "result": share(m.met, m.counted),
                "counted": suppressed(m.counted, suppress_below),
                "rag": m.rag if m.counted >= suppress_below else standards.Rag.NONE,
                "explanation": m.explanation.explanation if m.explanation else "",
                "action": m.explanation.action if m.explanation else "",
            }
            for m in report["measurements"]
        ],
        "satisfaction": {
            "responses": suppressed(report["satisfaction"].responses, suppress_below),
            "satisfied": {
                q: share(
                    report["satisfaction"].satisfied.get(q, 0), report["satisfaction"].responses
                )
                for q in figures.SURVEY_QUESTIONS
            },
        },
    }
    remedies = report["remedies"]
    result["compensation"] = (
        str(remedies.financial_total)
        if remedies.financial_count >= suppress_below
        else "not published (too few awards)"
    )
    return result


def public_csv_rows(publication: Any) -> list[list[Any]]:
    figures_ = publication.figures
    rows: list[list[Any]] = [["period", "section", "measure", "breakdown", "value"]]
    key = publication.period_key
    for contact in figures_["contacts"]:
        rows.append([key, "contacts received", "count", contact["kind"], contact["count"]])
    for stage in figures_["stages"]:
        for name in (
            "started",
            "answered",
            "acknowledged_in_time",
            "answered_in_time",
            "answered_within_extension",
            "upheld",
            "mean_working_days",
        ):
            rows.append(
                [key, "complaints", name.replace("_", " "), f"stage {stage['stage']}", stage[name]]
            )
    for standard in figures_["standards"]:
        rows.append([key, "standards", standard["name"], "target %", standard["target"]])
        rows.append([key, "standards", standard["name"], "result %", standard["result"]])
        rows.append([key, "standards", standard["name"], "explanation", standard["explanation"]])
        rows.append([key, "standards", standard["name"], "action", standard["action"]])
    rows.append([key, "satisfaction", "responses", "", figures_["satisfaction"]["responses"]])
    for question, value in figures_["satisfaction"]["satisfied"].items():
        rows.append([key, "satisfaction", "% good or very good", question, value])
    rows.append([key, "remedies", "financial redress (£)", "", figures_["compensation"]])
    return rows


# -- quarterly standards report ---------------------------------------------------------------


def quarterly_standards(scope: Scope) -> dict[str, Any]:
    """Each standard per month of the period and over the whole of it, against its target, with
    the explanations of its dips (CSE 4.3.1)."""
    months = scope.period.months()
    per_month = [standards.measure_all(_moved(scope, month)) for month in months]
    overall = standards.measure_all(scope)
    rows = []
    for index, measurement in enumerate(overall):
        monthly = [measurements[index] for measurements in per_month]
        rows.append(
            {
                "standard": measurement.standard,
                "months": monthly,
                "period": measurement,
                "dips": [m for m in [*monthly, measurement] if m.is_dip],
            }
        )
    return {"months": months, "rows": rows}


def quarterly_csv_rows(report: dict[str, Any], period: Period) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            "period",
            "standard",
            "target %",
            "month",
            "met",
            "counted",
            "%",
            "against target",
            "explanation",
            "action",
        ]
    ]
    for row in report["rows"]:
        for m in [*row["months"], row["period"]]:
            rows.append(
                [
                    period.key,
                    row["standard"].name,
                    row["standard"].target_percent,
                    m.period.key,
                    m.met,
                    m.counted,
                    "" if m.percent is None else m.percent,
                    m.rag_label,
                    m.explanation.explanation if m.explanation else "",
                    m.explanation.action if m.explanation else "",
                ]
            )
    return rows


def standard_trends(scope: Scope, *, periods: int = 4) -> list[dict[str, Any]]:
    """Each active standard over this period and the ones before it, for the trend charts."""
    from heard.reporting.models import Standard

    return [
        {"standard": s, "trend": standards.trend(s, scope, periods=periods)}
        for s in Standard.objects.filter(active=True)
    ]


# -- equality monitoring ----------------------------------------------------------------------


EQUALITY_QUESTIONS = {
    "age_band": "Age",
    "sex": "Sex",
    "gender_same_as_at_birth": "Gender identity the same as sex registered at birth",
    "disabled": "Disability",
    "ethnicity": "Ethnic group",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
}


def equality_report(period: Period) -> dict[str, Any]:
    """Equality-monitoring answers in aggregate, groups under the limit suppressed."""
    from heard.equality.models import EqualityResponse
    from heard.equality.services import QUESTIONS, SUPPRESS_BELOW, summary

    counts = summary(since=period.start, until=period.end)
    fields = {f.name: f for f in EqualityResponse._meta.get_fields()}
    questions = []
    for question in QUESTIONS:
        model_field: Any = fields[question]
        labels = dict(model_field.choices or [])
        questions.append(
            {
                "key": question,
                "label": EQUALITY_QUESTIONS.get(question, question.replace("_", " ")),
                "answers": [
                    {"label": str(labels.get(answer, answer)), "count": count}
                    for answer, count in counts[question].items()
                ],
            }
        )
    total = EqualityResponse.objects.filter(
        month__gte=period.start.replace(day=1), month__lte=period.end
    ).count()
    return {
        "questions": questions,
        "responses": suppressed(total, SUPPRESS_BELOW),
        "suppress_below": SUPPRESS_BELOW,
    }


def equality_csv_rows(report: dict[str, Any], period: Period) -> list[list[Any]]:
    rows: list[list[Any]] = [["period", "question", "answer", "responses"]]
    rows.append([period.key, "all", "", report["responses"]])
    for question in report["questions"]:
        for answer in question["answers"]:
            rows.append([period.key, question["label"], answer["label"], answer["count"]])
    return rows
