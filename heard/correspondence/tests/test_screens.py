"""The correspondence screens over HTTP, signed in as real staff users."""

import pytest
from django.urls import reverse

from heard.correspondence import services
from heard.correspondence.models import Letter, LetterStatus
from heard.org.models import Role
from heard.testing import make_case, make_service, make_staff

from .conftest import RECEIVED, shipped

BODY = "Dear Ann Example,\n\nWe found the crew missed your street. We are sorry."


def signed_in(client, user):
    client.force_login(user)
    return client


def url(name, case, letter=None):
    args = [case.reference] + ([letter.pk] if letter else [])
    return reverse(f"correspondence:{name}", args=args)


def form_for(letter, **changes):
    data = {
        "recipient": letter.recipient,
        "address": letter.address,
        "subject": letter.subject,
        "body": BODY,
    }
    return {**data, **changes}


@pytest.fixture
def draft(case, author):
    return services.draft_letter(case=case, template=shipped("stage_response"), by=author)


def test_the_screens_need_a_signed_in_user(client, case):
    for address in (url("case", case), reverse("correspondence:awaiting")):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_a_case_the_user_cannot_see_is_not_found(client, case, draft):
    elsewhere = make_staff(Role.INVESTIGATING_OFFICER, services=[make_service("parking")])
    client = signed_in(client, elsewhere)
    assert client.get(url("case", case)).status_code == 404
    assert client.get(url("letter", case, draft)).status_code == 404
    assert client.get(url("print", case, draft)).status_code == 404


def test_a_letter_is_found_only_under_its_own_case(client, case, draft, checker, waste):
    other = make_case(service=waste, received_at=RECEIVED)
    client = signed_in(client, checker)
    assert client.get(url("letter", other, draft)).status_code == 404


def test_the_case_page_lists_the_letters_and_starts_a_new_one(client, case, author, draft):
    client = signed_in(client, author)
    page = client.get(url("case", case))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Write a letter or email" in html
    assert draft.subject in html
    assert "checked by a second person before they are sent" in html
    template = shipped("acknowledgement", medium="letter")
    response = client.post(url("case", case), {"template": template.pk})
    letter = Letter.objects.exclude(pk=draft.pk).get()
    assert response.status_code == 302
    assert response["Location"] == url("letter", case, letter)
    assert letter.template == template and letter.author == author


def test_choosing_no_template_is_an_error_on_the_form(client, case, author):
    page = signed_in(client, author).post(url("case", case), {"template": ""})
    assert page.status_code == 200
    assert "Choose a template." in page.content.decode()
    assert not Letter.objects.exists()


def test_a_reader_who_cannot_write_sees_no_form(client, case):
    page = signed_in(client, make_staff(Role.PERFORMANCE_OFFICER)).get(url("case", case))
    assert page.status_code == 200
    assert "Write a letter or email" not in page.content.decode()


