-- Embargoes and sanctions that need authorization for an AI chip whatever ECCN 3A090 says
-- (15 CFR part 746). The Commerce Country Chart has no marks for Cuba, Iran, North Korea and Syria:
-- their rows point to part 746, so "no licence required" is never derived from the chart for them.
--
-- items: "all" = every item subject to the EAR (EAR99 included unless `ear99` says otherwise);
--        "ccl" = every item on the Commerce Control List (3A090, 3A991.p, ...).
-- ear99: what an EAR99 item gets where it differs from `outcome`.

measure { id = "us-ear-746.2", title = "Cuba (15 CFR 746.2)", jurisdiction = "US",
  instrument = "Export Administration Regulations, part 746", citation = "15 CFR 746.2",
  status = "in force", provenance = "secondary", kind = "embargo",
  source = "15 CFR 746.2; the Country Chart row for Cuba points to part 746 (eCFR 2026-07-23)",
  status_note = "in force throughout the dates tpp screens; OFAC's Cuban Assets Control Regulations (31 CFR " ..
    "part 515) govern the transactions of persons subject to US jurisdiction" }
measure { id = "us-ear-746.4", title = "North Korea (15 CFR 746.4, 742.19)", jurisdiction = "US",
  instrument = "Export Administration Regulations, part 746", citation = "15 CFR 746.4; 15 CFR 742.19",
  status = "in force", provenance = "secondary", kind = "embargo",
  source = "15 CFR 746.4 and 742.19; the Country Chart row for North Korea points to them (eCFR 2026-07-23)" }
measure { id = "us-ear-746.6", title = "Crimea and the covered regions of Ukraine (15 CFR 746.6)", jurisdiction = "US",
  instrument = "Export Administration Regulations, part 746", citation = "15 CFR 746.6",
  status = "in force", provenance = "primary", kind = "embargo",
  source = "80 FR 4776 (2015-01-29): licence for all items subject to the EAR other than food and medicine " ..
    "designated EAR99, presumption of denial; 87 FR 12226 (effective 2022-02-24): the same restrictions for " ..
    "the so-called DNR and LNR regions",
  dates = { effective = "2015-01-29" } }
measure { id = "us-ear-746.7", title = "Iran (15 CFR 746.7) and OFAC's Iranian Transactions and Sanctions " ..
  "Regulations (31 CFR part 560)", jurisdiction = "US",
  instrument = "Export Administration Regulations, part 746; 31 CFR part 560", citation = "15 CFR 746.7; 31 CFR 560.204",
  status = "in force", provenance = "secondary", kind = "embargo",
  source = "15 CFR 746.7 (eCFR 2026-07-23): BIS licence for CCL items; BIS does not require a second licence " ..
    "where OFAC authorizes (746.7(a)(2)); 31 CFR 560.204 prohibits exports of goods from the US or by US " ..
    "persons to Iran without OFAC authorization" }
measure { id = "us-ear-746.8", title = "Russia and Belarus (15 CFR 746.8, 746.5, 744.21)", jurisdiction = "US",
  instrument = "Export Administration Regulations, part 746", citation = "15 CFR 746.8; 87 FR 12226; 87 FR 13048",
  status = "in force", provenance = "primary", kind = "embargo",
  source = "87 FR 12226 (published 2022-03-03, effective 2022-02-24): licence for Russia for items in CCL " ..
    "Categories 3-9, review policy of denial; 87 FR 13048 (effective 2022-03-02) the same for Belarus; FR Doc " ..
    "2022-07937 (2022-04-14) extended the requirement to every item on the CCL",
  dates = { effective = "2022-02-24" } }
measure { id = "us-ear-746.9", title = "Syria (15 CFR 746.9)", jurisdiction = "US",
  instrument = "Export Administration Regulations, part 746", citation = "15 CFR 746.9; 90 FR 42315",
  status = "in force", provenance = "primary", kind = "embargo",
  source = "15 CFR 746.9; 90 FR 42315 (FR Doc 2025-16724, effective 2025-09-02) keeps a licence for all items " ..
    "subject to the EAR, adds License Exception SPP for EAR99 items and a more favourable review policy",
  status_note = "OFAC lifted most Syria sanctions on 2025-07-01 (EO 14312); the EAR licence requirement remains" }

