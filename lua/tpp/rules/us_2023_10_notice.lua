-- The notice of 2023-10-23: the US government told NVIDIA that the licence requirement of the October
-- 2023 rule for products with TPP of 4,800 or more that are designed or marketed for datacenters applied
-- at once, before the rule's effective date (2023-11-17). NVIDIA named the A100, A800, H100, H800 and
-- L40S. Company-specific (it binds NVIDIA, the party informed); known from NVIDIA's 8-K of 2023-10-24.
-- From 2023-11-17 the rule itself (us-2023-10) applies and the notice is superseded.

version {
  id = "us-2023-10-notice",
  extends = "us-2023-10",
  title = "Notice to NVIDIA of 2023-10-23: the datacenter TPP 4,800 licence requirement applies at once",
  instrument = "US government notice to NVIDIA (an 'is informed' notice, not published in the FR)",
  citation = "NVIDIA Form 8-K filed 2023-10-24 (event of 2023-10-23), quoted by The Register, VideoCardz, Wccftech",
  jurisdiction = "US: EAR 15 CFR 744.23 ('is informed'), with the destinations of 88 FR 73458",
  track = "letter",
  subject = "the notice of 2023-10-23",
  status = "in force",
  status_note = "company-specific notice (binds NVIDIA); superseded by the rule's effective date 2023-11-17",
  provenance = "secondary",
  dates = { informed = "2023-10-23", effective = "2023-10-23", superseded = "2023-11-17" },
  informed = { "NVIDIA" },
  scope = "the destinations of the October 2023 rule: D:1, D:4, D:5 excluding A:5/A:6, plus Macau",
  source = "NVIDIA 8-K of 2023-10-24 (secondary: quoted)",
}

remove "3A090.a.1"
remove "3A090.a.2"
remove "3A090.b.1"
remove "3A090.b.2"
remove "Note 2 to 3A090"
remove "processing units"
remove "NAC (15 CFR 740.8)"

paragraph { "notice: datacenter, TPP 4800 or more", class = "licence (2023-10-23 notice)",
  outcome = "licence-required",
  text = "designed or marketed for datacenters and TPP of 4800 or more (the 3A090.a.1 line)",
  source = "NVIDIA 8-K of 2023-10-24: products with TPP of 4800 or more designed or marketed for datacenters",
  test("datacenter", "==", true),
  test("tpp", ">=", "3A090.a.1.tpp"),
}
note { "not a processor", kind = "exclude", targets = { "notice: datacenter, TPP 4800 or more" },
  text = "a stand-alone memory device has no processing units", test("memory_item", "==", true) }
precedence { "notice: datacenter, TPP 4800 or more" }

-- the licence scope is the 2023 rule's destinations; the notice says nothing of headquarters, exceptions or
-- a review policy
remove "744.23(a)(3): headquarters"
remove "NAC: 3A090.b"
remove "NAC: 3A090.a not datacenter"
remove "review: D:5 or Macau destination"
remove "review: headquartered in D:5 or Macau"
remove "review: other D:1/D:4"

assumption { "notice-scope",
  "The notice is read as bringing forward the October 2023 rule's requirement for datacenter items with TPP " ..
  "of 4,800 or more, to the rule's destinations; NVIDIA's 8-K of 2023-10-17 described those as China and " ..
  "D:1/D:4/D:5 (e.g. Saudi Arabia, the UAE, Vietnam), excluding Israel." }
