-- April 2024 corrections: no change to the 3A090 thresholds; License Exception
-- NAC split into NAC (notified, D:5/Macau) and ACA (D:1/D:4). RULES.md §1.1, §4.4.

version {
  id = "us-2024-04",
  extends = "us-2023-10",
  title = "Advanced computing ICs: 3A090 after the April 2024 corrections (NAC and ACA)",
  instrument = "Corrections and clarifications to the October 2023 rules",
  citation = "89 FR 23876 (FR Doc 2024-07004)",
  status = "in force",
  status_note = "3A090 thresholds as in 88 FR 73458; NAC split into NAC and ACA",
  supersedes = "us-2023-10",
  provenance = "secondary",
  dates = { published = "2024-04-04", effective = "2024-04-04" },
  source = "RULES.md §1.1 (citation primary; content reported), §4.4",
}

note { "NAC (15 CFR 740.8)", kind = "outcome", targets = { "3A090.a" }, outcome = "nac-eligible",
  text = "License Exceptions NAC (D:5 and Macau, with prior notification) and ACA (D:1/D:4, no " ..
    "notification) cover 3A090 except items designed or marketed for datacenters that meet 3A090.a",
  test("datacenter", "==", false),
  requires = { "NAC to D:5 or Macau (or D:5/Macau-headquartered parties) needs prior notification to BIS; " ..
    "ACA to other D:1/D:4 destinations needs none" },
}

assumption { "2024-04-content",
  "The content of 89 FR 23876 is known from secondary and reported summaries (RULES.md §1.1); no " ..
  "threshold changed." }
