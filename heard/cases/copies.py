"""Stage records carry copies of their case's kind, channel and service (``case_kind``,
``case_channel``, ``case_service``) so that the performance figures read the stage-record
table alone. They are written with the stage record (``StageRecord.of``) and when a case is
allocated to another service (``services.allocate``).

Two things here keep them honest:

* :func:`fill_missing` copies them onto stage records that have none — those written by the
  previous version of Heard in the minutes between a deploy's migration and its restart. Every
  stage record belongs to a case of some kind, so an empty ``case_kind`` always means "not yet
  copied". The scheduler's duties run it (heard.jobs.duties).
* :func:`out_of_step` finds stage records whose copies differ from their case (tests use it
  after every kind of change; an administrator can run it from ``heard shell``), and
  :func:`mend_out_of_step`, run by the duties once a day, copies the case's values back onto
  them. Drift means some code moved a case without its stage records (the rule in
  docs/developers.md was missed): the duty logs a warning naming the cases, so the bug is
  seen, and the figures are right again meanwhile.

Cases carry a copy of their customer's email key (``Case.customer_key``, from
``Customer.email_key``) so that repeat complainants are counted from the case table alone.
:func:`fill_email_keys` gives customers written without a key theirs and copies each
customer's key onto their cases where it differs: migration ``cases.0015`` fills every
existing row with it, and the duties run it once a day for rows the previous version wrote
during a deploy.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Max, Model, OuterRef, Q, QuerySet, Subquery

from heard.cases.models import Case, Customer, StageRecord
from heard.cases.normalise import email_key


def _copy_from_case(records: QuerySet[StageRecord], limit: int) -> list[StageRecord]:
    """Copy the case's kind, channel and service onto up to ``limit`` of ``records``."""
    copied = list(records.select_related("case")[:limit])
    for record in copied:
        record.case_kind = record.case.kind
        record.case_channel = record.case.channel
        record.case_service_id = record.case.service_id
    StageRecord.objects.bulk_update(copied, ["case_kind", "case_channel", "case_service"])
    return copied


def fill_missing(limit: int = 1000) -> int:
    """Copy the case's kind, channel and service onto up to ``limit`` stage records without them."""
    return len(_copy_from_case(StageRecord.objects.filter(case_kind=""), limit))


def out_of_step() -> QuerySet[StageRecord]:
    """Stage records whose copies differ from their case."""
    return StageRecord.objects.filter(
        ~Q(case_kind=F("case__kind"))
        | ~Q(case_channel=F("case__channel"))
        | Q(case_service__isnull=True, case__service__isnull=False)
        | Q(case_service__isnull=False, case__service__isnull=True)
        | (
            Q(case_service__isnull=False, case__service__isnull=False)
            & ~Q(case_service=F("case__service"))
        )
    )


def mend_out_of_step(limit: int = 10_000) -> list[str]:
    """Copy the case's kind, channel and service onto up to ``limit`` stage records whose copies
    differ; the references of the cases mended."""
    records = _copy_from_case(out_of_step(), limit)
    return sorted({record.case.reference for record in records})


def fill_email_keys(
    customer_model: type[Model] = Customer,
    case_model: type[Model] = Case,
    *,
    using: str = DEFAULT_DB_ALIAS,
    batch: int = 5_000,
    every_case: bool = True,
) -> tuple[int, int]:
    """Key the customers whose address has no key (and unkey those whose address is blank),
    then copy each customer's key onto their cases where it differs; a batch of ids per
    transaction, so what the previous version writes meanwhile waits for one batch at most.
    How many customers and cases were changed.

    ``every_case=False`` (the daily duty) copies keys onto the cases of the customers keyed
    here only, instead of comparing every case with its customer (about five seconds at a
    million cases): what the previous version writes during a deploy is new customers with
    their cases. Takes the models as arguments so that a migration can pass its historical
    ones.
    """
    connection = connections[using]
    customers = customer_model._base_manager.using(using).order_by("pk")
    unkeyed = (Q(email_key__isnull=True) & ~Q(email="")) | Q(email_key__isnull=False, email="")
    customers_changed = last = cases_changed = 0
    while rows := list(customers.filter(unkeyed, pk__gt=last).values_list("pk", "email")[:batch]):
        with transaction.atomic(using=using):
            customers_changed += _set_email_keys(connection, customer_model, rows)
            if not every_case:
                key = customers.filter(pk=OuterRef("customer_id")).values("email_key")[:1]
                cases_changed += (
                    case_model._base_manager.using(using)
                    .filter(customer_id__in=[pk for pk, _ in rows])
                    .update(customer_key=Subquery(key))
                )
        last = rows[-1][0]
    if not every_case:
        return customers_changed, cases_changed

    top = case_model._base_manager.using(using).aggregate(top=Max("pk"))["top"] or 0
    sql = _copy_keys_sql(connection, case_model, customer_model)
    for start in range(0, top, batch):
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(sql, [start, start + batch])
            cases_changed += cursor.rowcount
    return customers_changed, cases_changed


def _set_email_keys(connection: Any, customer_model: type[Model], rows: list[Any]) -> int:
    """Write the keys of these (id, email) rows, unless the address changed since it was read."""
    table = connection.ops.quote_name(customer_model._meta.db_table)
    keyed = [(pk, address, email_key(address)) for pk, address in rows]
    if connection.vendor == "postgresql":
        sql = (
            f"UPDATE {table} AS t SET email_key = v.key FROM (SELECT unnest(%s::bigint[]) AS id,"  # noqa: S608 - no user input
            " unnest(%s::text[]) AS email, unnest(%s::bigint[]) AS key) AS v"
            " WHERE t.id = v.id AND t.email = v.email"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(column) for column in zip(*keyed, strict=True)])
            return int(cursor.rowcount)
    sql = f"UPDATE {table} SET email_key = %s WHERE id = %s AND email = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(key, pk, address) for pk, address, key in keyed])
        return int(cursor.rowcount)


def _copy_keys_sql(connection: Any, case_model: type[Model], customer_model: type[Model]) -> str:
    """One statement copying customers' keys onto their cases with ids in (%s, %s]."""
    cases = connection.ops.quote_name(case_model._meta.db_table)
    customers = connection.ops.quote_name(customer_model._meta.db_table)
    if connection.vendor == "postgresql":
        return (
            f"UPDATE {cases} AS c SET customer_key = p.email_key FROM {customers} AS p"  # noqa: S608 - no user input
            " WHERE p.id = c.customer_id AND c.id > %s AND c.id <= %s"
            " AND c.customer_key IS DISTINCT FROM p.email_key"
        )
    key = f"(SELECT p.email_key FROM {customers} AS p WHERE p.id = customer_id)"  # noqa: S608
    return (
        f"UPDATE {cases} SET customer_key = {key}"  # noqa: S608
        f" WHERE id > %s AND id <= %s AND customer_key IS NOT {key}"
    )
