"""The REST API v1 contract (issue 2, section 6): outside clients are written against it."""

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from heard.cases.models import Case, CaseEvent, Customer, StageRecord
from heard.cases.selectors import as_recorded, local_today
from heard.org.models import ApiToken, Role
from heard.org.tokens import hash_token, revoke_tokens
from heard.testing import api_client, make_case, make_service, make_staff

CASE_FIELDS = {
    "reference",
    "kind",
    "stage",
    "status",
    "procedure",
    "received_at",
    "deemed_received",
    "acknowledge_by",
    "respond_by",
    "acknowledged_at",
    "responded_at",
    "overdue",
    "events",
}


def new_case(**changes):
    body = {
        "kind": "complaint",
        "procedure": "hos-code-2024",
        "channel": "email",
        "received_at": "2026-11-20T18:30:00+00:00",
        "subject": "Repairs not done",
        "description": "The boiler has been broken for three weeks.",
        "customer": {
            "name": "Ann Smith",
            "email": "ann@example.org",
            "phone": "07700 900123",
            "address": "1 High St",
        },
    }
    body.update(changes)
    return body


@pytest.fixture
def central(db):
    return make_staff(Role.COMPLAINTS_TEAM, username="central")


@pytest.fixture
def api(central):
    return api_client(central)


def counts():
    return (
        Case.objects.count(),
        Customer.objects.count(),
        StageRecord.objects.count(),
        CaseEvent.objects.count(),
    )


# -- tokens ------------------------------------------------------------------------------


