"""Finding a case: by reference, email, phone, postcode, name, or any words in it.

Officers type one thing into one box. What it looks like decides how it is searched:

* a reference (``CMP-2026-000123``) finds that case;
* an email address, a phone number or a postcode (whole, or its first half) finds the
  cases of customers with it, through indexed normalised columns;
* anything else is full text over subjects, descriptions and notes, and customers' names.

Full text is PostgreSQL's text search (``websearch_to_tsquery``, English stemming, GIN
expression indexes) on PostgreSQL, and SQLite's FTS5 (porter stemming, kept by triggers)
on SQLite. Both are created by migration ``cases.0008``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from heard.cases.models import Case
from heard.cases.normalise import (
    email_forms,
    looks_like_phone,
    looks_like_postcode,
    phone_digits,
    postcode_in,
)
from heard.core.errors import InvalidInput
from heard.org import access

REFERENCE = re.compile(r"^[A-Z]{2,3}-\d{4}-\d{1,9}$")
OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
MAX_QUERY = 200

PG_CASE_VECTOR = (
    "to_tsvector('english'::regconfig, coalesce(subject, '') || ' ' || coalesce(description, ''))"
)
PG_NOTE_VECTOR = "to_tsvector('english'::regconfig, coalesce(text, ''))"
PG_NAME_VECTOR = "to_tsvector('simple'::regconfig, coalesce(name, ''))"


@dataclass(frozen=True)
class Interpretation:
    """How a query was read, shown to the officer above the results."""

    by: str
    value: str


def interpret(query: str) -> Interpretation:
    text = " ".join((query or "").split())
    if not text:
        raise InvalidInput(
            "Enter a reference, name, email, phone number, postcode or words.", field="q"
        )
    if len(text) > MAX_QUERY:
        raise InvalidInput(f"Search for {MAX_QUERY} characters or fewer.", field="q")
    upper = text.upper()
    if REFERENCE.match(upper):
        return Interpretation("reference", upper)
    if "@" in text and " " not in text:
        return Interpretation("email", text)
    if looks_like_postcode(upper):
        return Interpretation("postcode", postcode_in(upper))
    if OUTWARD.match(upper) and any(c.isdigit() for c in upper):
        return Interpretation("postcode area", upper)
    if looks_like_phone(text):
        return Interpretation("phone", phone_digits(text))
    return Interpretation("words", text)


def search_cases(user: Any, query: str) -> tuple[Interpretation, QuerySet[Case]]:
    """The cases the user may see that match ``query``, newest first."""
    meaning = interpret(query)
    cases = access.visible_cases(user)
    if meaning.by == "reference":
        cases = cases.filter(reference=meaning.value)
    elif meaning.by == "email":
        emails = email_forms(meaning.value)
        cases = cases.filter(Q(customer__email__in=emails) | Q(representative__email__in=emails))
    elif meaning.by == "postcode":
        cases = cases.filter(customer__postcode=meaning.value)
    elif meaning.by == "postcode area":
        cases = cases.filter(customer__postcode__startswith=meaning.value + " ")
    elif meaning.by == "phone":
        cases = cases.filter(customer__phone_digits=meaning.value)
    else:
        cases = cases.filter(_words(meaning.value))
    return meaning, cases.order_by("-received_at", "-id")


# Words that match more cases than this are searched among the newest this many matches. A
# common word matches tens of thousands at a million cases; sorting and counting them all
# took over a second, and nobody reads past the first pages (the page says to add words).
WORDS_LIMIT = 5000
# Constant SQL: the searched words and the limit are always bound parameters. Each way of
# matching (the case's text, its notes, the customer's name) chooses its own newest matches
# (they carry their receipt time), and the newest of those are joined back to the cases: the
# newest WORDS_LIMIT of the union are always among them, and no arm sorts more than it keeps
# (a surname shared by thousands of customers matched every one of their cases before).
PG_WORDS_SQL = " ".join(
    [
        "SELECT id FROM ((SELECT id, received_at FROM cases_case WHERE",
        PG_CASE_VECTOR,
        "@@ websearch_to_tsquery('english'::regconfig, %s)",
        "ORDER BY received_at DESC LIMIT %s)",
        "UNION (SELECT c.id, c.received_at FROM cases_casenote n",
        "JOIN cases_case c ON c.id = n.case_id WHERE",
        PG_NOTE_VECTOR.replace("coalesce(text", "coalesce(n.text"),
        "@@ websearch_to_tsquery('english'::regconfig, %s)",
        "ORDER BY c.received_at DESC LIMIT %s)",
        "UNION (SELECT c.id, c.received_at FROM cases_case c JOIN cases_customer p",
        "ON p.id = c.customer_id",
        "WHERE to_tsvector('simple'::regconfig, coalesce(p.name, ''))",
        "@@ plainto_tsquery('simple'::regconfig, %s)",
        "ORDER BY c.received_at DESC LIMIT %s)",
        ") matches ORDER BY received_at DESC LIMIT %s",
    ]
)
SQLITE_WORDS_SQL = (
    "SELECT id FROM cases_case WHERE id IN ("
    "SELECT rowid FROM cases_case_fts WHERE cases_case_fts MATCH %s"
    " UNION SELECT n.case_id FROM cases_casenote n WHERE n.id IN"
    " (SELECT rowid FROM cases_casenote_fts WHERE cases_casenote_fts MATCH %s)"
    ") ORDER BY received_at DESC LIMIT %s"
)


def _words(text: str) -> Q:
    if connection.vendor == "postgresql":
        # The matches are found once, here: as a subquery they were found twice, for the
        # page and again for the paginator's count, each time reading every matching case.
        with connection.cursor() as cursor:
            cursor.execute(PG_WORDS_SQL, pg_words_params(text))
            ids = [row[0] for row in cursor.fetchall()]
        # One array parameter, not thousands of placeholders to build and bind.
        return Q(id__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    match = _fts5_query(text)
    if not match:
        raise InvalidInput("Enter at least one word to search for.", field="q")
    names = Q()
    for word in text.split():
        names &= Q(customer__name__icontains=word)
    return Q(id__in=RawSQL(SQLITE_WORDS_SQL, [match, match, WORDS_LIMIT])) | names  # noqa: S611


def pg_words_params(text: str) -> list[Any]:
    """The parameters of PG_WORDS_SQL: each arm's words and limit, then the overall limit."""
    return [text, WORDS_LIMIT, text, WORDS_LIMIT, text, WORDS_LIMIT, WORDS_LIMIT]


def _fts5_query(text: str) -> str:
    """Each word quoted (so FTS5 operators in the input are just words), all required."""
    words = re.findall(r"\w+", text)
    return " ".join(f'"{word}"' for word in words)
