"""The flow lock: ``SELECT ... FOR UPDATE`` on the process row, waiting up to
PostgreSQL's ``lock_timeout`` (settings). On SQLite select_for_update is a
no-op; there writers are serialised by ``transaction_mode=IMMEDIATE``
(docs/viewflow.md, "Locking").

viewflow's ``SelectForUpdateLock`` opens a savepoint for each attempt so that
it can retry; we make one attempt (a lock that is not had within
``lock_timeout`` fails the request with 503, see ``api_errors``), so the lock
runs in the caller's transaction and saves two statements a step.
"""
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from viewflow.workflow.exceptions import FlowLockFailed

from .step_reads import lock_process


class ProcessRowLock:
    @contextmanager
    def __call__(self, flow_class, process_pk):
        with transaction.atomic(savepoint=False):
            try:
                lock_process(flow_class.process_class, process_pk)
            except DatabaseError as error:
                raise FlowLockFailed(f"Lock failed for {flow_class}") from error
            yield


case_lock = ProcessRowLock()
