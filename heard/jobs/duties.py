"""The periodic duties that keep the queue whole and put scheduled work on it.

Every ``heard worker`` does them by default (so one worker is a complete install); a
deployment that runs ``heard scheduler`` may start its workers with ``--no-scheduler`` and
leave the duties to it. Each duty locks what it moves (SKIP LOCKED on PostgreSQL), so any
number of processes can do them at once without doing anything twice.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger("heard.scheduler")

# Expired sessions (with any abandoned public-form drafts in them) and scans kept for triage
# forms never sent are deleted this often by each process doing the duties.
TIDY_EVERY_SECONDS = 15 * 60
# Stage records whose copies of their case drifted, and customers and cases without their
# email keys, are looked for this often by each process (a join of every stage record to its
# case, one to four seconds at a million cases, and a scan of the customers for any without).
CHECK_COPIES_EVERY_SECONDS = 24 * 60 * 60
# When this process last did each of the duties above (time.monotonic()).
_last_done: dict[str, float] = {}


def _due(duty: str, every: float) -> bool:
    """Whether ``duty`` was not done in the last ``every`` seconds; if so, it counts as done now."""
    now = time.monotonic()
    last = _last_done.get(duty)
    if last is not None and now - last < every:
        return False
    _last_done[duty] = now
    return True


def run_duties() -> None:
    """Requeue abandoned jobs and stalled messages, enqueue due schedules and mailbox fetches,
    fill in stage records' copies of their case (heard.cases.copies), and now and then
    delete expired sessions (heard.core.sessions) and abandoned triage scans
    (heard.channels.staging), and once a day mend stage records whose copies of their case
    drifted and fill in customers' and cases' email keys (heard.cases.copies)."""
    from heard.cases.copies import fill_missing
    from heard.channels.tasks import enqueue_due_fetches
    from heard.jobs import recovery
    from heard.notify.services import release_stalled_messages
    from heard.schedules.scheduler import enqueue_due_schedules
    from heard.webhooks.services import enqueue_due_deliveries

    recovered = recovery.recover_abandoned_jobs()
    if recovered:
        logger.warning("Put %d abandoned job(s) back on the queue.", recovered)
    release_stalled_messages()
    scheduled = enqueue_due_schedules()
    if scheduled:
        logger.info("Enqueued %d scheduled job(s).", scheduled)
    enqueue_due_fetches()  # inbound mailboxes (heard.channels)
    enqueue_due_deliveries()  # webhook retries and lost enqueues (heard.webhooks)
    copied = fill_missing()  # stage records written by the previous version during a deploy
    if copied:
        logger.info("Copied case fields onto %d stage record(s).", copied)
    _tidy_up()
    _check_copies()


def _tidy_up() -> None:
    """Delete expired sessions (abandoned public-form drafts with them) and scans kept for
    triage forms never sent — at most every TIDY_EVERY_SECONDS per process."""
    if not _due("tidy", TIDY_EVERY_SECONDS):
        return
    from heard.channels.staging import clear_old
    from heard.core.sessions import clear_expired

    cleared = clear_expired()
    if cleared:
        logger.info("Deleted %d expired session(s).", cleared)
    scans = clear_old()
    if scans:
        logger.info("Deleted %d scan(s) kept for abandoned triage forms.", scans)


def _check_copies() -> None:
    if not _due("copies", CHECK_COPIES_EVERY_SECONDS):
        return
    from heard.cases.copies import fill_email_keys, mend_out_of_step

    # New customers and cases the previous version wrote during a deploy (cases.copies).
    customers, cases = fill_email_keys(every_case=False)
    if customers or cases:
        logger.info("Filled in the email keys of %d customer(s) and %d case(s).", customers, cases)
    mended = mend_out_of_step()
    if mended:
        logger.warning(
            "Stage records of %d case(s) no longer matched their case's kind, channel or "
            "service and were mended (some code moved a case without them; see "
            "docs/developers.md): %s",
            len(mended),
            ", ".join(mended[:20]) + (" …" if len(mended) > 20 else ""),
        )
