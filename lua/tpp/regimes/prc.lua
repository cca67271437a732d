-- PRC measures that bear on an AI-chip transaction: import-side restrictions when a chip ships into
-- mainland China, export controls on Chinese-origin items, and the counter-measure instruments that
-- make complying with US controls risky inside China. Status and provenance are per measure: most
-- import-side measures are known only from press reports citing anonymous sources (reported-only).
-- applies: import_into = { codes }, chips = { database ids } (absent: every AI accelerator),
--   foreign_chips = true (only chips not designed in China), chinese_origin = true (Chinese-designed
--   items leaving China), chinese_party = true (a Chinese buyer, end user or headquarters),
--   vendor = "NVIDIA", always = true.

measure { id = "prc-uel", title = "Provisions on the Unreliable Entity List", jurisdiction = "PRC",
  instrument = "MOFCOM Order 2020 No. 4", citation = "MOFCOM Order 2020 No. 4", status = "in force",
  legal_basis = "Foreign Trade Law; National Security Law", provenance = "secondary", kind = "prc",
  dates = { effective = "2020-09-19" },
  source = "MOFCOM Order 2020 No. 4 (repository transcription of the MOFCOM text); TechInsights listed 2025-10-09 " ..
    "(reported by Reuters)" }
measure { id = "prc-export-control-law", title = "Export Control Law and the Regulations on Export Control of " ..
  "Dual-Use Items", jurisdiction = "PRC", instrument = "NPCSC law (2020); State Council regulations (2024)",
  citation = "Export Control Law (in force 2020-12-01); Dual-Use Items Export Control Regulations (in force 2024-12-01)",
  status = "in force", legal_basis = "Export Control Law", provenance = "secondary", kind = "prc",
  dates = { effective = "2020-12-01" },
  source = "Export Control Law and State Council dual-use regulations (repository transcription of the texts)" }
measure { id = "prc-blocking-rules", title = "Rules on Counteracting Unjustified Extra-territorial Application of " ..
  "Foreign Legislation and Other Measures", jurisdiction = "PRC", instrument = "MOFCOM Order 2021 No. 1",
  citation = "MOFCOM Order 2021 No. 1", status = "in force", legal_basis = "National Security Law",
  provenance = "secondary", kind = "prc", dates = { effective = "2021-01-09" },
  source = "MOFCOM Order 2021 No. 1 (chinalawtranslate text); first prohibition order MOFCOM Announcement No. 21 of " ..
    "2026 (2026-05-02)" }
measure { id = "prc-afsl", title = "Anti-Foreign Sanctions Law", jurisdiction = "PRC", instrument = "NPCSC law",
  citation = "Anti-Foreign Sanctions Law (2021); Implementing Regulations, State Council Decree No. 803 (2025-03-23)",
  status = "in force", legal_basis = "Anti-Foreign Sanctions Law", provenance = "reported", kind = "prc",
  dates = { effective = "2021-06-10" },
  source = "Anti-Foreign Sanctions Law, Art. 12 (summaries by Hogan Lovells, Steptoe); Decree No. 803 " ..
    "(csrcare translation)" }
measure { id = "prc-mofcom-2025-05-21", title = "MOFCOM statement on the US measures against Chinese chips",
  jurisdiction = "PRC", instrument = "MOFCOM spokesperson statement", citation = "MOFCOM statement of 2025-05-21",
  status = "statement", legal_basis = "Anti-Foreign Sanctions Law", provenance = "reported", kind = "prc",
  dates = { effective = "2025-05-21" },
  source = "MOFCOM statement of 2025-05-21: any organization or individual implementing or assisting in " ..
    "implementing the US measures may violate the Anti-Foreign Sanctions Law (reported by Yonhap, Reuters, " ..
    "Export Compliance Daily)" }
