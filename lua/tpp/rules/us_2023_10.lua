-- ECCN 3A090.a/.b as rewritten by the October 2023 advanced-computing rule.
-- Facts: 88 FR 73458 and 15 CFR 740.8 (item text from the eCFR
-- extraction of 2026-07-23: secondary). Thresholds unchanged through 2026-07.

version {
  id = "us-2023-10",
  title = "Advanced computing ICs: TPP and performance density (3A090.a/.b, Oct 2023)",
  instrument = "Interim final rule: Implementation of Additional Export Controls: Certain Advanced " ..
    "Computing Items; Supercomputer and Semiconductor End Use; Updates and Corrections",
  citation = "88 FR 73458 (FR Doc 2023-23055, RIN 0694-AI94)",
  jurisdiction = "US: EAR, 15 CFR part 774 supp. no. 1 (CCL), ECCN 3A090; License Exception NAC (15 CFR 740.8)",
  track = "3A090",
  subject = "ECCN 3A090",
  status = "in force",
  status_note = "thresholds unchanged in the eCFR of 2026-07-23; later versions add 3A090.c and other measures",
  supersedes = "us-2022-10",
  provenance = "secondary",
  dates = { announced = "2023-10-17", published = "2023-10-25", effective = "2023-11-17" },
  scope = "licence to D:1, D:4, D:5 excluding A:5/A:6, plus Macau; worldwide for entities headquartered " ..
    "in D:5 or Macau",
  source = "88 FR 73458; ECCN 3A090 and its technical notes in the eCFR of 2026-07-23 (extraction)",
}

-- 3A090.a: ICs with one or more digital processing units having ...
threshold { "3A090.a.1.tpp", 4800, provenance = "secondary",
  source = "3A090.a.1 (88 FR 73458; eCFR 2026-07-23): 'total processing performance' of 4800 or more" }
threshold { "3A090.a.2.tpp", 1600, provenance = "secondary",
  source = "3A090.a.2: TPP of 1600 or more and performance density of 5.92 or more" }
threshold { "3A090.a.2.pd", 5.92, unit = "TPP/mm2", provenance = "secondary", source = "3A090.a.2" }
-- 3A090.b: ICs with one or more digital processing units having ...
threshold { "3A090.b.1.tpp.lo", 2400, provenance = "secondary",
  source = "3A090.b.1: TPP of 2400 or more but less than 4800, and PD of 1.6 or more but less than 5.92" }
threshold { "3A090.b.1.tpp.hi", 4800, provenance = "secondary", source = "3A090.b.1" }
threshold { "3A090.b.1.pd.lo", 1.6, unit = "TPP/mm2", provenance = "secondary", source = "3A090.b.1" }
threshold { "3A090.b.1.pd.hi", 5.92, unit = "TPP/mm2", provenance = "secondary", source = "3A090.b.1" }
threshold { "3A090.b.2.tpp", 1600, provenance = "secondary",
  source = "3A090.b.2: TPP of 1600 or more and PD of 3.2 or more but less than 5.92" }
threshold { "3A090.b.2.pd.lo", 3.2, unit = "TPP/mm2", provenance = "secondary", source = "3A090.b.2" }
threshold { "3A090.b.2.pd.hi", 5.92, unit = "TPP/mm2", provenance = "secondary", source = "3A090.b.2" }
threshold { "3A090.note2.tpp", 4800, provenance = "secondary",
  source = "Note 2 to 3A090: not designed or marketed for datacenters and TPP less than 4800" }

paragraph { "3A090.a.1", eccn = "3A090.a", outcome = "controlled",
  text = "TPP of 4800 or more",
  test("tpp", ">=", "3A090.a.1.tpp"),
}
paragraph { "3A090.a.2", eccn = "3A090.a", outcome = "controlled",
  text = "TPP of 1600 or more and performance density of 5.92 or more",
  test("tpp", ">=", "3A090.a.2.tpp"),
  test("pd", ">=", "3A090.a.2.pd"),
}
paragraph { "3A090.b.1", eccn = "3A090.b", outcome = "nac-eligible",
  text = "TPP of 2400 or more but less than 4800, and performance density of 1.6 or more but less than 5.92",
  range("tpp", ">=", "3A090.b.1.tpp.lo", "<", "3A090.b.1.tpp.hi"),
  range("pd", ">=", "3A090.b.1.pd.lo", "<", "3A090.b.1.pd.hi"),
  requires = { "License Exception NAC needs prior notification to BIS (25-day review; BIS may still " ..
    "require a licence): TPP, PD and datasheet or marketing evidence" },
}
paragraph { "3A090.b.2", eccn = "3A090.b", outcome = "nac-eligible",
  text = "TPP of 1600 or more and performance density of 3.2 or more but less than 5.92",
  test("tpp", ">=", "3A090.b.2.tpp"),
  range("pd", ">=", "3A090.b.2.pd.lo", "<", "3A090.b.2.pd.hi"),
  requires = { "License Exception NAC needs prior notification to BIS (25-day review; BIS may still " ..
    "require a licence): TPP, PD and datasheet or marketing evidence" },
}

