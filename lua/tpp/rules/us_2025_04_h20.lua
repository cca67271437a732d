-- The April 2025 "is informed" letters (NVIDIA H20, AMD MI308): a licence for
-- China (incl. Hong Kong and Macau), D:5 and parties headquartered there, for
-- the H20 and any IC achieving its memory bandwidth, interconnect bandwidth
-- or their combination. The numbers appear only in bills (GAIN AI Act, AI
-- OVERWATCH Act); that they are the letters' criteria is unconfirmed.
-- RULES.md §1.1, §7.1, §12 item 3.

version {
  id = "us-2025-04-h20",
  title = "H20/MI308 'is informed' letters: memory and interconnect bandwidth criteria (Apr 2025)",
  instrument = "Company-specific 'is informed' letters under 15 CFR 744.23 (not published in the FR)",
  citation = "NVIDIA 8-K filed 2025-04-15 (nvda-20250409), quoted; AMD 8-K/10-Q risk factors",
  jurisdiction = "US: EAR 744.23 (supercomputer end-use rationale)",
  track = "letter",
  subject = "the April 2025 H20 letters",
  status = "reported-only",
  status_note = "criteria reported, not published; licences promised 2025-07-14/15; whether the requirement " ..
    "was formally lifted is unclear",
  provenance = "reported",
  dates = { informed = "2025-04-09", effective = "2025-04-09" },
  scope = "China (incl. Hong Kong and Macau), D:5, and companies headquartered (or with an ultimate parent) there",
  source = "RULES.md §1.1, §7.1, §8.2",
}

threshold { "h20.dram_gbs", 1400, unit = "GB/s", provenance = "reported",
  source = "DRAM bandwidth of 1,400 GB/s or more: GAIN AI Act / AI OVERWATCH Act bill texts (primary as " ..
    "bill text), unconfirmed as the letters' criteria (RULES.md §12 item 3)" }
threshold { "h20.io_gbs", 1100, unit = "GB/s", provenance = "reported",
  source = "interconnect bandwidth of 1,100 GB/s or more: bill texts, unconfirmed as the letters' criteria" }
threshold { "h20.sum_gbs", 1700, unit = "GB/s", provenance = "reported",
  source = "DRAM plus interconnect bandwidth of 1,700 GB/s or more: bill texts, unconfirmed as the " ..
    "letters' criteria" }

paragraph { "H20 letter: DRAM bandwidth", class = "licence (H20 letter)", outcome = "licence-required",
  text = "DRAM bandwidth of 1,400 GB/s or more",
  test("mem_bw_gbs", ">=", "h20.dram_gbs"),
}
paragraph { "H20 letter: interconnect bandwidth", class = "licence (H20 letter)", outcome = "licence-required",
  text = "interconnect bandwidth of 1,100 GB/s or more",
  test("interconnect_gbs", ">=", "h20.io_gbs"),
}
paragraph { "H20 letter: combined bandwidth", class = "licence (H20 letter)", outcome = "licence-required",
  text = "DRAM plus interconnect bandwidth of 1,700 GB/s or more",
  test("dram_io_sum_gbs", ">=", "h20.sum_gbs"),
}

checklist {
  "The letters bind the companies informed (NVIDIA, AMD); other exporters are bound only if informed",
  "Destination: China (incl. Hong Kong and Macau) or D:5, or a party headquartered (or with an ultimate " ..
    "parent) there",
  "A 15 % revenue share was reported (2025-08) but never codified",
}

assumption { "h20-criteria",
  "The numeric criteria (1,400 / 1,100 / 1,700 GB/s) come from congressional bills; the letters say only " ..
  "'the H20's memory bandwidth, interconnect bandwidth, or combination thereof' (RULES.md §12 item 3)." }
