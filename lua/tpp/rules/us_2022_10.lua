-- ECCN 3A090 as created by the October 2022 interim final rule.
-- Facts: 87 FR 62186 (FR text quoted verbatim in a secondary
-- compilation). Superseded on 2023-11-17 by 88 FR 73458 (us-2023-10).

version {
  id = "us-2022-10",
  title = "Advanced computing ICs: 3A090 by I/O bandwidth and bit length x TOPS (Oct 2022)",
  instrument = "Interim final rule: Implementation of Additional Export Controls: Certain Advanced " ..
    "Computing and Semiconductor Manufacturing Items; Supercomputer and Semiconductor End Use; " ..
    "Entity List Modification",
  citation = "87 FR 62186 (FR Doc 2022-21658, RIN 0694-AI94)",
  jurisdiction = "US: EAR, 15 CFR part 774 supp. no. 1 (CCL), ECCN 3A090 and 4A090",
  track = "3A090",
  subject = "ECCN 3A090 (October 2022 text)",
  status = "superseded",
  superseded_by = "us-2023-10",
  status_note = "replaced by the 3A090.a/.b structure of 88 FR 73458 from 2023-11-17",
  provenance = "secondary",
  dates = {
    announced = "2022-10-07", published = "2022-10-13", effective = "2022-10-07",
    superseded = "2023-11-17",
  },
  scope = "licence for China (incl. Hong Kong); Macau added from 2023-01-17 (88 FR 2821)",
  source = "87 FR 62186 (FR text as quoted in a secondary compilation); 88 FR 2821 for Macau",
}

threshold { "3A090.a.io_gbs", 600, unit = "GB/s", provenance = "secondary",
  source = "87 FR 62186, 3A090.a: aggregate bidirectional transfer rate over all inputs and outputs of " ..
    "600 Gbyte/s or more to or from ICs other than volatile memories" }
threshold { "3A090.a.tpp", 4800, provenance = "secondary",
  source = "87 FR 62186, 3A090.a.1-a.4: 'bit length per operation' x 'processing performance' in TOPS, " ..
    "aggregated over all processor units, of 4800 or more" }

paragraph { "3A090.a", eccn = "3A090.a", outcome = "controlled",
  text = "I/O of 600 GB/s or more and bit length x TOPS of 4800 or more",
  source = "87 FR 62186, ECCN 3A090.a (both conditions required)",
  test("interconnect_gbs", ">=", "3A090.a.io_gbs"),
  test("tpp", ">=", "3A090.a.tpp"),
}

note { "processing units", kind = "exclude", targets = { "3A090.a" },
  text = "3A090.a covers integrated circuits with processor units; a stand-alone memory device (an HBM " ..
    "stack) has none, so it is outside 3A090 (the 2022 text had no memory paragraph)",
  test("memory_item", "==", true),
}

checklist {
  "Destination: the licence requirement covered China (including Hong Kong), and Macau from 2023-01-17",
  "End use and end user: supercomputer and semiconductor-manufacturing end uses (15 CFR 744.23), Entity List",
  "Computers and assemblies containing such an IC are ECCN 4A090; foreign-produced items may be caught by " ..
    "the advanced-computing foreign direct product rules",
}

assumption { "2022-metric-is-tpp",
  "The 2022 measure 'bit length per operation x processing performance (TOPS)', aggregated over " ..
  "processor units, is computed with the same figure as TPP (2 x dense MacTOPS x bit length, maximum " ..
  "over precisions). The a.3 variant for analog and multi-level units (TOPS x 8) is not modelled.",
  alternatives = { "count sparse or per-unit maxima (not supported by the 2023 technical note)" } }
assumption { "2022-effective-date",
  "Rule time starts on 2022-10-07, the rule's first staged effective date; some provisions of 87 FR 62186 " ..
  "took effect on 2022-10-12 and 2022-10-21.",
  alternatives = { "2022-10-21" } }
assumption { "interconnect-figure",
  "The I/O test reads the chip's aggregate bidirectional interconnect figure (NVLink or equivalent); " ..
  "vendors quote it in different ways (per direction, per link), which the chip data records." }

-- Licence scope (15 CFR 742.6(a)(6) as of this version): China including Hong Kong, and Macau
-- from 2023-01-17 (88 FR 2821, published 2023-01-18).
licence { "742.6(a)(6): China", kind = "requirement", provenance = "secondary",
  text = "3A090 items to China (including Hong Kong)",
  source = "87 FR 62186: RS licence requirement for ECCN 3A090 to China",
  test("item_a", "==", true), test("dest_china", "==", true) }
licence { "742.6(a)(6): Macau", kind = "requirement", provenance = "secondary",
  text = "3A090 items to Macau (added by 88 FR 2821, effective 2023-01-17)",
  source = "88 FR 2821 (FR Doc 2023-00888, published 2023-01-18): interim final rule effective 2023-01-17 adds " ..
    "Macau to the RS scope of 3A090, 4A090 and the related ECCNs",
  test("item_a", "==", true), test("dest_macau", "==", true), test("as_of", ">=", "2023-01-17") }
