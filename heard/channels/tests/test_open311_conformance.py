"""Open311 GeoReport v2 conformance: every endpoint, in JSON and XML, and every error path in
the spec's format (a list of code and description, the code also the HTTP status); and
FixMyStreet's servicerequestupdates, posted and read back as its Open311 sender does."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from heard.cases import services as case_services
from heard.cases.models import Case, CaseNote
from heard.channels.models import Open311Attribute, Open311Update
from heard.channels.open311 import issue_key
from heard.channels.tests.open311_forms import fixmystreet_report, fixmystreet_update
from heard.org.services import define_request_category
from heard.testing import make_service, make_staff

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"
FORMATS = ["json", "xml"]


@pytest.fixture
def light():
    category = define_request_category(
        service=make_service("highways", "Highways"),
        name="Street light out",
        slug="street-light-out",
        target_days=3,
    )
    Open311Attribute.objects.create(
        category=category,
        code="column_type",
        description="What kind of lamp post is it?",
        datatype=Open311Attribute.Datatype.SINGLE,
        required=False,
        order=1,
        values=[{"key": "steel", "name": "Steel column"}, {"key": "wall", "name": "On a wall"}],
    )
    Open311Attribute.objects.create(
        category=category,
        code="column_number",
        description="The number on the lamp post",
        datatype=Open311Attribute.Datatype.STRING,
        required=False,
        order=2,
    )
    return category


@pytest.fixture
def api_key(db):
    return issue_key("FixMyStreet")[1]


@pytest.fixture
def reference(client, light, api_key):
    posted = client.post(BASE + "requests.json", fixmystreet_report(api_key))
    return posted.json()[0]["service_request_id"]


def parse(response, fmt):
    """The body as JSON, or as XML the way FixMyStreet's XML::Simple reads it (root element)."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json"
        return response.json()
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own server's reply)


def assert_error(response, fmt, code, says=""):
    assert response.status_code == code, response.content
    body = parse(response, fmt)
    if fmt == "json":
        assert isinstance(body, list) and len(body) == 1
        assert set(body[0]) == {"code", "description"}
        assert body[0]["code"] == code
        description = body[0]["description"]
    else:
        assert body.tag == "errors"
        [error] = body.findall("error")
        assert error.findtext("code") == str(code)
        description = error.findtext("description")
    assert description, "every error says what to do"
    assert says in description


