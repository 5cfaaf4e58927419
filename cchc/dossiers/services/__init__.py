"""Every write on a dossier goes through this package, split by topic (like Zulip's `zerver/actions/`).

`dossier_act` (`actions`) is the one path that changes a status: it locks the dossier row, checks
the workflow (`workflow.check`) and who may act (`policies.may_act`), applies the change, writes the
history row (`DossierEvent`) and the audit event, and queues the applicant's notification — all in one
transaction. Intake (`intake`: `dossier_submit_online`, `dossier_counter_intake`) creates dossiers
through the same pieces (`common`). The applicant's data store is `datastore`, the paid fee `fees`,
the deadline scan `deadlines`.
"""

from .actions import dossier_act, dossier_record_view
from .common import ActionInput, DocumentInput, position_of
from .datastore import store_add_result, store_document_delete
from .deadlines import deadlines_scan
from .fees import dossier_mark_paid
from .follow_on import ActOutcome, dossier_act_with_follow_ons, dossier_follow_ons, next_follow_on
from .intake import (
    dossier_counter_intake,
    dossier_create_draft,
    dossier_submit,
    dossier_submit_online,
    dossier_update_draft,
    fee_for,
)
from .merge import MergeReport, agency_merge
from .staging import staged_upload_keep, staged_uploads_sweep

__all__ = [
    "ActOutcome",
    "ActionInput",
    "DocumentInput",
    "MergeReport",
    "agency_merge",
    "deadlines_scan",
    "dossier_act",
    "dossier_act_with_follow_ons",
    "dossier_counter_intake",
    "dossier_create_draft",
    "dossier_follow_ons",
    "dossier_mark_paid",
    "dossier_record_view",
    "dossier_submit",
    "dossier_submit_online",
    "dossier_update_draft",
    "fee_for",
    "next_follow_on",
    "position_of",
    "staged_upload_keep",
    "staged_uploads_sweep",
    "store_add_result",
    "store_document_delete",
]
