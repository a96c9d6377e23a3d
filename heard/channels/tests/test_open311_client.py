"""Heard read through a real Open311 client nobody here wrote: ``georeport`` from PyPI, against
a live server, in JSON and XML, after a report is posted exactly as FixMyStreet's Open311
sender posts one (georeport cannot post, and no maintained Python 3 client can)."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
import requests
from django.utils import timezone
from georeport import GeoReport

from heard.cases import services as case_services
from heard.cases.models import Case
from heard.channels.models import Open311Attribute
from heard.channels.open311 import issue_key
from heard.channels.tests.open311_forms import fixmystreet_report, fixmystreet_update
from heard.org.services import define_request_category
from heard.testing import make_service, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def light(transactional_db):
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
        values=[{"key": "steel", "name": "Steel column"}],
    )
    return category


def post_as_fixmystreet(endpoint: str, path: str, form: dict[str, str]) -> ElementTree.Element:
    """POST form-encoded to the .xml endpoint and read the reply as Open311.pm does."""
    response = requests.post(f"{endpoint}/{path}", data=form, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own server's reply)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_a_report_fixmystreet_posted(live_server, light, fmt):
    endpoint = f"{live_server.url}/open311/v2"
    key = issue_key("FixMyStreet")[1]
    posted = post_as_fixmystreet(endpoint, "requests.xml", fixmystreet_report(key))
    reference = posted.findtext("request/service_request_id")
    assert reference and reference.startswith("SR-")
    # FixMyStreet retries a report it is not sure was received: still one case.
    again = post_as_fixmystreet(endpoint, "requests.xml", fixmystreet_report(key))
    assert again.findtext("request/service_request_id") == reference
    assert Case.objects.count() == 1

    client = GeoReport(endpoint, jurisdiction="council.example", output_format=fmt)

    services = client.get_service_list()
    if fmt == "xml":  # xmltodict gives a lone element as a dict, not a list of one
        services = [services] if isinstance(services, dict) else services
    assert [s["service_code"] for s in services] == ["street-light-out"]
    assert str(services[0]["metadata"]).lower() == "true"

    definition = client.get_service_definition("street-light-out")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
        attributes = [attributes] if isinstance(attributes, dict) else attributes
        values = attributes[0]["values"]["value"]
        values = [values] if isinstance(values, dict) else values
    else:
        values = attributes[0]["values"]
    assert attributes[0]["code"] == "column_type"
    assert values == [{"key": "steel", "name": "Steel column"}]

    request = client.get_service_request(reference)
    assert request["service_request_id"] == reference
    assert request["status"] == "open"
    assert request["service_code"] == "street-light-out"
    assert float(request["lat"]) == pytest.approx(51.501364)
    assert "Ann" not in str(request) and "ann@example.org" not in str(request)

    found = client.get_service_requests(service_code="street-light-out", status="open")
    if fmt == "xml":
        found = [found] if isinstance(found, dict) else found
    assert [r["service_request_id"] for r in found] == [reference]

    by_id = client.get_service_requests(service_request_id=reference)
    if fmt == "xml":
        by_id = [by_id] if isinstance(by_id, dict) else by_id
    assert by_id[0]["service_request_id"] == reference


def test_fixmystreet_posts_an_update_and_georeport_sees_the_council_close_it(live_server, light):
    endpoint = f"{live_server.url}/open311/v2"
    key = issue_key("FixMyStreet")[1]
    reference = post_as_fixmystreet(endpoint, "requests.xml", fixmystreet_report(key)).findtext(
        "request/service_request_id"
    )
    assert reference is not None

    reply = post_as_fixmystreet(
        endpoint, "servicerequestupdates.xml", fixmystreet_update(key, reference)
    )

    assert reply.tag == "service_request_updates"
    assert (reply.findtext("request_update/update_id") or "").isdigit()
    officer = make_staff("complaints_team")
    case = Case.objects.get(reference=reference)
    case = case_services.acknowledge(case, by=officer)
    case_services.respond(case, by=officer, summary="The lamp was replaced on Tuesday.")
    # FixMyStreet reads updates back with start_date and end_date both given.
    window = {
        "api_key": key,
        "start_date": (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_date": (timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    updates = requests.get(f"{endpoint}/servicerequestupdates.xml", params=window, timeout=30)
    root = ElementTree.fromstring(updates.content)  # noqa: S314
    assert [u.findtext("external_status_code") for u in root.findall("request_update")] == [
        "acknowledged",
        "responded",
    ]

    request = GeoReport(endpoint, output_format="xml").get_service_request(reference)
    assert request["status"] == "closed"
    assert request["status_notes"] == "The lamp was replaced on Tuesday."
