"""What other screens read from correspondence."""

from heard.cases.models import Case
from heard.correspondence import selectors, services
from heard.testing import make_case

from .conftest import RECEIVED, shipped


def test_awaiting_check_q_finds_cases_with_a_letter_waiting_for_its_check(case, author, waste):
    quiet = make_case(service=waste, received_at=RECEIVED)
    for _ in range(2):  # two letters waiting: the case still appears once
        letter = services.draft_letter(case=case, template=shipped("acknowledgement"), by=author)
        services.submit_for_check(letter, by=author)
    services.draft_letter(case=quiet, template=shipped("acknowledgement"), by=author)
    found = list(Case.objects.filter(selectors.awaiting_check_q()))
    assert found == [case]
    assert list(Case.objects.exclude(selectors.awaiting_check_q())) == [quiet]


def test_the_customer_s_language_comes_first_among_the_templates(case):
    case.customer.language = "cy"
    case.customer.save()
    templates = list(selectors.templates_for(case))
    assert templates[0].language == "cy" and templates[-1].language == "en"