note { "Note 2 to 3A090", kind = "exclude", targets = { "3A090.a", "3A090.b" },
  text = "3A090.a and .b do not apply to ICs not designed or marketed for use in datacenters " ..
    "with TPP less than 4800",
  test("datacenter", "==", false),
  test("tpp", "<", "3A090.note2.tpp"),
}
note { "processing units", kind = "exclude", targets = { "3A090.a", "3A090.b" },
  text = "3A090.a and .b cover ICs with one or more digital processing units; a stand-alone memory " ..
    "device (an HBM stack) has none",
  test("memory_item", "==", true),
}
note { "NAC (15 CFR 740.8)", kind = "outcome", targets = { "3A090.a" }, outcome = "nac-eligible",
  text = "License Exception NAC is available for 3A090 items except those designed or marketed for use " ..
    "in datacenters and meeting 3A090.a; a non-datacenter IC with TPP of 4800 or more may use it",
  test("datacenter", "==", false),
  requires = { "License Exception NAC needs prior notification to BIS before export to D:5 or Macau " ..
    "(25-day review)" },
}

precedence { "3A090.a", "3A090.b" }

checklist {
  "Designed or marketed for use in datacenters? It decides Note 2 and NAC eligibility; the rule text has " ..
    "no bright line (datasheets, marketing, datacenter-specific features; an open question listed in docs/screening.md)",
  "Destination and headquarters: licence to D:1, D:4, D:5 excluding A:5/A:6, plus Macau; worldwide for " ..
    "entities headquartered (or with an ultimate parent) in D:5 or Macau (tpp classify --dest/--hq)",
  "End use and end user: 15 CFR 744.23 supercomputer and semiconductor end uses, Entity List",
  "Items containing the IC are 4A090 or '.z' ECCNs (3A001.z, 4A003.z, 5A992.z, ...); this classifies the IC",
}

assumption { "datacenter-flag",
  "'Designed or marketed for use in datacenters' is an input (chip.datacenter): a judgement from the " ..
  "vendor's positioning and form factor. The rule has no definition; BIS asks for datasheets and " ..
  "marketing material showing datacenter or consumer use.",
  alternatives = { "treat every IC as datacenter unless proven otherwise (conservative)" } }
assumption { "tpp-dense-max",
  "TPP is 2 x dense MacTOPS x bit length, the maximum over precisions, from published dense figures " ..
  "(sparse figures halved only when asked); TF32 is left out unless tf32_bits is set (an open question listed " ..
  "in docs/screening.md)." }
assumption { "applicable-die-area",
  "PD divides by the area of all non-planar logic dies, excluding HBM stacks; chiplet and base-die edge " ..
  "cases follow the chip data (an open question listed in docs/screening.md)." }
assumption { "2023-10-immediate",
  "Rule time uses the FR effective date 2023-11-17. The USG told NVIDIA on 2023-10-23 that the licence " ..
  "requirement for datacenter products with TPP >= 4800 applied at once (8-K, secondary); that notice is " ..
  "not a rule version here.",
  alternatives = { "treat 2023-10-23 as the start for datacenter 3A090.a items" } }
assumption { "technical-note-numbering",
  "Paragraph and note numbers follow the eCFR extraction of 2026-07-23; 91 FR 1684 cites the TPP " ..
  "definition as Technical Note 2 where the extraction shows Note 1 (to re-check against the official text; docs/screening.md)." }
assumption { "published-figures",
  "Results follow the chip's published figures as recorded in its data, and every test shows the figure " ..
  "used. Where sources disagree (a tracker lists the H20 as 3A090.b.2, although TPP 2,368 and PD 2.91 on " ..
  "its published figures meet neither .b test; see docs/screening.md), the answer changes only if the " ..
  "figures do: classify the chip with the other figures to see it." }

-- Licence scope (15 CFR 742.6(a)(6)(iii) and 744.23(a)(3) as of 88 FR 73458): 3A090.a/.b to D:1, D:4 and
-- D:5 excluding destinations also in A:5 or A:6, plus Macau; and to entities headquartered (or with an
-- ultimate parent headquartered) in D:5 or Macau wherever they are.
local scope_source = "88 FR 73458: RS licence for 3A090.a/.b to or within destinations in Country Groups D:1, " ..
  "D:4 and D:5 excluding any destination also in A:5 or A:6, and Macau (15 CFR 742.6(a)(6)(iii))"
