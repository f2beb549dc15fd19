"""The flow lock: ``SELECT ... FOR UPDATE`` on the process row, waiting
(``nowait=False``) up to PostgreSQL's ``lock_timeout`` (settings). On SQLite
select_for_update is a no-op; there writers are serialised by
``transaction_mode=IMMEDIATE`` (VIEWFLOW-NOTES, "Locking")."""
from viewflow.workflow.lock import SelectForUpdateLock

case_lock = SelectForUpdateLock(nowait=False, attempts=1)
