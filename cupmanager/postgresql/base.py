"""Django's PostgreSQL backend, checking a kept connection only after it has been idle.

With ``CONN_HEALTH_CHECKS`` Django asks the server ``SELECT 1`` before the first query of
every request that reuses a connection, so that a database restarted in between is met with
a new connection instead of an error. On race day a worker reuses its connection many times
a second, and that round trip was one in two of a kept page's and cost the uncached
standings API 6% of its throughput. Like PgBouncer (``server_check_delay``), this backend
checks a connection only when it has not been used for ``CHECK_DELAY`` seconds.

A database that restarts within that second fails the request that meets it in each worker
(the friendly 503 page); Django then finds that connection unusable when the request ends and
closes it, and the worker's next request connects afresh.
"""

from __future__ import annotations

from time import monotonic

from django.db.backends.postgresql import base

CHECK_DELAY = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    _used_at = float("-inf")

    def close_if_health_check_failed(self) -> None:
        """Django's health check, skipped for a connection used less than CHECK_DELAY ago.

        Django calls this before every cursor, so the time kept is the connection's last use.
        """
        now, used_at = monotonic(), self._used_at
        self._used_at = now
        if self.connection is not None and now - used_at < CHECK_DELAY:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
