-- ECCN 3A991.p (anti-terrorism controls only): integrated circuits not elsewhere specified with processing
-- performance of 8 TOPS or more (2 x MacTOPS over all processing units, no bit-length factor), or an
-- aggregate bidirectional transfer rate over all inputs and outputs of 150 Gbyte/s or more to or from ICs
-- other than volatile memories. Computers containing such ICs are 4A994.l. Reason for control AT (column 1):
-- no Country Chart destination carries an AT mark, so the entry needs a licence only where part 746 or a
-- part 744 control reaches the transaction.

version {
  id = "us-2023-11-3a991",
  title = "ECCN 3A991.p: ICs with 8 TOPS or 150 GB/s of I/O (anti-terrorism controls)",
  instrument = "Commerce Control List, ECCN 3A991.p (believed introduced by the October 2023 rule)",
  citation = "15 CFR part 774 supp. no. 1, ECCN 3A991.p (eCFR 2026-07-23); believed added by 88 FR 73458",
  jurisdiction = "US: EAR, ECCN 3A991.p and 4A994.l",
  track = "3A991",
  subject = "ECCN 3A991.p",
  status = "in force",
  status_note = "date of introduction not confirmed in tpp's sources (believed 88 FR 73458, effective 2023-11-17)",
  provenance = "secondary",
  dates = { effective = "2023-11-17" },
  scope = "AT column 1 only: licence to the part 746 destinations and under part 744",
  source = "eCFR of 2026-07-23, ECCN 3A991.p (transcription of the eCFR XML)",
}

threshold { "3A991.p.1.tops", 8, unit = "TOPS", provenance = "secondary",
  source = "3A991.p.1: processing performance of 8 TOPS or more (TOPS = 2 x MacTOPS over all processing units)" }
threshold { "3A991.p.2.io_gbs", 150, unit = "GB/s", provenance = "secondary",
  source = "3A991.p.2: aggregate bidirectional transfer rate over all inputs and outputs of 150 Gbyte/s or more " ..
    "to or from ICs other than volatile memories" }

paragraph { "3A991.p.1", eccn = "3A991.p", outcome = "controlled",
  text = "processing performance of 8 TOPS or more",
  test("tops", ">=", "3A991.p.1.tops"),
}
paragraph { "3A991.p.2", eccn = "3A991.p", outcome = "controlled",
  text = "aggregate bidirectional input/output transfer rate of 150 GB/s or more",
  test("interconnect_gbs", ">=", "3A991.p.2.io_gbs"),
}
note { "not a memory device", kind = "exclude", targets = { "3A991.p" },
  text = "a stand-alone memory device is not classified by these paragraphs",
  test("memory_item", "==", true),
}
precedence { "3A991.p" }

assumption { "3a991-date",
  "3A991.p is taken to exist from 2023-11-17 (the October 2023 rule's effective date); before that date tpp " ..
  "does not encode how an IC below 3A090 was classified, and says so.",
  alternatives = { "an earlier 3A991 paragraph" } }
assumption { "3a991-tops",
  "The processing performance is the largest dense TOPS or TFLOPS figure of any precision, summed over " ..
  "processing units (2 x MacTOPS; the datasheet figure)." }
