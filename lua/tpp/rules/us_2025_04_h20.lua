-- The April 2025 "is informed" letters (NVIDIA H20, AMD MI308): a licence for
-- China (incl. Hong Kong and Macau), D:5 and parties headquartered there, for
-- the H20 and any IC achieving its memory bandwidth, interconnect bandwidth
-- or their combination. The numbers appear only in bills (GAIN AI Act, AI
-- OVERWATCH Act); that they are the letters' criteria is unconfirmed. The letters bind the companies
-- informed (NVIDIA, AMD) and apply from 2025-04-09; licences were promised on 2025-07-14/15 and
-- reportedly issued from about 2025-08-08 with a 15 % revenue-share expectation no regulation codifies.

version {
  id = "us-2025-04-h20",
  title = "H20/MI308 'is informed' letters: memory and interconnect bandwidth criteria (Apr 2025)",
  instrument = "Company-specific 'is informed' letters under 15 CFR 744.23 (not published in the FR)",
  citation = "NVIDIA 8-K filed 2025-04-15 (nvda-20250409), quoted; AMD 8-K/10-Q risk factors",
  jurisdiction = "US: EAR 744.23 (supercomputer end-use rationale)",
  track = "letter",
  subject = "the April 2025 H20 letters",
  status = "in force",
  status_note = "company-specific letters (not published in the FR), known from NVIDIA's 8-K; numeric criteria " ..
    "reported, not published; licences promised 2025-07-14/15 and issued from about 2025-08-08 (reported); " ..
    "no source shows the requirement lifted",
  provenance = "reported",
  dates = { informed = "2025-04-09", effective = "2025-04-09" },
  informed = { "NVIDIA", "AMD" },
  scope = "China (incl. Hong Kong and Macau), D:5, and companies headquartered (or with an ultimate parent) there",
  source = "NVIDIA 8-K filed 2025-04-15 (nvda-20250409); AMD 8-K/10-Q risk factors; bill texts for the numbers",
}

threshold { "h20.dram_gbs", 1400, unit = "GB/s", provenance = "reported",
  source = "DRAM bandwidth of 1,400 GB/s or more: GAIN AI Act / AI OVERWATCH Act bill texts (primary as " ..
    "bill text), unconfirmed as the letters' criteria" }
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

note { "not a processor", kind = "exclude", targets = { "licence (H20 letter)" },
  text = "the letters concern processors (the H20, the MI308 and ICs like them), not stand-alone memory devices",
  test("memory_item", "==", true, { if_unknown = "false",
    why = "a part with bandwidth figures and no memory form factor is read as a processor" }) }

checklist {
  "The letters bind the companies informed (NVIDIA, AMD); other exporters are bound only if informed",
  "Destination: China (incl. Hong Kong and Macau) or D:5, or a party headquartered (or with an ultimate " ..
    "parent) there",
  "A 15 % revenue share was reported (2025-08) but never codified",
}

assumption { "h20-criteria",
  "The numeric criteria (1,400 / 1,100 / 1,700 GB/s) come from congressional bills; the letters say only " ..
  "'the H20's memory bandwidth, interconnect bandwidth, or combination thereof'." }

-- Licence scope of the letters: China including Hong Kong and Macau, D:5, and companies headquartered (or
-- with an ultimate parent) there; only for the company informed.
local letter_source = "NVIDIA 8-K of 2025-04-15: licence required to export the H20 (and ICs achieving its " ..
  "memory bandwidth, interconnect bandwidth or combination) to China, including Hong Kong and Macau, and D:5, " ..
  "including companies headquartered or with an ultimate parent there"
licence { "letter: China, Hong Kong, Macau", provenance = "secondary", source = letter_source,
  text = "per the 'is informed' letter: China (including Hong Kong) or Macau",
  test("item_ab", "==", true), test("informed", "==", true), test("dest_china_macau", "==", true) }
licence { "letter: D:5", provenance = "secondary", source = letter_source,
  text = "per the 'is informed' letter: a destination in D:5",
  test("item_ab", "==", true), test("informed", "==", true), test("dest_d5", "==", true) }
licence { "letter: headquartered in D:5 or Macau", provenance = "secondary", source = letter_source,
  text = "per the 'is informed' letter: a company headquartered (or with an ultimate parent) in D:5 or Macau",
  test("item_ab", "==", true), test("informed", "==", true), test("hq_d5_macau", "==", true),
  test("dest_us", "==", false) }

-- Licensing practice under the letters (reported): dated review notes.
licence { "practice: no licences reported", kind = "review", outcome = "not-stated", provenance = "reported",
  text = "no licences reported issued under the letters; NVIDIA took a $4.5 billion charge (letter to SEC staff " ..
    "of 2025-07-31)",
  source = "NVIDIA filings; press reports",
  range("as_of", ">=", "2025-04-09", "<", "2025-07-14") }
licence { "practice: licences promised", kind = "review", outcome = "not-stated", provenance = "reported",
  text = "NVIDIA and AMD said on 2025-07-14/15 that the US government assured them licences would be granted",
  source = "CNBC, Tom's Hardware (2025-07-14/15)",
  range("as_of", ">=", "2025-07-14", "<", "2025-08-08") }
licence { "practice: licences issued, revenue share", kind = "review", outcome = "case-by-case",
  provenance = "reported",
  text = "BIS reportedly began issuing H20 licences about 2025-08-08; a 15 % share of China revenue was reported " ..
    "as an expectation, never codified in a regulation",
  source = "FT and Reuters (2025-08); NVIDIA CFO on 2025-08-27",
  test("as_of", ">=", "2025-08-08") }
