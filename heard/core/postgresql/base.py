"""Django's PostgreSQL backend, with a health check that asks the server only when it has spoken.

Connections are kept between requests (``CONN_MAX_AGE``) and checked before each request's
first query (``CONN_HEALTH_CHECKS``), so that a database restarted or a connection closed by
the server costs no failed request. Django checks by sending ``SELECT 1``: a round trip on
every request, about a twelfth of a public-form page's time in the web worker and the
database together (bench/README.md, "Profiled and fixed").

An idle connection in autocommit mode receives nothing from the server unless the server is
closing it (a restart, ``pg_terminate_backend``, an idle timeout): PostgreSQL then writes its
reason and shuts the socket, and the socket becomes readable. So: a connection psycopg already
knows to be closed or broken is unusable; one whose socket has nothing to read is usable with
no round trip; one whose socket has something to read — a closing server, or anything else
unasked — gets Django's ``SELECT 1``, which reads it and decides.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if not _has_something_to_read(connection.fileno()):
            return True
        usable: bool = super().is_usable()
        return usable


def _has_something_to_read(descriptor: int) -> bool:
    if not hasattr(select, "poll"):  # no poll() (Windows): always ask the server
        return True
    poller = select.poll()
    # A shut or failed socket is reported as POLLHUP or POLLERR whatever is asked for.
    poller.register(descriptor, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
