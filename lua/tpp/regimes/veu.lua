-- Validated End-User authorizations for data centres. A VEU authorization replaces an individual licence
-- for the approved end user and destination; no public list of Data Center VEU approvals exists, so tpp
-- never assumes one: pass veu = true when the consignee holds one.

measure { id = "us-ear-dc-veu", title = "Data Center Validated End User authorization", jurisdiction = "US",
  instrument = "Final rule: Expansion of Validated End User Authorization: Data Center Validated End User " ..
    "Authorization", citation = "89 FR 80080-80093 (FR Doc 2024-22587)", status = "in force",
  provenance = "secondary", kind = "veu", dates = { effective = "2024-10-02" },
  source = "89 FR 80080 (published and effective 2024-10-02): pre-approved data centres may receive CCL items " ..
    "including advanced-computing items without individual licences",
  status_note = "no public list of approved Data Center VEUs; the AI Diffusion rule's UVEU/NVEU split is not " ..
    "enforced since 2025-05-13" }
