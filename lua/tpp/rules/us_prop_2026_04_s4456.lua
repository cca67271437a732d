-- S. 4456 (Sen. Banks et al., 2026-04-30), the Senate version of the AI
-- OVERWATCH Act: it keeps the "covered integrated circuit" test and adds a
-- stricter "restricted integrated circuit": TPP of 21,000 or more, or TPP of
-- 1,600 or more with PD of 21 or more, or - for ICs first marketed after
-- 2026-01-01 - the 4,800 / 2,400 & 1.6 / 1,600 & 3.2 tests. Non-datacenter
-- items and CPUs that are not GPUs are excluded. S. 4456 (congress.gov: primary).

version {
  id = "us-prop-2026-04-s4456",
  title = "S. 4456: 'restricted integrated circuit' and 'covered integrated circuit' (proposal)",
  instrument = "Bill: AI OVERWATCH Act (Senate)",
  citation = "S. 4456 (Sen. Banks et al., introduced 2026-04-30)",
  jurisdiction = "US: proposal, not law",
  track = "proposal",
  subject = "S. 4456",
  status = "proposal",
  provenance = "primary",
  dates = { introduced = "2026-04-30" },
  source = "S. 4456 (congress.gov bill text)",
}

threshold { "restricted.tpp", 21000, provenance = "primary", source = "S. 4456: TPP of 21,000 or more" }
threshold { "restricted.pd.tpp", 1600, provenance = "primary",
  source = "S. 4456: TPP of 1,600 or more with PD of 21 or more" }
threshold { "restricted.pd", 21, unit = "TPP/mm2", provenance = "primary", source = "S. 4456" }
threshold { "restricted.new.tpp", 4800, provenance = "primary",
  source = "S. 4456: for ICs first marketed after 2026-01-01, TPP of 4,800 or more" }
threshold { "restricted.new.b.tpp", 2400, provenance = "primary", source = "S. 4456: ... or TPP 2,400 and PD 1.6" }
threshold { "restricted.new.b.pd", 1.6, unit = "TPP/mm2", provenance = "primary", source = "S. 4456" }
threshold { "restricted.new.c.tpp", 1600, provenance = "primary", source = "S. 4456: ... or TPP 1,600 and PD 3.2" }
threshold { "restricted.new.c.pd", 3.2, unit = "TPP/mm2", provenance = "primary", source = "S. 4456" }
threshold { "restricted.first_marketed", 20260101, provenance = "primary",
  source = "S. 4456: first marketed after January 1, 2026", metric = "first_marketed" }
threshold { "covered.tpp", 4800, provenance = "primary", source = "covered IC (as H.R. 6875): TPP of 4,800 or more" }
threshold { "covered.b.tpp", 2400, provenance = "primary", source = "covered IC: TPP 2,400 and PD 1.6" }
threshold { "covered.b.pd", 1.6, unit = "TPP/mm2", provenance = "primary", source = "covered IC" }
threshold { "covered.c.tpp", 1600, provenance = "primary", source = "covered IC: TPP 1,600 and PD 3.2" }
threshold { "covered.c.pd", 3.2, unit = "TPP/mm2", provenance = "primary", source = "covered IC" }
threshold { "covered.dram_gbs", 1400, unit = "GB/s", provenance = "primary", source = "covered IC: DRAM 1,400 GB/s" }
threshold { "covered.io_gbs", 1100, unit = "GB/s", provenance = "primary",
  source = "covered IC: interconnect 1,100 GB/s" }
threshold { "covered.sum_gbs", 1700, unit = "GB/s", provenance = "primary",
  source = "covered IC: DRAM + interconnect 1,700 GB/s" }

local restricted, covered = "restricted IC (S. 4456)", "covered IC (S. 4456)"
paragraph { "restricted: TPP 21,000", class = restricted, outcome = "restricted",
  text = "TPP of 21,000 or more", test("tpp", ">=", "restricted.tpp") }
paragraph { "restricted: PD 21", class = restricted, outcome = "restricted",
  text = "TPP of 1,600 or more and PD of 21 or more",
  test("tpp", ">=", "restricted.pd.tpp"), test("pd", ">=", "restricted.pd") }
