"""Open311 GeoReport v2, posted to and read exactly as FixMyStreet's Open311 sender does."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from heard.cases import services as case_services
from heard.cases.models import Case
from heard.channels.open311 import issue_key
from heard.org.services import define_request_category
from heard.testing import make_service, make_staff

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"


@pytest.fixture
def light():
    return define_request_category(
        service=make_service("highways", "Highways"),
        name="Street light out",
        slug="street-light-out",
        target_days=3,
    )


@pytest.fixture
def api_key(db):
    return issue_key("FixMyStreet")[1]


def fixmystreet_form(key, **changes):
    """The form fields FixMyStreet's Open311.pm posts for a report made with the map."""
    form = {
        "api_key": key,
        "jurisdiction_id": "council.example",
        "service_code": "street-light-out",
        "description": "title: Light out on Mill Road\n\ndetail: The lamp outside number 12 has been out for a week.\n\nurl: https://fixmystreet.example/report/4242\n\nSubmitted via FixMyStreet\n",
        "first_name": "Ann",
        "last_name": "Example",
        "email": "ann@example.org",
        "phone": "01632 960000",
        "lat": "51.501364",
        "long": "-0.14189",
        "media_url": "https://fixmystreet.example/photo/4242.0.full.jpeg",
        "attribute[fixmystreet_id]": "4242",
        "attribute[easting]": "529025",
        "attribute[northing]": "179716",
        "attribute[closest_address]": "12 Mill Road",
        "attribute[uprn]": "100023336956",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def xml(response):
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own server's reply)


def test_services_list_the_catalogue_in_json_and_xml(client, light):
    listed = client.get(BASE + "services.json").json()
    assert listed == [
        {
            "service_code": "street-light-out",
            "service_name": "Street light out",
            "description": "Street light out: done within 3 working days.",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "Highways",
        }
    ]
    root = xml(client.get(BASE + "services.xml"))
    assert root.tag == "services"
    assert root.find("service/service_code").text == "street-light-out"
    assert root.find("service/metadata").text == "false"


def test_a_service_definition_and_discovery(client, light):
    assert client.get(BASE + "services/street-light-out.json").json() == {
        "service_code": "street-light-out",
        "attributes": [],
    }
    assert xml(client.get(BASE + "services/street-light-out.xml")).tag == "service_definition"
    found = client.get(BASE + "discovery.json").json()
    assert found["endpoints"][0]["url"].endswith("/open311/v2/")
    assert (
        xml(client.get(BASE + "discovery.xml")).find("endpoints/endpoint/type").text == "production"
    )


def test_a_report_posted_as_fixmystreet_posts_it_becomes_a_service_request(client, light, api_key):
    response = client.post(BASE + "requests.xml", fixmystreet_form(api_key))

    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "service_requests"
    reference = root.find("request/service_request_id").text
    case = Case.objects.get(reference=reference)
    assert case.kind == "service_request"
    assert case.category == light
    assert case.service is not None and case.service.slug == "highways"
    assert case.customer.email == "ann@example.org"
    assert case.customer.name == "Ann Example"
    assert "The lamp outside number 12" in case.description
    assert case.open311.attributes["uprn"] == "100023336956"
    assert case.open311.media_url.endswith("4242.0.full.jpeg")
    assert str(case.open311.lat) == "51.501364"


def test_the_same_report_sent_twice_makes_one_case(client, light, api_key):
    first = client.post(BASE + "requests.json", fixmystreet_form(api_key)).json()
    second = client.post(BASE + "requests.json", fixmystreet_form(api_key)).json()

    assert first[0]["service_request_id"] == second[0]["service_request_id"]
    assert Case.objects.count() == 1


def test_a_request_is_read_back_by_id_and_by_token_without_personal_details(client, light, api_key):
    posted = client.post(BASE + "requests.json", fixmystreet_form(api_key)).json()[0]
    reference = posted["service_request_id"]

    found = client.get(BASE + f"requests/{reference}.json").json()
    assert found[0]["service_request_id"] == reference
    assert found[0]["status"] == "open"
    assert found[0]["service_code"] == "street-light-out"
    assert found[0]["lat"] == 51.501364
    assert "ann@example.org" not in str(found)
    assert "Ann" not in str(found)
    root = xml(client.get(BASE + f"requests/{reference}.xml"))
    assert root.find("request/status").text == "open"
    token = client.get(BASE + f"tokens/{posted['token']}.json").json()
    assert token == [{"service_request_id": reference, "token": posted["token"]}]


def test_status_updates_are_listed_for_fixmystreet_to_read_back(client, light, api_key):
    reference = client.post(BASE + "requests.json", fixmystreet_form(api_key)).json()[0][
        "service_request_id"
    ]
    officer = make_staff("complaints_team")
    case = Case.objects.get(reference=reference)
    case_services.acknowledge(case, by=officer)
    case_services.respond(case, by=officer, summary="The lamp was replaced on Tuesday.")
    start = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    listed = client.get(
        BASE + "servicerequestupdates.json",
        {"api_key": api_key, "start_date": start, "end_date": end},
    ).json()

    assert [(u["status"], u["external_status_code"]) for u in listed] == [
        ("in_progress", "acknowledged"),
        ("closed", "responded"),
    ]
    assert listed[1]["description"] == "The lamp was replaced on Tuesday."
    assert listed[1]["service_request_id"] == reference
    root = xml(
        client.get(
            BASE + "servicerequestupdates.xml",
            {"api_key": api_key, "start_date": start, "end_date": end},
        )
    )
    assert root.tag == "service_request_updates"
    assert len(root.findall("request_update")) == 2
    assert client.get(BASE + "requests.json?status=closed").json()[0]["status_notes"] == (
        "The lamp was replaced on Tuesday."
    )
    assert client.get(BASE + "requests.json?status=open").json() == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("changes", "code", "says"),
    [
        ({"api_key": None}, 403, "Send your api_key"),
        ({"api_key": "o311_wrong"}, 403, "Ask the council for a new key"),
        ({"service_code": "unicorns"}, 404, "GET services.json lists them"),
        ({"service_code": None}, 400, "Send a service_code"),
        ({"lat": None, "long": None}, 400, "Say where the problem is"),
        ({"lat": "north", "long": "-0.1"}, 400, "decimal degrees"),
        ({"lat": "91", "long": "0"}, 400, "between -90 and 90"),
        ({"description": " "}, 400, "Send a description"),
        ({"email": "not-an-address"}, 400, "is not an email address"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url must be a web address"),
    ],
)
def test_a_bad_request_is_answered_in_open311s_error_format(
    client, light, api_key, fmt, changes, code, says
):
    response = client.post(BASE + f"requests.{fmt}", fixmystreet_form(api_key, **changes))

    assert response.status_code == code
    if fmt == "json":
        [error] = response.json()
        assert error["code"] == code
        description = error["description"]
    else:
        root = xml(response)
        assert root.tag == "errors"
        assert root.find("error/code").text == str(code)
        description = root.find("error/description").text
    assert says in description
    assert Case.objects.count() == 0


def test_an_address_string_is_enough_without_a_map_pin(client, light, api_key):
    form = fixmystreet_form(api_key, lat=None, long=None, address_string="SW1A 1AA")

    reference = client.post(BASE + "requests.json", form).json()[0]["service_request_id"]

    assert Case.objects.get(reference=reference).subject == "Street light out: SW1A 1AA"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_read_errors_are_in_open311s_format_too(client, light, fmt):
    assert client.get(BASE + f"requests/SR-2026-999999.{fmt}").status_code == 404
    assert client.get(BASE + f"services/unicorns.{fmt}").status_code == 404
    assert client.get(BASE + f"tokens/nope.{fmt}").status_code == 404
    assert client.get(BASE + f"servicerequestupdates.{fmt}").status_code == 403
    assert client.get(BASE + f"requests.{fmt}?start_date=yesterday").status_code == 400
    assert client.get(BASE + f"requests.{fmt}?status=lost").status_code == 400
    response = client.delete(BASE + f"services.{fmt}")
    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_a_withdrawn_client_key_is_refused(client, light, api_key):
    from heard.channels.models import Open311Client

    Open311Client.objects.update(active=False)

    assert client.post(BASE + "requests.json", fixmystreet_form(api_key)).status_code == 403


def test_only_a_hash_of_the_key_is_kept(api_key):
    from heard.channels.models import Open311Client

    stored = Open311Client.objects.get()
    assert api_key not in (stored.key_hash, stored.prefix)


def test_posting_is_rate_limited_per_key(client, light, api_key, settings):
    settings.HEARD_OPEN311_RATE_PER_KEY = 2
    for n in range(2):
        form = fixmystreet_form(api_key, **{"attribute[fixmystreet_id]": str(n)})
        assert client.post(BASE + "requests.json", form).status_code == 200

    response = client.post(BASE + "requests.json", fixmystreet_form(api_key))

    assert response.status_code == 429
    assert response.json()[0]["description"].startswith("Too many requests")


def test_reading_is_rate_limited_per_address(client, light, settings):
    settings.HEARD_OPEN311_RATE_PER_ADDRESS = 3
    codes = [client.get(BASE + "services.json").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