def test_apitoken_creates_the_user_and_prints_a_token_alone_on_the_last_line(db):
    out = StringIO()
    call_command("apitoken", "robin", "--role", "complaints-team", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    assert " " not in token and len(token) >= 32
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/cases").status_code == 200
    # Only the hash is stored, and a second call gives a second token; both work.
    assert ApiToken.objects.filter(key_hash=hash_token(token)).exists()
    assert not ApiToken.objects.filter(key_hash=token).exists()
    out2 = StringIO()
    call_command("apitoken", "robin", stdout=out2)
    assert out2.getvalue().strip().splitlines()[-1] != token
    assert client.get("/api/v1/cases").status_code == 200


def test_apitoken_refuses_an_unknown_role(db):
    with pytest.raises(CommandError, match="complaints_team"):
        call_command("apitoken", "robin", "--role", "overlord", stdout=StringIO())


def test_the_heard_console_script_prints_the_token_on_its_last_line(tmp_path: Path):
    heard = Path(sys.executable).with_name("heard")
    env = {
        **os.environ,
        "HEARD_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    subprocess.run([heard, "migrate", "-v0"], check=True, env=env, capture_output=True)  # noqa: S603
    done = subprocess.run(  # noqa: S603
        [heard, "apitoken", "casework-bot", "--role", "complaints_team"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    last = done.stdout.rstrip("\n").splitlines()[-1]
    assert last.strip() == last and " " not in last and len(last) >= 32


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-real-token", "Bearer ", "Bearer two words", "Token abc", None],
    ids=["wrong", "empty", "spaces", "other-scheme", "missing"],
)
def test_a_request_without_a_valid_token_is_refused_with_401(db, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_tokens_and_disabled_accounts_are_refused(central, api):
    assert api.get("/api/v1/cases").status_code == 200
    revoke_tokens(central)
    assert api.get("/api/v1/cases").status_code == 401
    other = make_staff(Role.COMPLAINTS_TEAM)
    client = api_client(other)
    other.is_active = False
    other.save()
    assert client.get("/api/v1/cases").status_code == 401


# -- the organisation --------------------------------------------------------------------


def test_the_organisation_shows_its_working_day_settings(api):
    body = api.get("/api/v1/organisation").json()
    assert body["nation"] == "england-and-wales"
    assert body["timezone"] == "Europe/London"
    assert body["working_day_cutoff"] == "17:00"
    assert body["closure_days"] == []


def test_an_administrator_changes_the_calendar_and_open_cases_are_re_timed(central, api):
    admin = api_client(make_staff(Role.ADMINISTRATOR))
    reference = api.post(
        "/api/v1/cases", new_case(procedure="council-3-stage"), format="json"
    ).json()["reference"]
    before = api.get(f"/api/v1/cases/{reference}").json()
    assert before["respond_by"] == "2026-12-07"  # deemed Monday 23 November + 10 working days
    response = admin.patch(
        "/api/v1/organisation",
        {
            "closure_days": ["2026-11-26", "2026-11-27"],
            "working_day_cutoff": "16:00",
            "nation": "scotland",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["closure_days"] == ["2026-11-26", "2026-11-27"]
    after = api.get(f"/api/v1/cases/{reference}").json()
    # Scotland: St Andrew's Day (Monday 30 November) too; three more non-working days in the window.
    assert after["respond_by"] == "2026-12-10"
    assert after["acknowledge_by"] == "2026-12-03"


def test_only_administrators_change_the_organisation(api):
    response = api.patch("/api/v1/organisation", {"nation": "scotland"}, format="json")
    assert response.status_code == 403
    assert "administrator" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nation": "wessex"}, "nation"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"working_day_cutoff": "25:00"}, "working_day_cutoff"),
        ({"working_day_cutoff": "5pm"}, "working_day_cutoff"),
        ({"closure_days": ["2026-02-30"]}, "closure_days"),
        ({"closure_days": ["2026-12-29", "2026-12-29"]}, "closure_days"),
        ({"bank_holidays": []}, "bank_holidays"),
    ],
)
def test_bad_organisation_settings_are_refused_naming_the_field(db, change, field):
    admin = api_client(make_staff(Role.ADMINISTRATOR))
    before = admin.get("/api/v1/organisation").json()
    response = admin.patch("/api/v1/organisation", change, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert admin.get("/api/v1/organisation").json() == before


# -- creating cases ----------------------------------------------------------------------


def test_posting_a_case_returns_201_with_the_case_and_its_deadlines(api):
    response = api.post("/api/v1/cases", new_case(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) >= CASE_FIELDS
    assert response["Location"] == f"/api/v1/cases/{body['reference']}"
    assert body["reference"].startswith("CMP-2026-")
    assert body["stage"] == 1
    assert body["status"] == "received"
    assert body["procedure"] == "hos-code-2024"
    # Friday 20 November 18:30 is after the cut-off: deemed Monday 23 November.
    assert body["deemed_received"] == "2026-11-23"
    assert body["acknowledge_by"] == "2026-11-30"
    assert body["respond_by"] == "2026-12-14"  # ten working days from the acknowledgement due date
    assert body["acknowledged_at"] is None and body["responded_at"] is None
    # overdue once the acknowledgement date has passed without one
    assert body["overdue"] is (local_today() > date(2026, 11, 30))
    assert [e["action"] for e in body["events"]] == ["received"]


def test_received_at_defaults_to_now_and_offsets_are_judged_locally(api):
    body = api.post("/api/v1/cases", new_case(received_at=None) | {}, format="json")
    assert body.status_code == 400  # null is not a time
    data = new_case()
    del data["received_at"]
    made = api.post("/api/v1/cases", data, format="json").json()
    received = datetime.fromisoformat(made["received_at"])
    assert abs(received - timezone.now()) < timedelta(minutes=5)
    # 16:30 at +01:00 is 15:30 UTC, and 16:30 in London in summer: on time.
    summer = api.post(
        "/api/v1/cases", new_case(received_at="2026-07-21T16:30:00+01:00"), format="json"
    ).json()
    assert summer["received_at"] == "2026-07-21T15:30:00Z"
    assert summer["deemed_received"] == "2026-07-21"


@pytest.mark.parametrize(
    "procedure", ["council-3-stage", "hos-code-2024", "lgsco-code", "spso-mchp"]
)
def test_every_preset_procedure_can_be_used(api, procedure):
    response = api.post("/api/v1/cases", new_case(procedure=procedure), format="json")
    assert response.status_code == 201
    assert response.json()["procedure"] == procedure


def test_a_case_with_a_service_and_a_representative(api):
    make_service("housing-repairs", "Housing repairs")
    body = new_case(
        kind="mp_enquiry",
        procedure=None,
        channel="via_representative",
        service="housing-repairs",
        representative={"name": "Jo Bloggs MP", "email": "jo@parliament.example.org"},
        representative_role="mp",
    )
    del body["procedure"]
    response = api.post("/api/v1/cases", body, format="json")
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["reference"].startswith("MP-")
    assert made["service"] == "housing-repairs"
    assert made["representative"]["name"] == "Jo Bloggs MP"
    assert made["procedure"] == "correspondence-standard"


def test_the_201_body_is_the_case_as_a_later_read_gives_it(central, api):
    """The answer to a POST is built from what was just recorded (selectors.as_recorded), not
    read back in full: it must match what GET gives for the same case, whatever its shape."""
    make_service("housing-repairs", "Housing repairs")
    origin = make_case(by=central, kind="service_request", procedure=None)
    bodies = [
        new_case(),
        new_case(received_at="2026-01-05T09:00:00+00:00"),  # long overdue when recorded
        new_case(originated_from=origin.reference),
        {
            key: value
            for key, value in new_case(
                kind="mp_enquiry",
                channel="via_representative",
                service="housing-repairs",
                representative={"name": "Jo Bloggs MP", "email": "jo@parliament.example.org"},
                representative_role="mp",
            ).items()
            if key != "procedure"
        },
    ]
    made = []
    for body in bodies:
        response = api.post("/api/v1/cases", body, format="json")
        assert response.status_code == 201, response.json()
        made.append(response.json())
        assert made[-1] == api.get(f"/api/v1/cases/{made[-1]['reference']}").json()
    assert made[1]["overdue"] is True
    assert made[2]["originated_from"] == origin.reference
    assert made[3]["representative"]["name"] == "Jo Bloggs MP"


def test_only_a_case_just_recorded_can_be_answered_from_memory(central):
    """as_recorded() knows nothing can belong to the case yet only because this request has
    just made it; a case read from the database (which may have more) is refused."""
    made = make_case(by=central)
    assert made.recorded_with is not None
    assert as_recorded(made).stage_records.all()[0].number == 1
    with pytest.raises(ValueError, match="case_detail"):
        as_recorded(Case.objects.get(pk=made.pk))


FUTURE = (datetime.now(UTC) + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure": "no-such-procedure"}, "procedure"),
        ({"kind": "grumble"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"received_at": "2026-13-01T00:00:00Z"}, "received_at"),
        ({"received_at": "2026-11-20T10:00:00"}, "received_at"),
        ({"received_at": FUTURE}, "received_at"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 1_000_000}, "subject"),
        ({"customer": {"email": "ann@example.org"}}, "customer"),
        ({"customer": {"name": "Ann", "email": "not-an-email"}}, "customer"),
        ({"recieved_at": "2026-11-20T10:00:00Z"}, "recieved_at"),
        ({"service": "no-such-service"}, "service"),
    ],
)
def test_bad_input_gets_a_field_level_400_and_writes_nothing(api, change, field):
    before = counts()
    response = api.post("/api/v1/cases", new_case(**change), format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert body["detail"]
    assert counts() == before


def test_an_unknown_procedure_lists_the_known_ones(api):
    body = api.post("/api/v1/cases", new_case(procedure="nope"), format="json").json()
    assert "council-3-stage" in body["procedure"][0]


def test_a_body_that_is_not_a_json_object_is_refused(api):
    assert api.post("/api/v1/cases", [new_case()], format="json").status_code == 400
    garbled = api.post("/api/v1/cases", "{not json", content_type="application/json")
    assert garbled.status_code == 400
    assert garbled.json()["detail"]


def test_an_oversized_body_is_refused_before_it_is_read(api):
    response = api.post("/api/v1/cases", new_case(description="x" * 3_000_000), format="json")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


# -- the steps ---------------------------------------------------------------------------


def test_a_whole_journey_through_the_api(central, api):
    make_service("housing-repairs", "Housing repairs")
    reference = api.post(
        "/api/v1/cases", new_case(received_at="2026-10-05T09:00:00+00:00"), format="json"
    ).json()["reference"]

    def step(name, **body):
        response = api.post(f"/api/v1/cases/{reference}/{name}", body, format="json")
        assert response.status_code == 200, (name, response.json())
        return response.json()

    step("allocate", service="housing-repairs", officer="central", at="2026-10-05T10:00:00+00:00")
    acknowledged = step("acknowledge", at="2026-10-06T10:00:00+01:00")
    assert acknowledged["status"] == "acknowledged"
    assert acknowledged["respond_by"] == "2026-10-20"  # 10 working days from Tuesday 6 October
    extended = step(
        "extend",
        new_date="2026-10-27",
        reason="Waiting for the contractor.",
        customer_told_how="phone",
        at="2026-10-15T10:00:00+01:00",
    )
    assert extended["respond_by"] == "2026-10-27"
    responded = step(
        "respond",
        outcome="partly_upheld",
        summary="We should have fixed the boiler sooner.",
        remedies=[
            {"kind": "apology"},
            {"kind": "financial", "description": "Time and trouble", "amount": "50.00"},
        ],
        lessons_learned="Boiler repairs now prioritised in winter.",
        at="2026-10-22T15:00:00+01:00",
    )
    assert responded["status"] == "responded"
    assert responded["stages"][0]["remedies"][1]["amount"] == "50.00"
    escalated = step(
        "escalate", unresolved="Fifty pounds is not enough.", at="2026-10-26T09:00:00+00:00"
    )
    assert escalated["stage"] == 2 and escalated["status"] == "received"
    assert escalated["acknowledge_by"] == "2026-11-02"
    step("acknowledge", at="2026-10-27T09:00:00+00:00")
    step(
        "respond",
        outcome="not_upheld",
        summary="The remedy offered was fair.",
        at="2026-11-10T09:00:00+00:00",
    )
    closed = step("close", note="Ombudsman details given.", at="2026-11-11T09:00:00+00:00")
    assert closed["status"] == "closed"
    reopened = step("reopen", reason="The customer sent new evidence.")
    assert reopened["status"] == "acknowledged"
    actions = [e["action"] for e in reopened["events"]]
    assert actions == [
        "received",
        "allocated",
        "acknowledged",
        "extended",
        "responded",
        "escalated",
        "acknowledged",
        "responded",
        "closed",
        "reopened",
    ]
    assert all(e["actor"] == "central" for e in reopened["events"])


def test_acknowledging_a_closed_case_is_a_409_with_the_reason(central, api):
    case = make_case(by=central, received_at=datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    api.post(
        f"/api/v1/cases/{case.reference}/respond",
        {"outcome": "upheld", "summary": "Sorry."},
        format="json",
    )
    api.post(f"/api/v1/cases/{case.reference}/close", {}, format="json")
    response = api.post(f"/api/v1/cases/{case.reference}/acknowledge", {}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "A closed case cannot be acknowledged. Reopen it first."
    assert response.json()["code"] == "transition_not_allowed"


def test_a_future_at_is_refused_naming_the_field(central, api):
    case = make_case(by=central)
    before = counts()
    response = api.post(
        f"/api/v1/cases/{case.reference}/acknowledge", {"at": FUTURE}, format="json"
    )
    assert response.status_code == 400
    assert "at" in response.json()
    assert counts() == before


def test_allocating_to_an_unknown_officer_names_the_field(central, api):
    case = make_case(by=central)
    response = api.post(
        f"/api/v1/cases/{case.reference}/allocate", {"officer": "nobody"}, format="json"
    )
    assert response.status_code == 400
    assert "officer" in response.json()


def test_a_service_request_is_linked_to_its_complaint(central, api):
    request = make_case(by=central, kind="service_request", procedure=None)
    complaint = make_case(by=central)
    response = api.post(
        f"/api/v1/cases/{request.reference}/link", {"complaint": complaint.reference}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["became"] == [complaint.reference]
    assert (
        api.get(f"/api/v1/cases/{complaint.reference}").json()["originated_from"]
        == request.reference
    )


# -- reading -----------------------------------------------------------------------------


def test_the_list_gives_each_case_without_its_stages_files_and_log(central, api):
    """A page of 50 cases with every action log cost several times the page; one case's own
    address gives them."""
    case = make_case(by=central, service=make_service("waste", "Waste"))
    listed = api.get("/api/v1/cases").json()["results"][0]
    detail = api.get(f"/api/v1/cases/{case.reference}").json()
    assert listed["reference"] == case.reference
    assert not {"stages", "attachments", "events"} & set(listed)
    assert {"stages", "attachments", "events"} <= set(detail)
    assert {k: v for k, v in detail.items() if k in listed} == listed


def test_the_list_is_paginated_and_filtered(central, api):
    waste = make_service("waste", "Waste")
    make_staff(Role.INVESTIGATING_OFFICER, services=[waste], username="ivy")
    old = make_case(by=central, service=waste, received_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    api.post(f"/api/v1/cases/{old.reference}/allocate", {"officer": "ivy"}, format="json")
    make_case(by=central, kind="compliment", procedure=None)  # received now: not yet due
    # 23:30 UTC on 30 June is 00:30 on 1 July in London.
    summer = make_case(by=central, received_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))

    def refs(query):
        response = api.get(f"/api/v1/cases?{query}")
        assert response.status_code == 200, response.json()
        return {c["reference"] for c in response.json()["results"]}

    page = api.get("/api/v1/cases?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"] and page["previous"] is None
    newest_first = [c["reference"] for c in page["results"]]
    rest = api.get(page["next"]).json()
    assert rest["next"] is None and rest["previous"]
    assert newest_first + [c["reference"] for c in rest["results"]] == [
        c["reference"]
        for c in sorted(api.get("/api/v1/cases").json()["results"], key=lambda c: c["received_at"])[
            ::-1
        ]
    ]
    assert newest_first[-1] == summer.reference and rest["results"][0]["reference"] == old.reference
    bad_cursor = api.get("/api/v1/cases?cursor=not-a-cursor")
    assert bad_cursor.status_code == 404 and "start again" in bad_cursor.json()["detail"]
    assert refs("kind=compliment") != set() and all(
        r.startswith("CPL") for r in refs("kind=compliment")
    )
    assert refs("service=waste") == {old.reference}
    assert refs("assigned_officer=ivy") == {old.reference}
    assert refs("overdue=true") == {old.reference, summer.reference}
    assert old.reference not in refs("overdue=false")
    assert refs("status=received&stage=1") == refs("stage=1")
    assert refs("received_after=2026-07-01&received_before=2026-07-01") == {summer.reference}
    assert summer.reference not in refs("received_before=2026-06-30")
    for bad in ("status=bogus", "received_after=notadate", "overdue=perhaps", "stage=first"):
        assert api.get(f"/api/v1/cases?{bad}").status_code == 400, bad


def test_one_case_by_reference_in_any_case_of_letters(central, api):
    case = make_case(by=central)
    assert api.get(f"/api/v1/cases/{case.reference.lower()}").json()["reference"] == case.reference
    missing = api.get("/api/v1/cases/CMP-1999-000001")
    assert missing.status_code == 404
    assert missing.json()["detail"]


def test_visibility_follows_role_and_service_over_http(central):
    waste, parking = make_service("waste"), make_service("parking")
    mine = make_case(by=central, service=waste)
    theirs = make_case(by=central, service=parking)
    investigator = api_client(make_staff(Role.INVESTIGATING_OFFICER, services=[waste]))
    listed = {c["reference"] for c in investigator.get("/api/v1/cases").json()["results"]}
    assert listed == {mine.reference}
    assert investigator.get(f"/api/v1/cases/{theirs.reference}").status_code == 404
    assert (
        investigator.post(
            f"/api/v1/cases/{theirs.reference}/acknowledge", {}, format="json"
        ).status_code
        == 404
    )
    equality = api_client(make_staff(Role.EQUALITY_OFFICER))
    assert equality.get("/api/v1/cases").json()["results"] == []
    performance = api_client(make_staff(Role.PERFORMANCE_OFFICER))
    assert len(performance.get("/api/v1/cases").json()["results"]) == 2
    assert performance.post("/api/v1/cases", new_case(), format="json").status_code == 403


# -- documentation -----------------------------------------------------------------------


def test_the_openapi_document_describes_every_path_of_the_contract(api):
    response = api.get("/api/v1/schema?format=json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    expected = {"/api/v1/organisation", "/api/v1/cases", "/api/v1/cases/{reference}"} | {
        f"/api/v1/cases/{{reference}}/{step}"
        for step in ("acknowledge", "allocate", "extend", "respond", "escalate", "close", "reopen")
    }
    assert expected <= paths
    assert "bearerAuth" in document["components"]["securitySchemes"]


def test_the_openapi_document_validates_without_warnings(db, tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )


def test_the_browsable_docs_and_procedures_are_served(api, client):
    assert client.get("/api/v1/docs").status_code == 200
    slugs = {p["slug"] for p in api.get("/api/v1/procedures").json()}
    assert {"council-3-stage", "hos-code-2024", "lgsco-code", "spso-mchp"} <= slugs