# -- every endpoint answers in both formats ----------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client, fmt):
    body = parse(client.get(BASE + f"discovery.{fmt}"), fmt)
    if fmt == "json":
        assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert body["endpoints"][0]["formats"] == ["application/json", "text/xml"]
    else:
        assert body.tag == "discovery"
        assert [f.text for f in body.findall("endpoints/endpoint/formats/format")] == [
            "application/json",
            "text/xml",
        ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_say_which_have_attribute_definitions(client, light, fmt):
    define_request_category(service=light.service, name="Pothole", slug="pothole", target_days=5)
    body = parse(client.get(BASE + f"services.{fmt}"), fmt)
    if fmt == "json":
        assert {s["service_code"]: s["metadata"] for s in body} == {
            "street-light-out": True,
            "pothole": False,
        }
    else:
        assert body.tag == "services"
        metadata = {
            s.findtext("service_code"): s.findtext("metadata") for s in body.findall("service")
        }
        assert metadata == {"street-light-out": "true", "pothole": "false"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_definition_lists_its_attributes_in_order(client, light, fmt):
    body = parse(client.get(BASE + f"services/street-light-out.{fmt}"), fmt)
    if fmt == "json":
        assert body["service_code"] == "street-light-out"
        first, second = body["attributes"]
        assert first == {
            "variable": True,
            "code": "column_type",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "",
            "order": 1,
            "description": "What kind of lamp post is it?",
            "values": [
                {"key": "steel", "name": "Steel column"},
                {"key": "wall", "name": "On a wall"},
            ],
        }
        assert (second["code"], second["values"]) == ("column_number", [])
    else:
        assert body.tag == "service_definition"
        attributes = body.findall("attributes/attribute")
        assert [a.findtext("code") for a in attributes] == ["column_type", "column_number"]
        assert attributes[0].findtext("variable") == "true"
        assert [v.findtext("key") for v in attributes[0].findall("values/value")] == [
            "steel",
            "wall",
        ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_get_and_token_of_a_request(client, light, api_key, fmt):
    posted = parse(client.post(BASE + f"requests.{fmt}", fixmystreet_report(api_key)), fmt)
    if fmt == "json":
        reference, token = posted[0]["service_request_id"], posted[0]["token"]
    else:
        assert posted.tag == "service_requests"
        reference = posted.findtext("request/service_request_id")
        token = posted.findtext("request/token")
    listed = parse(client.get(BASE + f"requests.{fmt}", {"service_code": "street-light-out"}), fmt)
    one = parse(client.get(BASE + f"requests/{reference}.{fmt}"), fmt)
    by_token = parse(client.get(BASE + f"tokens/{token}.{fmt}"), fmt)
    if fmt == "json":
        assert [r["service_request_id"] for r in listed] == [reference]
        assert one[0]["status"] == "open"
        assert by_token == [{"service_request_id": reference, "token": token}]
    else:
        assert [r.findtext("service_request_id") for r in listed.findall("request")] == [reference]
        assert one.findtext("request/status") == "open"
        assert by_token.findtext("request/service_request_id") == reference


# -- FixMyStreet's servicerequestupdates -------------------------------------------------------


def test_an_update_posted_as_fixmystreet_posts_it_goes_on_the_case_once(client, api_key, reference):
    form = fixmystreet_update(api_key, reference)

    response = client.post(BASE + "servicerequestupdates.xml", form)

    # FixMyStreet reads $obj->{request_update}->[0]->{update_id} from this reply.
    root = parse(response, "xml")
    assert root.tag == "service_request_updates"
    update_id = root.findtext("request_update/update_id")
    assert update_id and update_id.isdigit()
    update = Open311Update.objects.get()
    assert (update.client_update_id, update.status, update.name) == ("90210", "OPEN", "Ann Example")
    assert update.case.reference == reference
    assert str(update.event_id) == update_id
    note = CaseNote.objects.get(case=update.case)
    assert "Still out tonight" in note.text
    assert "Ann Example says it is still open" in note.text
    assert update.case.events.filter(action="open311_update").count() == 1
    # FixMyStreet retries: the same update_id adds nothing and gives the same answer.
    again = parse(client.post(BASE + "servicerequestupdates.xml", form), "xml")
    assert again.findtext("request_update/update_id") == update_id
    assert Open311Update.objects.count() == 1
    assert CaseNote.objects.count() == 1


def test_a_reporter_saying_fixed_does_not_close_the_case_for_the_officer(
    client, api_key, reference
):
    form = fixmystreet_update(api_key, reference, status="FIXED", last_name="-", first_name="Ann")

    body = parse(client.post(BASE + "servicerequestupdates.json", form), "json")

    assert body == [{"update_id": str(Open311Update.objects.get().event_id)}]
    case = Case.objects.get(reference=reference)
    assert case.status == "received"
    assert "Ann says it is fixed" in CaseNote.objects.get(case=case).text


def test_updates_read_back_are_heards_own_status_changes_not_fixmystreets_echo(
    client, api_key, reference
):
    client.post(BASE + "servicerequestupdates.json", fixmystreet_update(api_key, reference))
    officer = make_staff("complaints_team")
    case_services.acknowledge(Case.objects.get(reference=reference), by=officer)
    start = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    for fmt in FORMATS:
        body = parse(
            client.get(
                BASE + f"servicerequestupdates.{fmt}",
                {"api_key": api_key, "start_date": start, "end_date": end},
            ),
            fmt,
        )
        if fmt == "json":
            [update] = body
            assert set(update) == {
                "update_id",
                "service_request_id",
                "status",
                "external_status_code",
                "description",
                "updated_datetime",
                "media_url",
            }
            assert (update["status"], update["external_status_code"]) == (
                "in_progress",
                "acknowledged",
            )
            assert update["updated_datetime"].endswith("Z")
        else:
            [update] = body.findall("request_update")
            assert update.findtext("service_request_id") == reference
            assert update.findtext("status") == "in_progress"


# -- every error path, in both formats ---------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("changes", "code", "says"),
    [
        ({"api_key": None}, 403, "Send your api_key"),
        ({"api_key": "o311_wrong"}, 403, "not valid"),
        ({"service_request_id": None}, 400, "Send the service_request_id"),
        ({"service_request_id": "SR-2026-999999"}, 404, "There is no service request"),
        ({"status": "MAYBE"}, 400, "status must be one of OPEN, REOPEN, CLOSED"),
        ({"status": None}, 400, "not '(none)'"),
        ({"description": "  "}, 400, "Send a description"),
        ({"updated_datetime": None}, 400, "Send updated_datetime"),
        ({"updated_datetime": "Tuesday"}, 400, "must be a W3C date and time"),
        ({"email": "nobody"}, 400, "is not an email address"),
        ({"media_url": "ftp://x.example/a.jpg"}, 400, "media_url must be a web address"),
    ],
)
def test_a_bad_update_is_refused_in_open311s_error_format(
    client, api_key, reference, fmt, changes, code, says
):
    response = client.post(
        BASE + f"servicerequestupdates.{fmt}", fixmystreet_update(api_key, reference, **changes)
    )

    assert_error(response, fmt, code, says)
    assert Open311Update.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_update_about_another_clients_request_is_refused(client, api_key, reference, fmt):
    other_key = issue_key("Another app")[1]

    response = client.post(
        BASE + f"servicerequestupdates.{fmt}", fixmystreet_update(other_key, reference)
    )

    assert_error(response, fmt, 403, "sent by another client")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("changes", "code", "says"),
    [
        ({"attribute[column_type]": "wooden"}, 400, "'wooden' is not one of the keys"),
        ({"attribute[fixmystreet_id]": "1", "service_code": "unicorns"}, 404, "GET services"),
    ],
)
def test_a_request_with_a_bad_attribute_answer_is_refused(
    client, light, api_key, fmt, changes, code, says
):
    response = client.post(BASE + f"requests.{fmt}", fixmystreet_report(api_key, **changes))

    assert_error(response, fmt, code, says)
    assert Case.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_required_attribute_must_be_answered(client, light, api_key, fmt):
    Open311Attribute.objects.filter(code="column_number").update(required=True)

    missing = client.post(BASE + f"requests.{fmt}", fixmystreet_report(api_key))
    answered = client.post(
        BASE + f"requests.{fmt}",
        fixmystreet_report(api_key, **{"attribute[column_number]": "L12"}),
    )

    assert_error(missing, fmt, 400, "Send attribute[column_number]")
    assert answered.status_code == 200
    assert Case.objects.get().open311.attributes["column_number"] == "L12"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("post", "discovery", 405),
        ("post", "services", 405),
        ("post", "services/street-light-out", 405),
        ("delete", "requests", 405),
        ("post", "requests/SR-2026-000001", 405),
        ("post", "tokens/abc", 405),
        ("put", "servicerequestupdates", 405),
        ("get", "services/unicorns", 404),
        ("get", "requests/SR-2026-999999", 404),
        ("get", "tokens/nope", 404),
        ("get", "servicerequestupdates", 403),
        ("get", "requests?start_date=yesterday", 400),
        ("get", "requests?end_date=2026-13-45T00:00:00Z", 400),
        ("get", "requests?start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z", 400),
        ("get", "requests?status=lost", 400),
    ],
)
def test_every_read_error_is_in_open311s_error_format(client, light, fmt, method, path, code):
    endpoint, _, query = path.partition("?")

    response = getattr(client, method)(BASE + f"{endpoint}.{fmt}" + (f"?{query}" if query else ""))

    assert_error(response, fmt, code)
    if code == 405:
        assert response["Allow"] in ("GET", "GET, POST")


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_format_or_endpoint_is_not_served(client, fmt):
    assert client.get(BASE + "services.csv").status_code == 404
    assert client.get(BASE + f"nothing.{fmt}").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_posting_updates_is_rate_limited_per_key(client, api_key, reference, settings, fmt):
    settings.HEARD_OPEN311_RATE_PER_KEY = 1  # the report in the fixture used the only one

    response = client.post(
        BASE + f"servicerequestupdates.{fmt}", fixmystreet_update(api_key, reference)
    )

    assert_error(response, fmt, 429, "Too many requests")
