"""Repair warranty (rules.md §6, repair-shop profile): vehicles, finished repairs with the terms in
force on their completion day, the editable terms table, warranty claims that become
repair-quality complaints, quality memos (rules.md §8.5) and the decision on each claim.

One import for callers (``from services import warranty``); the parts:
- ``rules``: the §6 table and the verdict, pure arithmetic (the CLI's ``check`` needs no database);
- ``vehicle_ids``: mainland plate numbers and VINs;
- ``records``: presets, the terms table, vehicles, finished repairs;
- ``claims``: claims, memos, decisions.
"""
from __future__ import annotations

from services import hooks
from services.warranty.claims import (
    CLAIM_CATEGORY,
    MEDIATION_ROUTE,
    OUTCOME_NAMES,
    OUTCOMES,
    ClaimResult,
    ClaimRow,
    DecisionResult,
    LinkCandidate,
    MemoRow,
    VehicleHistory,
    claim_of_complaint,
    decide_claim,
    get_claim,
    link_candidates,
    link_complaint,
    memo_shares,
    open_complaint_of_repair,
    record_memo,
    register_claim,
    vehicle_history,
)
from services.warranty.records import (
    CLAIM_TRIGGER,
    INSPECTIONS,
    MEMO_ACTION,
    MEMO_RULE_CODE,
    PROFILE,
    RECORDERS,
    TERM_EDITORS,
    RepairInput,
    RepairRow,
    SavedVehicle,
    TermRow,
    VehicleRow,
    count_vehicles,
    count_vehicles_upto,
    ensure_terms,
    find_vehicles,
    get_repair,
    get_vehicle,
    is_available,
    ready,
    record_repair,
    repair_by_certificate,
    save_vehicle,
    set_term,
    term_history,
    terms_on,
    terms_table,
    vehicle_page,
    vehicle_page_at,
    vehicles_by_id,
)
from services.warranty.rules import (
    ENDED_BY_NAMES,
    PRESET_SINCE,
    PRESET_TERMS,
    REPAIR_TYPE_NAMES,
    REPAIR_TYPES,
    VEHICLE_CLASS_NAMES,
    VEHICLE_CLASS_SHORT,
    VEHICLE_CLASSES,
    Terms,
    Verdict,
    check,
    describe_verdict,
    inspection_times,
)
from services.warranty.vehicle_ids import (
    clean_vin,
    normalize_plate,
    normalize_vin,
    validate_plate,
    validate_vin,
    vin_check_digit,
)


def _add_presets(firm, now) -> None:
    ensure_terms(now)  # rules.md "warranty": the national table, for repair shops only


hooks.firm_created.subscribe(_add_presets)