licence { "742.6(a)(6)(iii): D:1", provenance = "secondary", source = scope_source,
  text = "3A090.a/.b to a destination in Country Group D:1 (not also in A:5/A:6)",
  test("item_ab", "==", true), test("dest_d1", "==", true) }
licence { "742.6(a)(6)(iii): D:4", provenance = "secondary", source = scope_source,
  text = "3A090.a/.b to a destination in Country Group D:4 (not also in A:5/A:6)",
  test("item_ab", "==", true), test("dest_d4", "==", true) }
licence { "742.6(a)(6)(iii): D:5", provenance = "secondary", source = scope_source,
  text = "3A090.a/.b to a destination in Country Group D:5 (not also in A:5/A:6)",
  test("item_ab", "==", true), test("dest_d5", "==", true) }
licence_note { "excluding A:5", targets = { "742.6(a)(6)(iii): D:1", "742.6(a)(6)(iii): D:4",
  "742.6(a)(6)(iii): D:5" }, text = "destinations also in Country Group A:5 are excluded", source = scope_source,
  test("dest_a5", "==", true) }
licence_note { "excluding A:6", targets = { "742.6(a)(6)(iii): D:1", "742.6(a)(6)(iii): D:4",
  "742.6(a)(6)(iii): D:5" }, text = "destinations also in Country Group A:6 are excluded (e.g. Israel, D:4 and A:6)",
  source = scope_source, test("dest_a6", "==", true) }
licence { "742.6(a)(6)(iii): Macau", provenance = "secondary", source = scope_source,
  text = "3A090.a/.b to Macau (named in the scope; Macau is not in D:5)",
  test("item_ab", "==", true), test("dest_macau", "==", true) }
licence { "744.23(a)(3): headquarters", provenance = "secondary",
  text = "3A090.a/.b for an entity headquartered in, or whose ultimate parent is headquartered in, D:5 or " ..
    "Macau, wherever located",
  source = "88 FR 73458, 15 CFR 744.23(a)(3) from 2023-11-17; continued under 742.6(a)(6)(iii)(A) per BIS " ..
    "guidance of 2026-05-31 on entities headquartered in D:5 and Macau",
  test("item_ab", "==", true), test("hq_d5_macau", "==", true), test("dest_us", "==", false) }

-- License Exception NAC (15 CFR 740.8 as created by 88 FR 73458): 3A090 except items designed or marketed
-- for datacenters that meet 3A090.a; prior notification to BIS.
local nac_source = "15 CFR 740.8 (88 FR 73458): NAC for 3A090 except items designed or marketed for use in " ..
  "datacenters and meeting 3A090.a; prior notification to BIS (25-day review)"
licence { "NAC: 3A090.b", kind = "exception", exception = "NAC", provenance = "reported", source = nac_source,
  text = "3A090.b; NAC with prior notification to BIS (25-day review; BIS may still require a licence)",
  test("item_b", "==", true) }
licence { "NAC: 3A090.a not datacenter", kind = "exception", exception = "NAC", provenance = "reported",
  source = nac_source,
  text = "3A090.a not designed or marketed for datacenters; NAC with prior notification to BIS (25-day review)",
  test("item_a", "==", true), test("datacenter", "==", false) }

-- Review policy (2023 scheme, as summarised by secondary sources: not confirmed against the FR text).
local review_source = "2023 review policy for 3A090: presumption of denial for D:5 and Macau, presumption of " ..
  "approval for other D:1/D:4 destinations (summaries of 88 FR 73458; not confirmed against the FR text)"
licence { "review: D:5 or Macau destination", kind = "review", outcome = "presumption-of-denial", rank = 50,
  provenance = "reported", source = review_source,
  text = "D:5 or Macau destination: presumption of denial (2023 scheme)",
  test("item_ab", "==", true), test("dest_d5_macau", "==", true) }
licence { "review: headquartered in D:5 or Macau", kind = "review", outcome = "presumption-of-denial", rank = 51,
  provenance = "reported", source = review_source,
  text = "buyer headquartered in D:5 or Macau: presumption of denial",
  test("item_ab", "==", true), test("hq_d5_macau", "==", true) }
licence { "review: other D:1/D:4", kind = "review", outcome = "presumption-of-approval", rank = 60,
  provenance = "reported", source = review_source,
  text = "D:1/D:4 destination outside D:5/Macau: presumption of approval (2023 scheme)",
  test("item_ab", "==", true) }
