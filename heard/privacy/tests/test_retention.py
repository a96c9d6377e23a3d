"""Retention: a dry run first, then anonymisation of what it reported, and a record of both."""

import pytest
from django.utils import timezone

from heard.cases.models import Case, Customer
from heard.privacy import retention
from heard.privacy.erasure import ERASED_NAME
from heard.privacy.models import AnonymisedCase, RetentionMode, RetentionRun, RetentionSchedule
from heard.privacy.tests.helpers import closed_long_ago, full_case
from heard.testing import make_case


@pytest.fixture
def complaints_schedule(db):
    schedule, _ = RetentionSchedule.objects.update_or_create(
        kind="complaint",
        defaults={"years_after_closure": 6, "mode": RetentionMode.DRY_RUN, "active": True},
    )
    RetentionSchedule.objects.exclude(pk=schedule.pk).update(active=False)
    return schedule


def switch_to_apply(schedule):
    schedule.mode = RetentionMode.APPLY
    schedule.changed_at = timezone.now()
    schedule.save()


@pytest.mark.django_db
def test_every_kind_of_contact_has_a_schedule_of_six_years_in_dry_run_to_start_with():
    schedules = RetentionSchedule.objects.all()
    assert schedules.count() == 9
    assert {(s.years_after_closure, s.mode) for s in schedules} == {(6, RetentionMode.DRY_RUN)}


@pytest.mark.django_db
def test_a_dry_run_reports_cases_past_their_period_and_changes_nothing(
    complaints, complaints_schedule
):
    old = closed_long_ago(full_case(complaints), years=7)
    recent = closed_long_ago(make_case(by=complaints, customer_name="Recent Person"), years=2)
    still_open = make_case(by=complaints, customer_name="Open Person")
    run = retention.run_retention()
    assert run.dry_run and run.total == 0
    assert run.report["complaint"]["reported"] == [old.reference]
    assert run.reported_total == 1
    old.refresh_from_db()
    assert old.customer.name == "Ann Example"
    assert not AnonymisedCase.objects.exists()
    assert {recent.reference, still_open.reference}.isdisjoint(run.report["complaint"]["reported"])


@pytest.mark.django_db
def test_applying_anonymises_only_what_a_dry_run_reported_since_the_schedule_changed(
    complaints, complaints_schedule
):
    old = closed_long_ago(full_case(complaints), years=7)
    switch_to_apply(complaints_schedule)
    first = retention.run_retention()  # no dry run since the change: it only reports
    assert first.total == 0 and first.report["complaint"]["reported"] == [old.reference]
    newly_due = closed_long_ago(make_case(by=complaints, customer_name="Fay Later"), years=8)
    second = retention.run_retention()
    assert second.report["complaint"]["anonymised"] == [old.reference]
    assert second.report["complaint"]["reported"] == [newly_due.reference]
    assert not second.dry_run and second.total == 1
    old.refresh_from_db()
    assert old.subject == ERASED_NAME and old.customer.name == ERASED_NAME
    assert old.status == "closed" and old.closed_at is not None
    assert second.erasure is not None
    assert second.erasure.source == "retention"
    assert second.erasure.case_references == [old.reference]
    newly_due.refresh_from_db()
    assert newly_due.customer.name == "Fay Later"


@pytest.mark.django_db
def test_a_customer_with_a_newer_case_keeps_their_details(complaints, complaints_schedule):
    old = closed_long_ago(full_case(complaints), years=7)
    newer = make_case(by=complaints, customer_name="Someone")
    Case.objects.filter(pk=newer.pk).update(customer=old.customer)
    retention.run_retention()
    switch_to_apply(complaints_schedule)
    retention.run_retention()
    retention.run_retention()
    old.refresh_from_db()
    assert old.subject == ERASED_NAME
    assert Customer.objects.get(pk=old.customer_id).name == "Ann Example"


@pytest.mark.django_db
def test_the_scheduled_job_applies_retention_and_deletes_expired_exports(
    complaints, complaints_schedule
):
    old = closed_long_ago(full_case(complaints), years=7)
    complaints_schedule.mode = RetentionMode.APPLY
    complaints_schedule.save()
    retention.run_retention(dry_run=True)
    assert retention.apply_retention(timezone.now()) == 1
    assert AnonymisedCase.objects.filter(case=old).exists()
    assert retention.apply_retention(timezone.now()) == 0  # nothing twice


@pytest.mark.django_db
def test_information_governance_can_record_a_dry_run_and_read_it(
    client, governance, complaints, complaints_schedule
):
    old = closed_long_ago(make_case(by=complaints), years=9)
    client.force_login(governance)
    response = client.post("/staff/privacy/retention/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert old.reference in page
    assert RetentionRun.objects.get().by == governance
    client.force_login(complaints)
    assert client.post("/staff/privacy/retention/").status_code == 403


def test_years_before_copes_with_a_leap_day():
    from datetime import datetime

    assert retention.years_before(datetime(2028, 2, 29), 6) == datetime(2022, 2, 28)
