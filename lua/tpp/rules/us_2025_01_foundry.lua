-- Foundry and OSAT due diligence (January 2025): a front-end fabricator or
-- OSAT must presume an applicable advanced logic IC is 3A090.a and designed
-- for datacenters, unless an approved/authorized designer attests otherwise
-- or the packaged IC's transistor count is below the limits (30 billion; 35
-- billion without HBM for exports in 2027; 40 billion from 2029). A count
-- that cannot be confirmed keeps the presumption. Sources: 90 FR 5298, 90 FR 9604,
-- 91 FR 17851; Note 1 to 3A090.a and 15 CFR 743.9 as in the eCFR of 2026-07-23.

version {
  id = "us-2025-01-foundry",
  title = "Foundry/OSAT due diligence: transistor-count presumption for advanced logic ICs (Jan 2025)",
  instrument = "Interim final rule: Implementation of Additional Due Diligence Measures for Advanced " ..
    "Computing Integrated Circuits; Amendments and Clarifications; and Extension of Comment Period",
  citation = "90 FR 5298 (FR Doc 2025-00711); correction 90 FR 9604; designer extension 91 FR 17851",
  jurisdiction = "US: EAR, Note 1 to 3A090.a; 15 CFR 743.9",
  track = "foundry",
  subject = "the foundry presumption (Note 1 to 3A090.a)",
  status = "in force",
  status_note = "binds front-end fabricators and OSATs only",
  provenance = "secondary",
  dates = { published = "2025-01-16", effective = "2025-01-16", corrected = "2025-02-14" },
  source = "90 FR 5298 (Note 1 to 3A090.a; 15 CFR 743.9); correction 90 FR 9604; eCFR of 2026-07-23",
}

threshold { "foundry.transistors_b", 30, unit = "billion transistors", provenance = "secondary",
  source = "Note 1 to 3A090.a (b)/(c): aggregated approximated transistor count below 30 billion" }
threshold { "foundry.no_hbm.transistors_b", unit = "billion transistors", provenance = "secondary",
  source = "Note 1 to 3A090.a (b)/(c): no HBM and below 35 billion (exports completed in 2027) or " ..
    "40 billion (2029 or later)",
  series = {
    { "2025-01-16", 30 },
    { "2027-01-01", 35 },
    { "2028-01-01", 35, note = "2028: the eCFR text gives no figure (eCFR of 2026-07-23, Note 1 to 3A090.a); the 2027 " ..
      "figure of 35 billion is assumed to carry on until the 2029 figure applies" },
    { "2029-01-01", 40 },
  } }

local unconfirmed = { if_unknown = "true",
  why = "a transistor count that cannot be confirmed keeps the presumption (Note 1 (d))" }

paragraph { "Note 1(b): at or above the no-HBM limit", class = "3A090.a (presumed)", eccn = "3A090.a",
  outcome = "presumed",
  text = "transistor count at or above the no-HBM limit for the year (30, 35 or 40 billion), with or " ..
    "without HBM",
  test("transistors_b", ">=", "foundry.no_hbm.transistors_b", unconfirmed),
}
paragraph { "Note 1(b): HBM, 30 billion or more", class = "3A090.a (presumed)", eccn = "3A090.a",
  outcome = "presumed",
  text = "HBM in the package and 30 billion transistors or more",
  test("hbm", "==", true),
  test("transistors_b", ">=", "foundry.transistors_b", unconfirmed),
}

checklist {
  "Applicable advanced logic IC? Made at the 16/14 nm node or below, or with non-planar transistors " ..
    "(not computed from the chip data)",
  "Rebuttal: an approved IC designer (supp. no. 6 to part 740) or authorized IC designer attests TPP and PD " ..
    "showing the IC is not 3A090.a (authorized-designer window to 2026-12-31, 91 FR 17851)",
  "Transistor-count route: packaged by the front-end fabricator outside Macau/D:5, or by an approved OSAT " ..
    "(supp. no. 7 to part 740), with the fabricator's or OSAT's attestation",
  "The presumption binds front-end fabricators and OSATs; attestations of end users are not sufficient",
}

assumption { "foundry-2028",
  "No figure for exports completed in 2028 appears in the eCFR text; this version uses 35 billion " ..
  "(the 2027 figure) for 2028 (eCFR of 2026-07-23, Note 1 to 3A090.a).",
  alternatives = { "30 billion in 2028 (only the base limit)", "40 billion from 2028" } }
assumption { "foundry-export-date",
  "The export date is the as-of date: the no-HBM limit is read for the year of as_of." }
