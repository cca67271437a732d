-- AI OVERWATCH Act (H.R. 6875, Rep. Mast, introduced 2025-12-18): licences for
-- "covered integrated circuits" to entities in or headquartered in countries
-- of concern, with 30-day congressional review. The covered-IC test is the
-- GAIN AI Act's, but ICs not designed or marketed for datacenters are
-- excluded. H.R. 6875 (congress.gov bill text: primary).

version {
  id = "us-prop-2025-12-overwatch",
  title = "AI OVERWATCH Act: 'covered integrated circuit' test (proposal)",
  instrument = "Bill: AI OVERWATCH Act",
  citation = "H.R. 6875 (Rep. Mast, introduced 2025-12-18; HFAC)",
  jurisdiction = "US: proposal, not law",
  track = "proposal",
  subject = "the AI OVERWATCH Act's 'covered integrated circuit'",
  status = "proposal",
  status_note = "advanced by HFAC in late January 2026 [reported]",
  provenance = "primary",
  dates = { introduced = "2025-12-18" },
  source = "H.R. 6875 (congress.gov bill text)",
}

threshold { "covered.tpp", 4800, provenance = "primary", source = "H.R. 6875: TPP of 4,800 or more" }
threshold { "covered.b.tpp", 2400, provenance = "primary", source = "TPP of 2,400 or more and PD of 1.6 or more" }
threshold { "covered.b.pd", 1.6, unit = "TPP/mm2", provenance = "primary", source = "H.R. 6875" }
threshold { "covered.c.tpp", 1600, provenance = "primary", source = "TPP of 1,600 or more and PD of 3.2 or more" }
threshold { "covered.c.pd", 3.2, unit = "TPP/mm2", provenance = "primary", source = "H.R. 6875" }
threshold { "covered.dram_gbs", 1400, unit = "GB/s", provenance = "primary",
  source = "DRAM bandwidth of 1,400 GB/s or more" }
threshold { "covered.io_gbs", 1100, unit = "GB/s", provenance = "primary",
  source = "interconnect of 1,100 GB/s or more" }
threshold { "covered.sum_gbs", 1700, unit = "GB/s", provenance = "primary",
  source = "DRAM + interconnect of 1,700 GB/s or more" }

local class = "covered IC (AI OVERWATCH Act)"
paragraph { "OVERWATCH: TPP 4,800", class = class, outcome = "covered",
  text = "TPP of 4,800 or more", test("tpp", ">=", "covered.tpp") }
paragraph { "OVERWATCH: TPP 2,400 and PD 1.6", class = class, outcome = "covered",
  text = "TPP of 2,400 or more and PD of 1.6 or more",
  test("tpp", ">=", "covered.b.tpp"), test("pd", ">=", "covered.b.pd") }
paragraph { "OVERWATCH: TPP 1,600 and PD 3.2", class = class, outcome = "covered",
  text = "TPP of 1,600 or more and PD of 3.2 or more",
  test("tpp", ">=", "covered.c.tpp"), test("pd", ">=", "covered.c.pd") }
paragraph { "OVERWATCH: DRAM 1,400 GB/s", class = class, outcome = "covered",
  text = "DRAM bandwidth of 1,400 GB/s or more", test("mem_bw_gbs", ">=", "covered.dram_gbs") }
paragraph { "OVERWATCH: interconnect 1,100 GB/s", class = class, outcome = "covered",
  text = "interconnect bandwidth of 1,100 GB/s or more", test("interconnect_gbs", ">=", "covered.io_gbs") }
paragraph { "OVERWATCH: DRAM + interconnect 1,700 GB/s", class = class, outcome = "covered",
  text = "DRAM plus interconnect bandwidth of 1,700 GB/s or more",
  test("dram_io_sum_gbs", ">=", "covered.sum_gbs") }

note { "not for datacenters", kind = "exclude", targets = { class },
  text = "ICs not designed or marketed for use in datacenters are not covered",
  test("datacenter", "==", false) }

checklist {
  "A bill, not law",
  "Countries of concern: PRC (incl. Hong Kong and Macau), Cuba, Iran, North Korea, Russia, Venezuela " ..
    "under Maduro; entities located or headquartered there (or with an ultimate parent there)",
  "No general licences; 30-day congressional review with joint-resolution block; existing licences terminated",
  "'Trusted US person' exemption: most of its TPP stays in the US; at most 10 % ownership from countries of concern",
}
assumption { "overwatch-3a090-date",
  "TPP and PD are as defined in 3A090 on 2025-12-15, which equal the current definitions." }

-- Destination scope of the bill (what it would require if enacted).
figure { "destinations", { "CN", "MO", "CU", "IR", "KP", "RU", "VE" },
  unit = "ISO codes: countries of concern (Hong Kong counts as China)", provenance = "primary",
  source = "H.R. 6875: countries of concern: the PRC including Hong Kong and Macau, Cuba, Iran, North Korea, " ..
    "Russia, and Venezuela under Maduro" }
licence { "bill: entity located in a country of concern", provenance = "primary",
  text = "if enacted: a licence for covered ICs to entities located in a country of concern",
  source = "H.R. 6875 (congress.gov bill text)",
  test("item_ab", "==", true), test("dest_listed", "==", true) }
licence { "bill: entity headquartered in a country of concern", provenance = "primary",
  text = "if enacted: a licence for covered ICs to entities headquartered (or with an ultimate parent) in a " ..
    "country of concern", source = "H.R. 6875 (congress.gov bill text)",
  test("item_ab", "==", true), test("hq_listed", "==", true) }
