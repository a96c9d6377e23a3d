"""Drafts, the second-person check and sending: the rules, through the services."""

import pytest

from heard.cases import services as case_services
from heard.cases.models import CaseEvent
from heard.core.errors import InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from heard.correspondence import services
from heard.correspondence.lifecycle import ALLOWED_FROM, REASONS, Step
from heard.correspondence.models import LetterStatus
from heard.org.models import Role
from heard.testing import make_case, make_service, make_staff

from .conftest import RECEIVED, shipped


def filled_in(letter, by, **changes):
    """The author replaces the [[placeholders]] and saves."""
    body = changes.pop("body", "Dear Ann Example,\n\nWe found the crew missed your street.")
    return services.edit_letter(
        letter,
        by=by,
        recipient=changes.pop("recipient", letter.recipient),
        address=changes.pop("address", letter.address),
        subject=changes.pop("subject", letter.subject),
        body=body,
    )


def actions(case):
    return list(
        CaseEvent.objects.filter(case=case, action__startswith="letter_").values_list(
            "action", flat=True
        )
    )


@pytest.fixture
def draft(case, author):
    return services.draft_letter(case=case, template=shipped("stage_response"), by=author)


def test_a_draft_is_merged_from_its_template_and_logged(case, author, draft):
    assert draft.status == LetterStatus.DRAFT
    assert draft.subject == f"{case.reference}: our response at stage 1"
    assert draft.body.startswith("Dear Ann Example,")
    assert "stage 1 (Line manager response) of our Council three-stage" in draft.body
    assert "{{" not in draft.body
    assert draft.recipient == "ann@example.org"
    assert draft.stage == case.stage and draft.author == author
    event = CaseEvent.objects.get(case=case, action="letter_drafted")
    assert event.actor == author and event.after["letter"] == draft.pk
    assert "Stage response (email)" in event.summary


def test_a_letter_by_post_is_addressed_to_the_customer(case, author):
    letter = services.draft_letter(
        case=case, template=shipped("acknowledgement", medium="letter"), by=author
    )
    assert letter.recipient == "Ann Example" and letter.medium == "letter"
    assert "Yours sincerely,\n\nIvy Investigator\nWaste and recycling\n" in letter.body


def test_someone_who_cannot_answer_cases_cannot_write_to_the_customer(case):
    performance = make_staff(Role.PERFORMANCE_OFFICER)  # sees every case, read only
    with pytest.raises(NotPermitted):
        services.draft_letter(case=case, template=shipped("acknowledgement"), by=performance)


def test_someone_who_cannot_see_the_case_is_told_it_does_not_exist(case):
    elsewhere = make_staff(Role.INVESTIGATING_OFFICER, services=[make_service("parking")])
    with pytest.raises(NotFound):
        services.draft_letter(case=case, template=shipped("acknowledgement"), by=elsewhere)


def test_an_inactive_template_cannot_be_used(case, author):
    template = shipped("acknowledgement")
    template.active = False
    template.save()
    with pytest.raises(InvalidInput) as refused:
        services.draft_letter(case=case, template=template, by=author)
    assert refused.value.field == "template"


def test_only_the_author_edits_a_draft_and_each_change_is_logged(draft, author, checker):
    with pytest.raises(NotPermitted) as refused:
        filled_in(draft, checker)
    assert "Ivy Investigator" in refused.value.message
    letter = filled_in(draft, author)
    assert letter.body == "Dear Ann Example,\n\nWe found the crew missed your street."
    assert actions(draft.case) == ["letter_drafted", "letter_edited"]
    filled_in(letter, author)  # nothing changed: nothing logged
    assert actions(draft.case) == ["letter_drafted", "letter_edited"]


def test_an_email_needs_a_valid_address(draft, author):
    with pytest.raises(InvalidInput) as refused:
        filled_in(draft, author, recipient="ann at example")
    assert refused.value.field == "recipient"


def test_placeholders_must_be_replaced_before_the_check(draft, author):
    with pytest.raises(InvalidInput) as refused:
        services.submit_for_check(draft, by=author)
    assert refused.value.message.startswith(
        "Replace the text in double brackets first: [[Summarise the complaint.]] and 3 more."
    )


def test_the_checker_must_be_a_second_person(draft, author):
    letter = services.submit_for_check(filled_in(draft, author), by=author)
    assert letter.status == LetterStatus.AWAITING_CHECK
    with pytest.raises(NotPermitted) as refused:
        services.approve(letter, by=author)
    assert "second person" in refused.value.message


def test_the_checker_must_be_able_to_see_the_case(draft, author):
    letter = services.submit_for_check(filled_in(draft, author), by=author)
    stranger = make_staff(Role.HEAD_OF_SERVICE, services=[make_service("parking")])
    with pytest.raises(NotFound):
        services.approve(letter, by=stranger)


def test_the_checker_must_be_able_to_answer_the_stage(draft, author, waste):
    letter = services.submit_for_check(filled_in(draft, author), by=author)
    front_line = make_staff(Role.FRONT_LINE_OFFICER, services=[waste])
    with pytest.raises(NotPermitted):
        services.approve(letter, by=front_line)
    head = make_staff(Role.HEAD_OF_SERVICE, services=[waste])
    assert services.approve(letter, by=head).status == LetterStatus.APPROVED


