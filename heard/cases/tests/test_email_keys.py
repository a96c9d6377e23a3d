"""Customers' email keys, and their copies on cases, stay in step with the addresses.

Repeat complainants are counted by the key copied onto each case (no join with customers), so a
copy that drifted would count a person twice, or two people as one.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from heard.cases import copies, customers
from heard.cases.models import Case, Customer
from heard.cases.normalise import email_key
from heard.org.models import Role
from heard.testing import make_case, make_staff

pytestmark = pytest.mark.django_db


def keys_of(customer: Customer) -> set[int | None]:
    return set(Case.objects.filter(customer=customer).values_list("customer_key", flat=True))


def out_of_step() -> list[str]:
    """References of cases whose key is not their customer's, and customers keyed wrongly."""
    wrong = [
        case.reference
        for case in Case.objects.select_related("customer")
        if case.customer_key != case.customer.email_key
    ]
    wrong += [
        f"customer {customer.pk}"
        for customer in Customer.objects.all()
        if customer.email_key != email_key(customer.email)
    ]
    return wrong


def test_the_key_ignores_capitals_and_surrounding_spaces_and_a_blank_address_has_none():
    assert email_key("Jo@Example.com") == email_key(" jo@example.com\t") is not None
    # Stored keys were worked out this way: changing it means re-keying every customer and case.
    assert email_key("jo@example.com") == -2372898888019461556
    assert email_key("jo@example.com") != email_key("jo@example.org")
    assert email_key("") is None
    assert email_key("   ") is None


@given(st.emails())
def test_every_address_has_a_signed_64_bit_key_that_its_other_spellings_share(address):
    key = email_key(address)
    assert key is not None and -(2**63) <= key < 2**63
    assert email_key(f"  {address.upper()}\n") == key


def test_a_case_recorded_through_the_service_carries_its_customers_key():
    case = make_case()
    assert case.customer.email_key == email_key("ann@example.org")
    assert case.customer_key == case.customer.email_key
    case.refresh_from_db()
    assert case.customer_key == email_key("ann@example.org")


def test_a_customer_without_an_email_address_has_no_key_and_neither_do_their_cases():
    case = make_case()
    case.customer.email = ""
    case.customer.save()
    assert Customer.objects.get(pk=case.customer_id).email_key is None
    assert keys_of(case.customer) == {None}


def test_changing_a_customers_address_re_keys_all_their_cases():
    first = make_case()
    customer = Customer.objects.get(pk=first.customer_id)
    second = make_case()
    Case.objects.filter(pk=second.pk).update(customer=customer)

    customer.email = "ann.new@example.org"
    customer.save()

    assert keys_of(customer) == {email_key("ann.new@example.org")}
    assert out_of_step() == []


def test_saving_a_customer_without_changing_the_address_writes_only_the_customer():
    customer = Customer.objects.get(pk=make_case().customer_id)
    customer.name = "Ann Other"
    customer.email = "ANN@example.org "  # the same address, typed differently: the same key
    with CaptureQueriesContext(connection) as queries:
        customer.save()
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        customer.save(update_fields=["name"])
    assert len(queries) == 1


def test_a_new_customer_is_keyed_without_touching_any_case():
    with CaptureQueriesContext(connection) as queries:
        customer = Customer.objects.create(name="Jo", email="Jo@Example.com")
    assert len(queries) == 1
    assert customer.email_key == email_key("jo@example.com")


def test_an_address_saved_through_a_partial_save_re_keys_the_cases():
    case = make_case()
    customer = Customer.objects.get(pk=case.customer_id)
    customer.email = "ann@example.net"
    customer.save(update_fields=["email"])
    assert Customer.objects.get(pk=customer.pk).email_key == email_key("ann@example.net")
    assert keys_of(customer) == {email_key("ann@example.net")}


def test_a_customer_read_without_the_key_re_keys_the_cases_when_saved():
    case = make_case()
    customer = Customer.objects.only("pk", "name").get(pk=case.customer_id)
    customer.email = "ann@example.net"
    customer.save()
    assert keys_of(customer) == {email_key("ann@example.net")}
    assert out_of_step() == []


