-- GAIN AI Act of 2025 (S. 3150 / H.R. 5885): a licence for "advanced
-- integrated circuits" to entities in or headquartered in countries of
-- concern, with a right of first refusal for US buyers. Excluded from the
-- final FY2026 NDAA (reported).

version {
  id = "us-prop-2025-11-gain",
  title = "GAIN AI Act: 'advanced integrated circuit' test (proposal)",
  instrument = "Bill: Guaranteeing Access and Innovation for National Artificial Intelligence Act of 2025",
  citation = "S. 3150 (Sen. Banks, 2025-11-06); H.R. 5885 (Rep. Moolenaar, 2025-10-31)",
  jurisdiction = "US: proposal, not law",
  track = "proposal",
  subject = "the GAIN AI Act's 'advanced integrated circuit'",
  status = "proposal",
  status_note = "excluded from the final FY2026 NDAA [reported: Akin Gump 2025-12-10; Nextgov]",
  provenance = "secondary",
  dates = { introduced = "2025-10-31" },
  source = "S. 3150 / H.R. 5885 bill text (as published on cuibono.fyi; PolicyBrief)",
}

threshold { "gain.tpp", 4800, provenance = "secondary", source = "GAIN AI Act: TPP of 4,800 or more" }
threshold { "gain.b.tpp", 2400, provenance = "secondary", source = "TPP of 2,400 or more and PD of 1.6 or more" }
threshold { "gain.b.pd", 1.6, unit = "TPP/mm2", provenance = "secondary", source = "GAIN AI Act" }
threshold { "gain.c.tpp", 1600, provenance = "secondary", source = "TPP of 1,600 or more and PD of 3.2 or more" }
threshold { "gain.c.pd", 3.2, unit = "TPP/mm2", provenance = "secondary", source = "GAIN AI Act" }
threshold { "gain.dram_gbs", 1400, unit = "GB/s", provenance = "secondary",
  source = "DRAM bandwidth of 1,400 GB/s or more" }
threshold { "gain.io_gbs", 1100, unit = "GB/s", provenance = "secondary",
  source = "interconnect bandwidth of 1,100 GB/s or more" }
threshold { "gain.sum_gbs", 1700, unit = "GB/s", provenance = "secondary",
  source = "DRAM + interconnect of 1,700 GB/s or more" }

paragraph { "GAIN: TPP 4,800", class = "advanced IC (GAIN AI Act)", outcome = "covered",
  text = "TPP of 4,800 or more", test("tpp", ">=", "gain.tpp") }
paragraph { "GAIN: TPP 2,400 and PD 1.6", class = "advanced IC (GAIN AI Act)", outcome = "covered",
  text = "TPP of 2,400 or more and PD of 1.6 or more",
  test("tpp", ">=", "gain.b.tpp"), test("pd", ">=", "gain.b.pd") }
paragraph { "GAIN: TPP 1,600 and PD 3.2", class = "advanced IC (GAIN AI Act)", outcome = "covered",
  text = "TPP of 1,600 or more and PD of 3.2 or more",
  test("tpp", ">=", "gain.c.tpp"), test("pd", ">=", "gain.c.pd") }
paragraph { "GAIN: DRAM 1,400 GB/s", class = "advanced IC (GAIN AI Act)", outcome = "covered",
  text = "DRAM bandwidth of 1,400 GB/s or more", test("mem_bw_gbs", ">=", "gain.dram_gbs") }
paragraph { "GAIN: interconnect 1,100 GB/s", class = "advanced IC (GAIN AI Act)", outcome = "covered",
  text = "interconnect bandwidth of 1,100 GB/s or more", test("interconnect_gbs", ">=", "gain.io_gbs") }
paragraph { "GAIN: DRAM + interconnect 1,700 GB/s", class = "advanced IC (GAIN AI Act)", outcome = "covered",
  text = "DRAM plus interconnect bandwidth of 1,700 GB/s or more", test("dram_io_sum_gbs", ">=", "gain.sum_gbs") }

checklist {
  "A bill, not law (excluded from the final FY2026 NDAA)",
  "Also covered: items in 3A090 or 4A090 'or equivalents' (the parametric tests here include every " ..
    "3A090.a/.b parameter combination)",
  "Licence to entities located or headquartered in a country of concern; the applicant certifies a right " ..
    "of first refusal to US persons (public notice of at least 15 business days), no US backlog and no " ..
    "better terms abroad",
  "Parameters updatable after 36 months",
}

-- Destination scope of the bill (what it would require if enacted).
figure { "destinations", { "CN", "MO", "CU", "IR", "KP", "RU", "VE" },
  unit = "ISO codes: countries of concern (Hong Kong counts as China)", provenance = "assumption",
  source = "the GAIN AI Act's list of countries of concern is not recorded in tpp's sources; the AI OVERWATCH " ..
    "Act's list (H.R. 6875) is used" }
licence { "bill: entity located in a country of concern", provenance = "secondary",
  text = "if enacted: a licence for advanced ICs to entities located in a country of concern",
  source = "S. 3150 / H.R. 5885 (bill text)",
  test("item_ab", "==", true), test("dest_listed", "==", true) }
licence { "bill: entity headquartered in a country of concern", provenance = "secondary",
  text = "if enacted: a licence for advanced ICs to entities headquartered in a country of concern",
  source = "S. 3150 / H.R. 5885 (bill text)",
  test("item_ab", "==", true), test("hq_listed", "==", true) }