embargo { "IR", measure = "us-ear-746.7", outcome = "prohibited", items = "all",
  text = "Iran: exports of goods from the US or by US persons are prohibited without OFAC authorization (31 CFR " ..
    "560.204); a BIS licence is required for items on the CCL (15 CFR 746.7); foreign-produced items in " ..
    "Categories 3-9 made with US technology are subject to the EAR under the Iran FDP rule (15 CFR 734.9(j))",
  review = "OFAC specific licence only; BIS defers to OFAC authorization",
  source = "15 CFR 746.7; 31 CFR 560.204", provenance = "secondary" }
embargo { "KP", measure = "us-ear-746.4", outcome = "licence-required", items = "all",
  text = "North Korea: a licence is required for all items subject to the EAR except food and medicine " ..
    "designated EAR99 (15 CFR 746.4)",
  review = "general policy of denial (not verified in tpp's sources)",
  source = "15 CFR 746.4; 15 CFR 742.19", provenance = "unverified" }
embargo { "CU", measure = "us-ear-746.2", outcome = "licence-required", items = "all",
  text = "Cuba: a licence is required for all items subject to the EAR unless a 746.2 licence exception applies",
  review = "general policy of denial (not verified in tpp's sources)",
  source = "15 CFR 746.2", provenance = "unverified" }
embargo { "SY", measure = "us-ear-746.9", outcome = "licence-required", items = "all", to = "2025-09-02",
  text = "Syria: a licence is required for all items subject to the EAR other than food and medicine designated " ..
    "EAR99 (Syria Accountability Act; 15 CFR 746.9)",
  review = "general policy of denial",
  source = "15 CFR 746.9 as in force before 90 FR 42315 (summaries by Arnold & Porter and Thompson Hine)",
  provenance = "reported" }
embargo { "SY", measure = "us-ear-746.9", outcome = "licence-required", items = "all", from = "2025-09-02",
  ear99 = "no-licence-required",
  text = "Syria: a licence is still required for every item on the CCL (anti-terrorism controls kept); EAR99 " ..
    "items may go under License Exception SPP unless a restricted party or end use is involved",
  review = "case-by-case for most dual-use items; denial where the end user is a malign actor (Assad " ..
    "associates, SDN-listed parties)",
  source = "90 FR 42315 (FR Doc 2025-16724, effective 2025-09-02), 15 CFR 746.9(c)", provenance = "primary" }
embargo { "UA-CRIMEA", measure = "us-ear-746.6", outcome = "licence-required", items = "all",
  text = "Crimea region of Ukraine: a licence is required for all items subject to the EAR other than food and " ..
    "medicine designated EAR99 (15 CFR 746.6)",
  review = "presumption of denial", source = "80 FR 4776 (effective 2015-01-29)", provenance = "primary" }
embargo { "UA-DNR", measure = "us-ear-746.6", outcome = "licence-required", items = "all", from = "2022-02-24",
  text = "so-called DNR region of Ukraine: a licence is required for all items subject to the EAR other than " ..
    "food and medicine designated EAR99 (15 CFR 746.6)",
  review = "presumption of denial", source = "87 FR 12226 (effective 2022-02-24)", provenance = "primary" }
embargo { "UA-LNR", measure = "us-ear-746.6", outcome = "licence-required", items = "all", from = "2022-02-24",
  text = "so-called LNR region of Ukraine: a licence is required for all items subject to the EAR other than " ..
    "food and medicine designated EAR99 (15 CFR 746.6)",
  review = "presumption of denial", source = "87 FR 12226 (effective 2022-02-24)", provenance = "primary" }
embargo { "RU", measure = "us-ear-746.8", outcome = "licence-required", items = "ccl", from = "2022-02-24",
  ear99 = "undetermined",
  text = "Russia: a licence is required for every item on the CCL, AT-only entries such as 3A991.p included " ..
    "(15 CFR 746.8); EAR99 items need one when their HTS code is listed in supplements no. 2, 4, 6 or 7 to " ..
    "part 746 (15 CFR 746.5), and any item for a military end user (15 CFR 744.21)",
  review = "policy of denial", source = "87 FR 12226 (effective 2022-02-24); FR Doc 2022-07937",
  provenance = "primary" }
embargo { "BY", measure = "us-ear-746.8", outcome = "licence-required", items = "ccl", from = "2022-03-02",
  ear99 = "undetermined",
  text = "Belarus: a licence is required for every item on the CCL (15 CFR 746.8); EAR99 items need one when " ..
    "their HTS code is listed in the part 746 supplements (15 CFR 746.5), and any item for a military end user",
  review = "policy of denial", source = "87 FR 13048 (effective 2022-03-02); FR Doc 2022-07937",
  provenance = "primary" }