measure { id = "prc-h20-discouragement", title = "Guidance discouraging purchases of the NVIDIA H20", jurisdiction = "PRC",
  instrument = "CAC/MIIT guidance to companies (not published)", citation = "press reports of August 2025",
  status = "reported-only", legal_basis = "not published (CAC summons under the Cybersecurity Law of 2025-07-31)",
  provenance = "reported", kind = "prc", dates = { reported = "2025-08-01" },
  source = "Reuters, Bloomberg, FT, The Information: CAC/MIIT asked Tencent, ByteDance, Baidu and Alibaba to " ..
    "justify H20 purchases and to avoid them for government-related uses",
  status_note = "reported in August 2025; the day is not recorded" }
measure { id = "prc-cac-2025-09-17", title = "CAC instruction to stop testing and cancel orders of the RTX Pro 6000D",
  jurisdiction = "PRC", instrument = "CAC instruction to companies (not published)",
  citation = "press reports of 2025-09-17", status = "reported-only", legal_basis = "not published",
  provenance = "reported", kind = "prc", dates = { reported = "2025-09-17" },
  source = "Financial Times (via the-decoder): CAC told ByteDance, Alibaba and others to stop testing and cancel " ..
    "orders of the RTX Pro 6000D (and H20)" }
measure { id = "prc-customs-2025-10", title = "Customs checks on imports of advanced chips", jurisdiction = "PRC",
  instrument = "customs enforcement at major ports (not published)", citation = "press reports of 2025-10-10",
  status = "reported-only", legal_basis = "not published", provenance = "reported", kind = "prc",
  dates = { reported = "2025-10-10" },
  source = "Financial Times (via Asia Financial, Business Standard): strict checks on chip imports, first the " ..
    "H20 and RTX Pro 6000D, then all advanced chips" }
measure { id = "prc-state-dc-2025-11", title = "Domestic AI chips for state-funded data centres", jurisdiction = "PRC",
  instrument = "guidance to state-funded data-centre projects (not published)", citation = "press reports of 2025-11-05",
  status = "reported-only", legal_basis = "not published", provenance = "reported", kind = "prc",
  dates = { reported = "2025-11-05" },
  source = "Reuters (two sources, via Tom's Hardware, FDD, DigiTimes): new state-funded data-centre projects must " ..
    "use domestic AI chips; projects under 30 % complete must remove foreign chips or cancel orders" }
measure { id = "prc-h200-customs-2026-01", title = "Customs told the H200 is not permitted", jurisdiction = "PRC",
  instrument = "customs instruction (not published)", citation = "press reports of 2026-01-14",
  status = "reported-only", legal_basis = "not published", provenance = "reported", kind = "prc",
  dates = { reported = "2026-01-14" },
  source = "Reuters (via US News): customs told H200s are not permitted, companies to buy only when necessary; " ..
    "Reuters/WSJ 2026-01-28: conditional approvals for ByteDance, Alibaba, Tencent" }
measure { id = "prc-mofcom-ann-61-2025", title = "Extraterritorial rare-earth export control (MOFCOM Ann. No. 61 " ..
  "of 2025)", jurisdiction = "PRC", instrument = "MOFCOM Announcement No. 61 of 2025",
  citation = "MOFCOM Ann. No. 61 of 2025; suspended by MOFCOM/GAC Ann. No. 70 of 2025", status = "in force",
  legal_basis = "Export Control Law; Dual-Use Items Export Control Regulations", provenance = "secondary", kind = "prc",
  dates = { effective = "2025-10-09", suspended = "2025-11-07", resumed = "2026-11-10" },
  source = "MOFCOM Ann. No. 61 of 2025 (translation): foreign-made items with 0.1 % or more by value of listed " ..
    "Chinese rare earths need a MOFCOM licence; case-by-case for AI research with possible military use; " ..
    "suspended by Ann. No. 70 (2025-11-07) until 2026-11-10",
  status_note = "status after 2026-11-10 not found" }
