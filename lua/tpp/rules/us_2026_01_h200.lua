-- January 2026 licence review policy: for exports from the US to China and
-- Macau, case-by-case review (instead of presumption of denial) for items with
-- TPP below 21,000 and total DRAM bandwidth below 6,500 GB/s, under conditions.
-- The 3A090 classification is that of us-2024-12. 91 FR 1684.

version {
  id = "us-2026-01-h200",
  extends = "us-2024-12",
  title = "Advanced computing ICs with the January 2026 China/Macau review policy (H200 rule)",
  instrument = "Final rule: Revision to License Review Policy for Advanced Computing Commodities",
  citation = "91 FR 1684 (pp. 1684-1689; FR Doc 2026-00789, RIN 0694-AK43); 15 CFR 742.6(b)(10)(iii)(A)(1)",
  status = "in force",
  supersedes = "us-2024-12",
  provenance = "primary",
  dates = { announced = "2026-01-13", published = "2026-01-15", effective = "2026-01-15" },
  scope = "review policy for licences to export from the US to China and Macau",
  source = "91 FR 1684 (summary primary; details from secondary and reported sources)",
}

threshold { "h200.tpp", 21000, provenance = "primary",
  source = "91 FR 1684: case-by-case for commodities with TPP less than 21,000 (TPP as in the 3A090 notes)" }
threshold { "h200.dram_gbs", 6500, unit = "GB/s", provenance = "primary",
  source = "91 FR 1684: and 'total DRAM bandwidth' less than 6,500 GB/s" }

local conditions = {
  "Exports from the United States to China or Macau only; reexports, exports from abroad, in-country " ..
    "transfers and D:5/Macau-headquartered parties elsewhere stay presumption of denial [reported]",
  "Commercially available in the US when the rule was published; exporter certifies sufficient US supply " ..
    "and no diversion of foundry capacity from US customers",
  "Recipient security: know-your-customer, no unauthorized remote access (IaaS)",
  "Independent third-party testing in the US of each shipment (TPP, bandwidths, DRAM capacity)",
  "China/Macau volume at most 50 % of the volume shipped to US end users [reported]",
}

paragraph { "742.6(b)(10)(iii)(A)(1) case-by-case", role = "policy", outcome = "case-by-case",
  text = "TPP less than 21,000 and total DRAM bandwidth less than 6,500 GB/s",
  test("tpp", "<", "h200.tpp"),
  test("mem_bw_gbs", "<", "h200.dram_gbs"),
  requires = conditions,
}
paragraph { "presumption of denial: TPP", role = "policy", outcome = "presumption-of-denial",
  text = "TPP of 21,000 or more",
  test("tpp", ">=", "h200.tpp"),
}
paragraph { "presumption of denial: DRAM bandwidth", role = "policy", outcome = "presumption-of-denial",
  text = "total DRAM bandwidth of 6,500 GB/s or more",
  test("mem_bw_gbs", ">=", "h200.dram_gbs"),
}

assumption { "h200-policy-scope",
  "The review policy is reported for every chip but matters only where a licence is required for an " ..
  "export from the US to China or Macau; the conditions are a checklist, not computed." }
assumption { "h200-payments",
  "The 25 % of H200 revenue is collected through the Section 232 import duty of Proclamation 11002, not " ..
  "through the EAR, and is not modelled here; the 15 % H20 revenue share was never codified (docs/screening.md)." }
assumption { "coverage-end",
  "The sources end around 2026-09; later rules (a replacement for the AI Diffusion rule, floor action " ..
  "on the AI OVERWATCH or Chip Security Acts) are not reflected (docs/screening.md)." }

-- Review policy for exports from the US to China and Macau (15 CFR 742.6(b)(10)(iii)(A)(1)); it ranks
-- before the 2023 scheme's presumption of denial for D:5/Macau.
local h200_source = "91 FR 1684 (2026-01-15), 15 CFR 742.6(b)(10)(iii)(A)(1)"
licence { "742.6(b)(10)(iii)(A)(1): case-by-case", kind = "review", outcome = "case-by-case", rank = 10,
  provenance = "primary", source = h200_source,
  text = "export from the US to China/Macau, TPP and total DRAM bandwidth below the 91 FR 1684 lines, " ..
    "commercially available in the US when the rule was published: case-by-case",
  requires = conditions,
  test("item_ab", "==", true), test("dest_china_macau", "==", true), test("exported_from_us", "==", true),
  test("tpp", "<", "h200.tpp"), test("mem_bw_gbs", "<", "h200.dram_gbs"), test("us_available", "==", true) }
licence { "91 FR 1684: not an export from the US", kind = "review", outcome = "presumption-of-denial", rank = 11,
  provenance = "reported", source = h200_source,
  text = "reexports, exports from abroad and in-country transfers to/within China/Macau stay presumption of denial",
  test("item_ab", "==", true), test("dest_china_macau", "==", true), test("exported_from_us", "==", false) }
licence { "91 FR 1684: TPP at or above the line", kind = "review", outcome = "presumption-of-denial", rank = 12,
  provenance = "primary", source = h200_source,
  text = "TPP at or above the 91 FR 1684 line: presumption of denial",
  test("item_ab", "==", true), test("dest_china_macau", "==", true), test("tpp", ">=", "h200.tpp") }
licence { "91 FR 1684: DRAM bandwidth at or above the line", kind = "review", outcome = "presumption-of-denial",
  rank = 13, provenance = "primary", source = h200_source,
  text = "total DRAM bandwidth at or above the 91 FR 1684 line: presumption of denial",
  test("item_ab", "==", true), test("dest_china_macau", "==", true), test("mem_bw_gbs", ">=", "h200.dram_gbs") }
licence { "91 FR 1684: not commercially available in the US", kind = "review", outcome = "presumption-of-denial",
  rank = 14, provenance = "primary", source = h200_source,
  text = "not commercially available in the US when 91 FR 1684 was published (2026-01-15): the case-by-case " ..
    "policy does not reach it, presumption of denial",
  test("item_ab", "==", true), test("dest_china_macau", "==", true), test("us_available", "==", false) }

-- 91 FR 43034 moved the UAE out of D:4 into A:5 (effective 2026-07-10) and names the UAE in the 3A090.b
-- RS scope explicitly (15 CFR 742.6(a)(6)(iii)(B), eCFR 2026-07-23).
licence { "742.6(a)(6)(iii)(B): UAE", provenance = "secondary",
  text = "3A090.b to the United Arab Emirates (named in the RS scope after the UAE moved to A:5)",
  source = "91 FR 43034 (published 2026-07-14, effective 2026-07-10); 15 CFR 742.6(a)(6)(iii)(B) in the eCFR " ..
    "of 2026-07-23",
  test("item_b", "==", true), test("dest_uae", "==", true), test("as_of", ">=", "2026-07-10") }
