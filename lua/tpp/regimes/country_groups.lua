-- Country groups of 15 CFR part 740, supplement no. 1, as listed in the eCFR of 2026-07-23, with the
-- dated changes since 2022 that moved a destination in or out of a group tpp uses. Membership on an
-- earlier date undoes the later changes. ISO 3166 alpha-2 codes; Hong Kong is screened as China.

measure {
  id = "us-ear-country-groups",
  title = "Country groups A:5, A:6, D:1, D:4, D:5 (15 CFR part 740, supplement no. 1)",
  jurisdiction = "US",
  instrument = "Export Administration Regulations, supplement no. 1 to part 740",
  citation = "15 CFR part 740, supp. no. 1 (eCFR of 2026-07-23)",
  status = "in force",
  provenance = "secondary",
  source = "eCFR of 2026-07-23, supplement no. 1 to 15 CFR part 740, as extracted from the eCFR XML",
  dates = { effective = "2022-10-07" },
  kind = "groups",
  summary = "lists as of 2026-07-23; earlier lists are these with the dated changes below undone",
}

group { "A:5", members = { "AR", "AU", "AT", "BE", "BG", "CA", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
  "IS", "IN", "IE", "IT", "JP", "KR", "LV", "LT", "LU", "NL", "NZ", "NO", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
  "CH", "TR", "AE", "GB" },
  source = "15 CFR part 740 supp. no. 1, Country Group A:5 (eCFR 2026-07-23)", provenance = "secondary" }
group { "A:6", members = { "AL", "CY", "IL", "MT", "MX", "SG", "ZA", "TW" },
  source = "15 CFR part 740 supp. no. 1, Country Group A:6 (eCFR 2026-07-23)", provenance = "secondary" }
group { "D:1", members = { "AM", "AZ", "BY", "MM", "KH", "CN", "GE", "IQ", "KZ", "KP", "KG", "LA", "LY", "MO", "MD",
  "MN", "NI", "RU", "TJ", "TM", "UZ", "VE", "VN", "YE" },
  source = "15 CFR part 740 supp. no. 1, Country Group D:1 (eCFR 2026-07-23)", provenance = "secondary" }
group { "D:4", members = { "BH", "BY", "CN", "EG", "IR", "IQ", "IL", "JO", "KP", "KW", "LB", "LY", "MO", "OM", "PK",
  "QA", "RU", "SA", "SY", "VE", "YE" },
  source = "15 CFR part 740 supp. no. 1, Country Group D:4 (eCFR 2026-07-23)", provenance = "secondary" }
group { "D:5", members = { "AF", "BY", "MM", "CF", "CN", "CD", "CU", "ER", "HT", "IR", "IQ", "KP", "LB", "LY", "NI",
  "RU", "SO", "SS", "SD", "SY", "VE", "ZW" },
  source = "15 CFR part 740 supp. no. 1, Country Group D:5 (eCFR 2026-07-23); Macau is not in D:5: the EAR " ..
    "writes 'Macau or a destination specified in Country Group D:5'",
  provenance = "secondary" }
group { "E:1", members = { "IR", "KP", "SY" },
  source = "15 CFR part 740 supp. no. 1, Country Group E:1 (terrorist-supporting countries), eCFR 2026-07-23",
  provenance = "secondary" }
group { "E:2", members = { "CU" },
  source = "15 CFR part 740 supp. no. 1, Country Group E:2 (unilateral embargo), eCFR 2026-07-23",
  provenance = "secondary" }

group_change { "KH", group = "D:5", change = "removed", date = "2026-02-04",
  source = "91 FR 5091 (2026-02-04): Cambodia removed from Country Group D:5", provenance = "secondary" }
group_change { "AE", group = "D:4", change = "removed", date = "2026-07-10",
  source = "91 FR 43034 (published 2026-07-14, effective 2026-07-10): the UAE removed from D:3 and D:4",
  provenance = "primary" }
group_change { "AE", group = "A:5", change = "added", date = "2026-07-10",
  source = "91 FR 43034 (published 2026-07-14, effective 2026-07-10): the UAE added to A:5", provenance = "primary" }

-- Regions screened as destinations of their own (15 CFR 746.6). Codes are tpp's, not ISO.
region { "UA-CRIMEA", name = "Crimea region of Ukraine", country = "UA",
  aliases = { "Crimea", "Crimean Peninsula", "Sevastopol", "Crimea region" } }
region { "UA-DNR", name = "so-called Donetsk People's Republic region of Ukraine", country = "UA",
  aliases = { "DNR", "Donetsk People's Republic", "Donetsk region", "so-called DNR" } }
region { "UA-LNR", name = "so-called Luhansk People's Republic region of Ukraine", country = "UA",
  aliases = { "LNR", "Luhansk People's Republic", "Luhansk region", "Lugansk", "so-called LNR" } }
