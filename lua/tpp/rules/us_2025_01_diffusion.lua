-- The AI Diffusion framework (January 2025): the 3A090 parameters are those
-- of us-2024-12; what changes is a worldwide licence for 3A090.a, country
-- tiers, caps, License Exceptions AIA/ACM/LPP and data-center VEUs. Those
-- quantities are figures here (for tpp.dest and the ledger), each with its
-- provenance. BIS stopped enforcing the rule on 2025-05-13; its text stays in
-- the eCFR (2026-07-23). 90 FR 4544; BIS press release of 2025-05-13.

version {
  id = "us-2025-01-diffusion",
  extends = "us-2024-12",
  title = "Framework for Artificial Intelligence Diffusion (Jan 2025)",
  instrument = "Interim final rule: Framework for Artificial Intelligence Diffusion",
  citation = "90 FR 4544 (pp. 4544-4584; FR Doc 2025-00636, RIN 0694-AJ90)",
  status = "not enforced",
  status_note = "BIS announced rescission and instructed non-enforcement on 2025-05-13; the text is still " ..
    "in the eCFR of 2026-07-23 and no FR rescission was published through 2026-09",
  supersedes = "us-2024-12",
  provenance = "secondary",
  dates = { effective = "2025-01-13", published = "2025-01-15", compliance = "2025-05-15",
            not_enforced = "2025-05-13" },
  scope = "worldwide licence for 3A090.a and 4A090.a; tiers: Tier 1 (US + 18) no caps, Tier 3 (D:5 + " ..
    "Macau) no access, Tier 2 capped",
  source = "90 FR 4544; White House fact sheet of 2025-01-13; BIS press release of 2025-05-13",
}

figure { "lpp.tpp_per_consignee_year", 26900000, unit = "TPP per ultimate consignee per calendar year",
  provenance = "reported",
  source = "License Exception LPP (15 CFR 740.29): up to 26,900,000 TPP per ultimate consignee per " ..
    "calendar year; not for D:5 or Macau; shipments under LPP do not count against country caps " ..
    "(FGX blog on License Exception C75; SemiAnalysis)" }
figure { "lpp.advanced_gpus", 1700, unit = "advanced GPUs (White House shorthand)", provenance = "primary",
  source = "White House fact sheet 2025-01-13: 'roughly 1,700 advanced GPUs'" }
figure { "h100.tpp", 15831.2, unit = "TPP", provenance = "reported",
  source = "H100 SXM: 1,978.9 dense FP8 TFLOPS x 8 (SemiAnalysis); no official document states it" }
figure { "country_cap.tpp_2025_2027", 790000000, unit = "TPP per Tier 2 country, cumulative 2025-2027",
  provenance = "derived",
  source = "49,901 H100-equivalents x 15,831.2 TPP (SemiAnalysis figure x H100 TPP); matches the rule's " ..
    "allocation as commonly cited, not confirmed in the rule text (docs/screening.md)" }
figure { "country_cap.h100_equivalents", 49901, unit = "H100-equivalents, 2025-2027", provenance = "reported",
  source = "SemiAnalysis" }
figure { "country_cap.advanced_gpus", 50000, unit = "advanced GPUs per country", provenance = "primary",
  source = "White House fact sheet 2025-01-13: 'up to the equivalent of 50,000 advanced GPUs per country'" }
figure { "country_cap.g2g_h100_equivalents", 99802, unit = "H100-equivalents with a government-to-government " ..
  "arrangement", provenance = "reported", source = "SemiAnalysis (doubled allocation)" }
figure { "nveu.advanced_gpus", 320000, unit = "advanced GPUs over two years", provenance = "primary",
  source = "White House fact sheet 2025-01-13" }
figure { "nveu.schedule_tpp", { 633000000, 1660000000, 5060000000 },
  unit = "TPP installed base, cumulative (phases)", provenance = "reported",
  source = "SemiAnalysis table; an unverified expectation (docs/screening.md)" }
figure { "uveu.tier1_min_share", 0.75, unit = "fraction of total TPP in Tier 1 countries", provenance = "reported",
  source = "Lennart Heim; SemiAnalysis" }
figure { "uveu.tier2_max_share_per_country", 0.07, unit = "fraction of total TPP in any one Tier 2 country",
  provenance = "reported", source = "Lennart Heim; SemiAnalysis" }
figure { "uveu.us_min_share_us_hq", 0.5, unit = "fraction in the US for US-headquartered UVEUs",
  provenance = "reported", source = "Lennart Heim; SemiAnalysis" }
figure { "uveu.transfer_notice_days", 60, unit = "days of notice before inter-country transfers",
  provenance = "reported", source = "Lennart Heim; SemiAnalysis" }