def test_the_author_saves_changes(client, draft, author):
    client = signed_in(client, author)
    response = client.post(url("letter", draft.case, draft), {**form_for(draft), "action": "save"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == BODY
    page = client.get(response["Location"])
    assert "Your changes have been saved." in page.content.decode()


def test_a_domain_refusal_is_shown_on_the_form(client, draft, author):
    page = signed_in(client, author).post(
        url("letter", draft.case, draft),
        {**form_for(draft, recipient="not-an-email"), "action": "save"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Enter an email address in the correct format" in html
    assert 'href="#id_recipient"' in html


def test_sending_without_the_required_check_shows_why(client, draft, author):
    page = signed_in(client, author).post(
        url("letter", draft.case, draft), {**form_for(draft), "action": "send"}
    )
    assert page.status_code == 200
    assert (
        "Letters at stage 1 (Line manager response) must be checked by a second person before "
        "they are sent." in page.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT and draft.body == BODY  # the edit was kept


def test_the_whole_journey_draft_check_return_approve_send(client, draft, author, checker):
    reader = signed_in(client, author)
    letter_url = url("letter", draft.case, draft)
    reader.post(letter_url, {**form_for(draft), "action": "submit"})
    draft.refresh_from_db()
    assert draft.status == LetterStatus.AWAITING_CHECK

    # The author cannot check their own letter and does not see it in the list.
    assert draft.subject not in reader.get(reverse("correspondence:awaiting")).content.decode()
    assert "Approve" not in reader.get(letter_url).content.decode()
    page = reader.post(letter_url, {"action": "approve", "comments": ""})
    assert "second person" in page.content.decode()

    reader.force_login(checker)
    awaiting = reader.get(reverse("correspondence:awaiting")).content.decode()
    assert draft.subject in awaiting and "Ivy Investigator" in awaiting
    assert "Return with comments" in reader.get(letter_url).content.decode()
    page = reader.post(letter_url, {"action": "return", "comments": ""})
    assert "Say what needs to change" in page.content.decode()
    reader.post(letter_url, {"action": "return", "comments": "Add the apology."})
    draft.refresh_from_db()
    assert draft.status == LetterStatus.RETURNED

    reader.force_login(author)
    page = reader.get(letter_url).content.decode()
    assert "Returned by Carl Checker" in page and "Add the apology." in page
    reader.post(letter_url, {**form_for(draft, body=BODY + " Apologies."), "action": "submit"})

    reader.force_login(checker)
    reader.post(letter_url, {"action": "approve", "comments": "Fine now."})
    draft.refresh_from_db()
    assert draft.status == LetterStatus.APPROVED and draft.checker == checker

    reader.force_login(author)
    page = reader.get(letter_url).content.decode()
    assert "Approved by Carl Checker" in page and 'name="body"' not in page
    response = reader.post(letter_url, {"action": "send"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == LetterStatus.SENT
    page = reader.get(letter_url).content.decode()
    assert "as sent" in page and "Apologies." in page
    for step in ("drafted", "sent for its quality check", "returned with comments", "approved"):
        assert step in page


def test_an_unknown_action_is_a_bad_request(client, draft, author):
    response = signed_in(client, author).post(url("letter", draft.case, draft), {"action": "x"})
    assert response.status_code == 400


def test_a_letter_has_a_printable_copy_marked_draft_until_it_may_be_posted(client, case, author):
    letter = services.draft_letter(
        case=case, template=shipped("acknowledgement", medium="letter"), by=author
    )
    services.edit_letter(
        letter,
        by=author,
        recipient="Ann Example",
        address="1 High Street\nAshdown",
        subject=letter.subject,
        body=letter.body,
    )
    page = signed_in(client, author).get(url("print", case, letter)).content.decode()
    assert "DRAFT \N{EN DASH} NOT FOR POSTING" in page
    assert "1 High Street<br>Ashdown" in page
    assert f"Our reference: {case.reference}" in page


def test_an_email_has_no_printable_copy(client, draft, author):
    assert signed_in(client, author).get(url("print", draft.case, draft)).status_code == 404


def test_the_awaiting_list_holds_only_checks_the_user_may_do(client, draft, author, waste):
    services.submit_for_check(
        services.edit_letter(
            draft, by=author, recipient=draft.recipient, subject=draft.subject, body=BODY
        ),
        by=author,
    )
    front_line = make_staff(Role.FRONT_LINE_OFFICER, services=[waste])  # sees it, cannot answer
    page = signed_in(client, front_line).get(reverse("correspondence:awaiting"))
    assert draft.subject not in page.content.decode()
    head = make_staff(Role.HEAD_OF_SERVICE, services=[waste])
    client.force_login(head)
    assert draft.subject in client.get(reverse("correspondence:awaiting")).content.decode()


def test_saving_from_a_page_left_open_after_the_letter_went_for_its_check_is_refused(
    client, draft, author
):
    client = signed_in(client, author)
    letter_url = url("letter", draft.case, draft)
    client.post(letter_url, {**form_for(draft), "action": "submit"})
    page = client.post(letter_url, {**form_for(draft, body="Too late."), "action": "save"})
    assert page.status_code == 200
    assert "This is waiting for its quality check." in page.content.decode()
    draft.refresh_from_db()
    assert draft.body == BODY