def test_merging_moves_the_duplicates_cases_onto_the_kept_records_key():
    keep = make_case().customer
    duplicate_case = make_case()
    duplicate = duplicate_case.customer
    duplicate.email = "ann.duplicate@example.org"
    duplicate.save()
    assert keys_of(duplicate) == {email_key("ann.duplicate@example.org")}

    customers.merge(by=make_staff(Role.COMPLAINTS_TEAM), keep=keep, duplicate=duplicate)

    assert keys_of(keep) == {email_key("ann@example.org")}
    assert out_of_step() == []


def test_merging_into_a_record_without_an_address_gives_every_case_the_duplicates():
    keep = make_case().customer
    keep.email = ""
    keep.save()
    duplicate = make_case().customer
    duplicate.email = "ann.duplicate@example.org"
    duplicate.save()

    customers.merge(by=make_staff(Role.COMPLAINTS_TEAM), keep=keep, duplicate=duplicate)

    assert Customer.objects.get(pk=keep.pk).email == "ann.duplicate@example.org"
    assert keys_of(keep) == {email_key("ann.duplicate@example.org")}
    assert out_of_step() == []


def written_by_the_previous_version() -> tuple[Case, Case]:
    """Two cases of customers with an address, and one without, written with no keys at all."""
    ann, bob = make_case(), make_case(customer_name="Bob Example")
    Customer.objects.filter(pk=bob.customer_id).update(email="")
    nobody = make_case(customer_name="No Address")
    Customer.objects.filter(pk=nobody.customer_id).update(email="")
    Customer.objects.update(email_key=None)
    Case.objects.update(customer_key=None)
    Customer.objects.filter(pk=bob.customer_id).update(email=" Bob@Example.org")
    return ann, bob


def test_keys_are_filled_in_for_customers_and_cases_written_without_them():
    ann, bob = written_by_the_previous_version()

    assert copies.fill_email_keys(batch=1) == (2, 2)

    assert Case.objects.get(pk=ann.pk).customer_key == email_key("ann@example.org")
    assert Case.objects.get(pk=bob.pk).customer_key == email_key("bob@example.org")
    assert out_of_step() == []
    assert copies.fill_email_keys() == (0, 0)


def test_filling_in_unkeys_a_blanked_address_and_mends_a_case_left_on_an_old_key():
    case = make_case()
    other = make_case()
    Customer.objects.filter(pk=case.customer_id).update(email="")
    Case.objects.filter(pk=other.pk).update(customer_key=12345)

    assert copies.fill_email_keys() == (1, 2)
    assert Case.objects.get(pk=case.pk).customer_key is None
    assert out_of_step() == []


def test_the_daily_fill_keys_new_customers_cases_without_comparing_every_case():
    ann, bob = written_by_the_previous_version()
    settled = make_case(customer_name="Settled")
    Case.objects.filter(pk=settled.pk).update(customer_key=12345)  # not what the duty mends

    assert copies.fill_email_keys(batch=1, every_case=False) == (2, 2)

    assert Case.objects.get(pk=ann.pk).customer_key == email_key("ann@example.org")
    assert Case.objects.get(pk=bob.pk).customer_key == email_key("bob@example.org")
    assert Case.objects.get(pk=settled.pk).customer_key == 12345
    assert copies.fill_email_keys(every_case=False) == (0, 0)


def test_the_migration_keys_existing_customers_and_cases():
    written_by_the_previous_version()
    migration = importlib.import_module("heard.cases.migrations.0015_fill_email_keys")

    migration.fill_email_keys(apps, SimpleNamespace(connection=connection))

    assert out_of_step() == []
    assert Case.objects.filter(customer_key__isnull=False).count() == 2


def test_the_daily_duty_fills_in_keys_the_previous_version_left_out(monkeypatch, caplog):
    from heard.jobs import duties

    written_by_the_previous_version()
    monkeypatch.setattr(duties, "_last_done", {})

    with caplog.at_level("INFO", logger="heard.scheduler"):
        duties.run_duties()

    assert out_of_step() == []
    assert "email keys of 2 customer(s) and 2 case(s)" in caplog.text
