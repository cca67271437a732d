-- The Affiliates (50 %) rule: entities owned 50 % or more (directly or indirectly, alone or in aggregate) by
-- Entity List, Military End-User List or 744.8(a)(1) SDN parties take the most restrictive owner's licence
-- requirement. tpp cannot see ownership: when the rule is in force it is listed under not_screened.

measure { id = "us-2025-09-affiliates", title = "Affiliates rule: end-user controls extended to affiliates of " ..
  "listed entities", jurisdiction = "US",
  instrument = "Interim final rule: Expansion of End-User Controls To Cover Affiliates of Certain Listed Entities",
  citation = "90 FR 47201 (published 2025-09-30, effective 2025-09-29); suspension 90 FR 50857 (2025-11-12)",
  status = "in force", provenance = "primary", kind = "affiliates",
  dates = { effective = "2025-09-29", suspended = "2025-11-10", resumed = "2026-11-10" },
  source = "90 FR 47201; one-year suspension 90 FR 50857 from 2025-11-10 through 2026-11-09",
  status_note = "by its own terms in force again from 2026-11-10; no source seen confirms a further " ..
    "suspension or the reinstatement (reported)" }