figure { "tier1.countries", { "US", "AU", "BE", "CA", "DK", "FI", "FR", "DE", "IE", "IT", "JP", "NL", "NZ",
  "NO", "KR", "ES", "SE", "TW", "GB" }, unit = "ISO 3166 codes: the United States and 18 partners",
  provenance = "reported",
  source = "WH fact sheet: 18 key allies and partners (primary); the list itself is not verified against " ..
    "supp. no. 5 to part 740 (docs/screening.md)" }
figure { "tier3.groups", { "D:5", "Macau" }, unit = "country groups", provenance = "reported",
  source = "SemiAnalysis, The Legal Wire: arms-embargoed D:5 countries plus Macau" }
figure { "4E091.operations", 1e26, unit = "training operations", provenance = "secondary",
  source = "ECCN 4E091 (90 FR 4544): parameters of models trained with 10^26 operations or more" }

checklist {
  "CFR text: a licence for 3A090.a to or within any destination worldwide (15 CFR 742.6(a)(6)(iii)(A)), " ..
    "with License Exceptions AIA, ACM and LPP and country caps; BIS does not enforce these since 2025-05-13",
}

assumption { "diffusion-status",
  "As-of selection follows enforced policy: from 2025-05-13 this version is skipped and us-2024-12 " ..
  "applies. Pass basis = 'cfr-text' to select it while its text remains in the CFR (docs/screening.md).",
  alternatives = { "cfr-text" } }
assumption { "diffusion-quantities",
  "The country allocation (about 790,000,000 TPP), the NVEU schedule, the Tier 1 list and the H100 TPP " ..
  "are not confirmed in the rule text; only the White House round numbers are primary (docs/screening.md)." }

-- Licence scope as written in the CFR (view = "cfr-text": BIS does not enforce it since 2025-05-13).
licence { "742.6(a)(6)(iii)(A): worldwide", view = "cfr-text", provenance = "secondary",
  text = "CFR text: 3A090.a to or within any destination worldwide (AI Diffusion rule), from the compliance " ..
    "date 2025-05-15",
  source = "90 FR 4544: 15 CFR 742.6(a)(6)(iii)(A), 'to or within any destination worldwide'; compliance date " ..
    "2025-05-15; BIS announced non-enforcement on 2025-05-13",
  test("item_a", "==", true), test("dest_us", "==", false), test("as_of", ">=", "2025-05-15") }
licence { "LPP", kind = "exception", exception = "LPP", view = "cfr-text", provenance = "reported",
  text = "up to the LPP allowance of TPP per ultimate consignee per calendar year (figure " ..
    "'lpp.tpp_per_consignee_year'); needs the consignee's certification; not for D:5 or Macau destinations " ..
    "or buyers headquartered there; shipments under LPP do not count against country caps",
  source = "15 CFR 740.29 (90 FR 4544), License Exception LPP",
  test("item_a", "==", true), test("dest_d5_macau", "==", false), test("hq_d5_macau", "==", false) }
-- The rule widened ACA; how is not recorded in tpp's sources: an open question for destinations outside
-- D:1/D:4/D:5/Macau.
licence_note { "ACA scope under the AI Diffusion rule", view = "cfr-text", targets = { "ACA", "NAC" },
  text = "outside D:1/D:4/D:5/Macau the AI Diffusion rule expanded ACA's scope; tpp's sources do not record how",
  test("item_a", "==", true), test("dest_d145_macau", "==", false), test("hq_d5_macau", "==", false) }
licence { "ACA (AI Diffusion): scope not recorded", kind = "exception", exception = "ACA", outcome = "open",
  view = "cfr-text",
  text = "destination outside D:1/D:4/D:5/Macau; the AI Diffusion rule expanded ACA's scope but tpp's sources " ..
    "do not record how",
  test("item_a", "==", true), test("datacenter", "==", false), test("dest_d145_macau", "==", false),
  test("hq_d5_macau", "==", false) }
licence { "NAC (AI Diffusion): scope not recorded", kind = "exception", exception = "NAC", outcome = "open",
  view = "cfr-text",
  text = "destination outside D:1/D:4/D:5/Macau; the AI Diffusion rule expanded ACA's scope but tpp's sources " ..
    "do not record how",
  test("item_a", "==", true), test("datacenter", "==", false), test("dest_d145_macau", "==", false),
  test("hq_d5_macau", "==", false) }
licence_note { "review policy outside D:1/D:4/D:5/Macau not recorded", view = "cfr-text",
  targets = { "review: other D:1/D:4" },
  text = "the AI Diffusion review policy for destinations outside D:1/D:4/D:5/Macau is not recorded in tpp's sources",
  test("item_a", "==", true), test("dest_d145_macau", "==", false), test("hq_d5_macau", "==", false) }