paragraph { "restricted: new, TPP 4,800", class = restricted, outcome = "restricted",
  text = "first marketed after 2026-01-01 and TPP of 4,800 or more",
  test("first_marketed", ">", "restricted.first_marketed"), test("tpp", ">=", "restricted.new.tpp") }
paragraph { "restricted: new, TPP 2,400 and PD 1.6", class = restricted, outcome = "restricted",
  text = "first marketed after 2026-01-01, TPP of 2,400 or more and PD of 1.6 or more",
  test("first_marketed", ">", "restricted.first_marketed"),
  test("tpp", ">=", "restricted.new.b.tpp"), test("pd", ">=", "restricted.new.b.pd") }
paragraph { "restricted: new, TPP 1,600 and PD 3.2", class = restricted, outcome = "restricted",
  text = "first marketed after 2026-01-01, TPP of 1,600 or more and PD of 3.2 or more",
  test("first_marketed", ">", "restricted.first_marketed"),
  test("tpp", ">=", "restricted.new.c.tpp"), test("pd", ">=", "restricted.new.c.pd") }
paragraph { "covered: TPP 4,800", class = covered, outcome = "covered",
  text = "TPP of 4,800 or more", test("tpp", ">=", "covered.tpp") }
paragraph { "covered: TPP 2,400 and PD 1.6", class = covered, outcome = "covered",
  text = "TPP of 2,400 or more and PD of 1.6 or more",
  test("tpp", ">=", "covered.b.tpp"), test("pd", ">=", "covered.b.pd") }
paragraph { "covered: TPP 1,600 and PD 3.2", class = covered, outcome = "covered",
  text = "TPP of 1,600 or more and PD of 3.2 or more",
  test("tpp", ">=", "covered.c.tpp"), test("pd", ">=", "covered.c.pd") }
paragraph { "covered: DRAM 1,400 GB/s", class = covered, outcome = "covered",
  text = "DRAM bandwidth of 1,400 GB/s or more", test("mem_bw_gbs", ">=", "covered.dram_gbs") }
paragraph { "covered: interconnect 1,100 GB/s", class = covered, outcome = "covered",
  text = "interconnect bandwidth of 1,100 GB/s or more", test("interconnect_gbs", ">=", "covered.io_gbs") }
paragraph { "covered: DRAM + interconnect 1,700 GB/s", class = covered, outcome = "covered",
  text = "DRAM plus interconnect bandwidth of 1,700 GB/s or more",
  test("dram_io_sum_gbs", ">=", "covered.sum_gbs") }

note { "not for datacenters", kind = "exclude", targets = { restricted, covered },
  text = "ICs not designed or marketed for use in datacenters are excluded",
  test("datacenter", "==", false) }

precedence { restricted, covered }

checklist {
  "A bill, not law",
  "CPUs that are not GPUs are excluded (not computed from the chip data)",
  "Countries of concern and licence conditions as in H.R. 6875 (AI OVERWATCH Act)",
}
assumption { "first-marketed",
  "Where a chip has no first_marketed date, its release year stands for mid-year (YYYY-07-01); a 2026 " ..
  "part without a date therefore counts as first marketed after 2026-01-01." }

-- Destination scope of the bill (what it would require if enacted), as in H.R. 6875.
figure { "destinations", { "CN", "MO", "CU", "IR", "KP", "RU", "VE" },
  unit = "ISO codes: countries of concern (Hong Kong counts as China)", provenance = "primary",
  source = "S. 4456 keeps H.R. 6875's countries of concern: the PRC including Hong Kong and Macau, Cuba, Iran, " ..
    "North Korea, Russia, and Venezuela under Maduro" }
licence { "bill: entity located in a country of concern", provenance = "primary",
  text = "if enacted: a licence for covered or restricted ICs to entities located in a country of concern",
  source = "S. 4456 (congress.gov bill text)",
  test("item_ab", "==", true), test("dest_listed", "==", true) }
licence { "bill: entity headquartered in a country of concern", provenance = "primary",
  text = "if enacted: a licence for covered or restricted ICs to entities headquartered in a country of concern",
  source = "S. 4456 (congress.gov bill text)",
  test("item_ab", "==", true), test("hq_listed", "==", true) }
