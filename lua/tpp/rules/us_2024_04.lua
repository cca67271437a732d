-- April 2024 corrections: no change to the 3A090 thresholds; License Exception
-- NAC split into NAC (notified, D:5/Macau) and ACA (D:1/D:4). 89 FR 23876.

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
  source = "89 FR 23876 (citation primary; content from secondary and reported summaries)",
}

note { "NAC (15 CFR 740.8)", kind = "outcome", targets = { "3A090.a" }, outcome = "nac-eligible",
  text = "License Exceptions NAC (D:5 and Macau, with prior notification) and ACA (D:1/D:4, no " ..
    "notification) cover 3A090 except items designed or marketed for datacenters that meet 3A090.a",
  test("datacenter", "==", false),
  requires = { "NAC to D:5 or Macau (or D:5/Macau-headquartered parties) needs prior notification to BIS; " ..
    "ACA to other D:1/D:4 destinations needs none" },
}

assumption { "2024-04-content",
  "The content of 89 FR 23876 is known from secondary and reported summaries ; no " ..
  "threshold changed." }

-- NAC split (89 FR 23876): NAC (with notification) for Macau/D:5 destinations and D:5/Macau-headquartered
-- buyers; ACA (no notification) for the other D:1/D:4 destinations.
remove "NAC: 3A090.b"
remove "NAC: 3A090.a not datacenter"
local split_source = "15 CFR 740.8 as split by 89 FR 23876 (2024-04-04): NAC with notification for Macau/D:5 " ..
  "or Macau/D:5-headquartered parties; ACA without notification for D:1/D:4; not for datacenter 3A090.a"
licence { "NAC: 3A090.b to Macau/D:5", kind = "exception", exception = "NAC", provenance = "reported",
  source = split_source,
  text = "3A090.b, destination in Macau/D:5: NAC with prior notification to BIS (25-day review)",
  test("item_b", "==", true), test("dest_d5_macau", "==", true) }
licence { "NAC: 3A090.b, buyer headquartered in Macau/D:5", kind = "exception", exception = "NAC",
  provenance = "reported", source = split_source,
  text = "3A090.b, buyer headquartered in Macau/D:5: NAC with prior notification to BIS",
  test("item_b", "==", true), test("hq_d5_macau", "==", true) }
licence { "NAC: 3A090.a not datacenter to Macau/D:5", kind = "exception", exception = "NAC",
  provenance = "reported", source = split_source,
  text = "3A090.a not designed or marketed for datacenters, destination in Macau/D:5: NAC with notification",
  test("item_a", "==", true), test("datacenter", "==", false), test("dest_d5_macau", "==", true) }
licence { "NAC: 3A090.a not datacenter, buyer headquartered in Macau/D:5", kind = "exception",
  exception = "NAC", provenance = "reported", source = split_source,
  text = "3A090.a not designed or marketed for datacenters, buyer headquartered in Macau/D:5: NAC with notification",
  test("item_a", "==", true), test("datacenter", "==", false), test("hq_d5_macau", "==", true) }
licence { "ACA: 3A090.b", kind = "exception", exception = "ACA", provenance = "reported", source = split_source,
  text = "3A090.b, D:1/D:4 destination outside Macau/D:5: ACA, no notification",
  test("item_b", "==", true), test("dest_d5_macau", "==", false), test("hq_d5_macau", "==", false) }
licence { "ACA: 3A090.a not datacenter", kind = "exception", exception = "ACA", provenance = "reported",
  source = split_source,
  text = "3A090.a not designed or marketed for datacenters, D:1/D:4 destination outside Macau/D:5: ACA",
  test("item_a", "==", true), test("datacenter", "==", false), test("dest_d5_macau", "==", false),
  test("hq_d5_macau", "==", false) }