def test_a_returned_letter_goes_back_to_its_author_and_round_again(draft, author, checker):
    letter = services.submit_for_check(filled_in(draft, author), by=author)
    with pytest.raises(InvalidInput) as refused:
        services.return_letter(letter, by=checker, comments="  ")
    assert refused.value.field == "comments"
    letter = services.return_letter(letter, by=checker, comments="Say sorry for the delay.")
    assert letter.status == LetterStatus.RETURNED and letter.checker == checker
    with pytest.raises(TransitionNotAllowed) as not_sent:
        services.send(letter, by=author)
    assert "returned this with comments" in not_sent.value.message
    letter = filled_in(letter, author, body="Dear Ann Example,\n\nSorry for the delay.")
    letter = services.submit_for_check(letter, by=author)
    assert letter.check_comments == "" and letter.checker is None
    letter = services.approve(letter, by=checker, comments="Good.")
    assert letter.status == LetterStatus.APPROVED
    assert actions(draft.case) == [
        "letter_drafted",
        "letter_edited",
        "letter_submitted",
        "letter_returned",
        "letter_edited",
        "letter_submitted",
        "letter_approved",
    ]
    returned = CaseEvent.objects.get(case=draft.case, action="letter_returned")
    assert returned.actor == checker
    assert returned.after["comments"] == "Say sorry for the delay."


def test_a_letter_cannot_change_while_it_is_checked_or_once_approved(draft, author, checker):
    letter = services.submit_for_check(filled_in(draft, author), by=author)
    with pytest.raises(TransitionNotAllowed) as refused:
        filled_in(letter, author, body="Changed while waiting.")
    assert "waiting for its quality check" in refused.value.message
    letter = services.approve(letter, by=checker)
    with pytest.raises(TransitionNotAllowed):
        filled_in(letter, author, body="Changed after approval.")


def test_where_the_stage_asks_for_a_check_an_unchecked_letter_is_not_sent(draft, author):
    assert draft.stage.quality_check  # council preset, stage 1
    letter = filled_in(draft, author)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.send(letter, by=author)
    assert refused.value.message == (
        "Letters at stage 1 (Line manager response) must be checked by a second person "
        "before they are sent. Send it for its quality check first."
    )
    with pytest.raises(TransitionNotAllowed):
        services.send(services.submit_for_check(letter, by=author), by=author)


def test_an_approved_letter_is_sent(draft, author, checker):
    letter = services.submit_for_check(filled_in(draft, author), by=author)
    letter = services.send(services.approve(letter, by=checker), by=author)
    assert letter.status == LetterStatus.SENT and letter.sent_by == author
    event = CaseEvent.objects.get(case=draft.case, action="letter_sent")
    assert event.after["checked_by"] == "carl"


def test_where_no_check_is_asked_for_a_draft_may_be_sent_straight_away(waste, author):
    case = make_case(procedure="hos-code-2024", service=waste, received_at=RECEIVED)
    assert not case.stage.quality_check
    letter = services.draft_letter(case=case, template=shipped("acknowledgement"), by=author)
    assert services.send(letter, by=author).status == LetterStatus.SENT


def test_a_draft_is_sent_by_its_author_and_an_approved_letter_by_anyone_answering(
    waste, author, checker
):
    case = make_case(procedure="hos-code-2024", service=waste, received_at=RECEIVED)
    letter = services.draft_letter(case=case, template=shipped("acknowledgement"), by=author)
    with pytest.raises(NotPermitted):
        services.send(letter, by=checker)
    letter = services.approve(services.submit_for_check(letter, by=author), by=checker)
    assert services.send(letter, by=checker).sent_by == checker


def test_a_check_may_be_asked_for_where_none_is_required(waste, author, checker):
    case = make_case(procedure="hos-code-2024", service=waste, received_at=RECEIVED)
    letter = services.draft_letter(case=case, template=shipped("acknowledgement"), by=author)
    letter = services.approve(services.submit_for_check(letter, by=author), by=checker)
    assert services.send(letter, by=author).status == LetterStatus.SENT


def test_letters_at_the_third_council_stage_are_not_checked(case, author, checker):
    for _ in range(2):
        case_services.respond(case, by=checker, outcome="not_upheld", summary="Answered.")
        case = case_services.escalate(case, by=checker, unresolved="Still no bins.")
    assert case.stage_number == 3 and not case.stage.quality_check
    letter = services.draft_letter(case=case, template=shipped("acknowledgement"), by=checker)
    assert services.send(letter, by=checker).status == LetterStatus.SENT


def test_a_sent_letter_is_the_copy_kept_and_does_not_change(waste, author):
    case = make_case(procedure="hos-code-2024", service=waste, received_at=RECEIVED)
    letter = services.draft_letter(case=case, template=shipped("acknowledgement"), by=author)
    letter = services.send(letter, by=author)
    with pytest.raises(TransitionNotAllowed) as refused:
        filled_in(letter, author, body="Rewritten history.")
    assert "cannot change" in refused.value.message
    with pytest.raises(TransitionNotAllowed):
        services.send(letter, by=author)
    with pytest.raises(TransitionNotAllowed):
        services.submit_for_check(letter, by=author)


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize("status", list(LetterStatus))
def test_every_refused_step_says_why(step, status):
    if status not in ALLOWED_FROM[step]:
        assert (step, status) in REASONS
