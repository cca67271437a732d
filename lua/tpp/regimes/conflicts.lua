-- Conflict of laws: where complying with one side's measure exposes a party to the other side's.
-- when: gp10 = true (the BIS GP10 guidance reaches the chip), us_restricts_chinese_party = true (the US
--   answer restricts a shipment to China, Hong Kong or Macau, or to a Chinese buyer, end user or
--   headquarters), entity_match = true (a Chinese party matched the Entity List).

measure { id = "prc-afsl-art-12", title = "Anti-Foreign Sanctions Law, Art. 12 (private suits)", jurisdiction = "PRC",
  instrument = "NPCSC law", citation = "Anti-Foreign Sanctions Law Art. 12", status = "in force",
  legal_basis = "Anti-Foreign Sanctions Law", provenance = "reported", kind = "conflict",
  dates = { effective = "2021-06-10" },
  source = "Anti-Foreign Sanctions Law Art. 12 (summaries by Hogan Lovells; exact text not verified)" }

conflict { "GP10 guidance vs the Anti-Foreign Sanctions Law", measure = "prc-mofcom-2025-05-21",
  when = { gp10 = true },
  text = "refusing to use, supply or service Huawei Ascend systems to follow the BIS GP10 guidance may, in " ..
    "MOFCOM's words of 2025-05-21, be 'implementing or assisting in implementing' US measures in violation of " ..
    "the Anti-Foreign Sanctions Law; using them without BIS authorization risks a GP10 violation",
  source = "MOFCOM statement of 2025-05-21; BIS guidance of 2025-05-13", provenance = "reported" }
conflict { "US restriction vs AFSL Art. 12", measure = "prc-afsl-art-12",
  when = { us_restricts_chinese_party = true },
  text = "a Chinese party cut off to comply with US controls may sue in a people's court for cessation and damages " ..
    "(AFSL Art. 12: no organization or individual may implement or assist in implementing discriminatory foreign " ..
    "restrictive measures)",
  source = "Anti-Foreign Sanctions Law Art. 12 (Hogan Lovells summary)", provenance = "reported" }
conflict { "US restriction vs the Blocking Rules", measure = "prc-blocking-rules",
  when = { us_restricts_chinese_party = true },
  text = "a Chinese person restricted from normal trade by a foreign measure must report it to MOFCOM within 30 days " ..
    "(Art. 5); MOFCOM may prohibit compliance (Art. 7; first order 2026-05-02), exemptions may be sought (Art. 8), " ..
    "and a party harmed by compliance with a prohibited measure may claim damages (Art. 9)",
  source = "MOFCOM Order 2021 No. 1 Arts. 5, 7, 8, 9 (KWM and Mondaq summaries; article numbers not verified " ..
    "against the MOFCOM text)", provenance = "reported" }
conflict { "US restriction vs Decree 835", measure = "prc-decree-835",
  when = { us_restricts_chinese_party = true },
  text = "the State Council may bar compliance with a US measure it finds improper and list those who implement it " ..
    "on the Malicious Entity List (entry bans, asset freezes, transaction bans, data cut-off)",
  source = "State Council Decree No. 835 (reported)", provenance = "reported" }
conflict { "PRC orders do not excuse EAR violations", measure = "us-ear-entity-list",
  when = { entity_match = true },
  text = "continuing to supply or service a listed party because a PRC measure requires it would itself violate " ..
    "the EAR: the EAR has no foreign-compulsion defence",
  source = "15 CFR 744.11; no foreign-compulsion defence in the EAR (derived)", provenance = "derived" }