measure { id = "prc-decree-835", title = "Regulations on Countering Improper Extraterritorial Jurisdiction by " ..
  "Foreign States", jurisdiction = "PRC", instrument = "State Council Decree No. 835",
  citation = "State Council Decree No. 835 (2026)", status = "in force", legal_basis = "Foreign Relations Law Art. 33",
  provenance = "reported", kind = "prc", dates = { effective = "2026-04-07" },
  source = "Conventus Law, People of Internet (MoFo cited), China Trade Monitor: prohibition orders barring " ..
    "compliance with improper foreign measures, a Malicious Entity List, data cut-offs",
  status_note = "sources give 2026-04-07 and 2026-04-13; tpp uses 2026-04-07" }
measure { id = "prc-samr-nvidia", title = "SAMR anti-monopoly investigation of NVIDIA", jurisdiction = "PRC",
  instrument = "SAMR investigation under the Anti-Monopoly Law (conditions of SAMR Ann. [2020] No. 16)",
  citation = "SAMR announcements of 2024-12-09 and 2025-09-15", status = "in force",
  legal_basis = "Anti-Monopoly Law", provenance = "reported", kind = "prc", dates = { effective = "2024-12-09" },
  source = "JD Supra (AnJie), Jurist: preliminary finding of violation on 2025-09-15, further investigation; " ..
    "fines up to 10 % of prior-year China sales",
  status_note = "outcome not found; the White House said on 2025-11-01 that China would end probes of US chip firms" }

prc_measure { "H20 purchases discouraged", measure = "prc-h20-discouragement",
  applies = { import_into = { "CN" }, chips = { "nv_h20" } },
  text = "Chinese regulators reportedly told large buyers to justify H20 purchases and avoid them for " ..
    "government-related uses" }
prc_measure { "RTX Pro 6000D orders cancelled", measure = "prc-cac-2025-09-17",
  applies = { import_into = { "CN" }, chips = { "nv_rtx6000d", "nv_h20" } },
  text = "the CAC reportedly told ByteDance, Alibaba and others to stop testing and cancel orders of this chip" }
prc_measure { "customs checks on advanced chips", measure = "prc-customs-2025-10",
  applies = { import_into = { "CN" }, foreign_chips = true },
  text = "customs teams at major ports reportedly check chip imports strictly (first H20 and RTX Pro 6000D, then " ..
    "all advanced chips, including chips smuggled in breach of US controls)" }
prc_measure { "domestic chips for state-funded data centres", measure = "prc-state-dc-2025-11",
  applies = { import_into = { "CN" }, foreign_chips = true },
  text = "if the buyer is a state-funded data-centre project: only domestic AI chips (reported); projects under " ..
    "30 % complete must remove foreign chips or cancel orders" }
prc_measure { "H200 entries not permitted", measure = "prc-h200-customs-2026-01",
  applies = { import_into = { "CN" }, chips = { "nv_h200_sxm" } },
  text = "customs were reportedly told the H200 is not permitted; later reports of conditional approvals" }
prc_measure { "SAMR probe of NVIDIA", measure = "prc-samr-nvidia",
  applies = { import_into = { "CN" }, vendor = "NVIDIA" },
  text = "NVIDIA is under an anti-monopoly investigation since 2024-12-09 (conditions of the 2020 Mellanox " ..
    "approval); a preliminary finding of violation was reported on 2025-09-15" }
prc_measure { "Unreliable Entity List", measure = "prc-uel",
  applies = { chinese_party = true },
  text = "a foreign company seen as cutting off or discriminating against a Chinese enterprise (e.g. to comply with " ..
    "US controls) may be listed: bans on China-related trade and investment, fines" }
prc_measure { "PRC export controls on Chinese-origin items", measure = "prc-export-control-law",
  applies = { chinese_origin = true },
  text = "a Chinese-made item leaving China may need a MOFCOM export licence if it is on the dual-use list, and " ..
    "end-user and end-use statements are required; check the PRC Dual-Use Items Export Control List" }
prc_measure { "rare-earth content (Ann. No. 61)", measure = "prc-mofcom-ann-61-2025",
  applies = { always = true },
  text = "a foreign-made item with 0.1 % or more by value of listed Chinese-origin rare earths, or made with " ..
    "Chinese rare-earth technology, needs a MOFCOM licence; tpp cannot see the item's rare-earth content" }
