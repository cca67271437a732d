-- Whether an item is subject to the EAR at all (15 CFR 734.3, 734.9). An item in the United States, or
-- US-origin wherever it is, is subject to the EAR (734.3(a)(1)-(2)). A foreign-produced item is subject
-- only when a foreign-direct-product (FDP) rule reaches it: it is the direct product of listed US
-- technology or software, or made in a plant (or with major plant equipment) that is, AND the rule's
-- destination, party or end-use condition holds. De minimis US content (734.4) is not computed.
-- reach: entries { from, to, codes, groups, anywhere, hq = true (D:5/Macau-headquartered party),
--   footnote = 1 | 4 (an Entity List party with that footnote), end_use = "supercomputer" }.

measure { id = "us-ear-734.9", title = "Foreign-direct-product rules (15 CFR 734.9)", jurisdiction = "US",
  instrument = "Export Administration Regulations, 15 CFR 734.9", citation = "15 CFR 734.9",
  status = "in force", provenance = "secondary", kind = "fdp",
  source = "15 CFR 734.9 (eCFR transcription of 2026-07-23); 85 FR 29849 and 85 FR 51596 (footnote 1); " ..
    "87 FR 62186 (advanced computing, supercomputer, footnote 4); 87 FR 12226 (Russia); 88 FR 12150 (Iran)" }

fdp { "734.9(h) advanced computing", measure = "us-ear-734.9", paragraph = "15 CFR 734.9(h)",
  items = { "3A090", "4A090" },
  reach = {
    { from = "2022-10-07", to = "2023-01-17", codes = { "CN" } },
    { from = "2023-01-17", to = "2023-11-17", codes = { "CN", "MO" } },
    { from = "2023-11-17", groups = { "D:1", "D:4", "D:5" }, codes = { "MO" }, hq = true },
    { from = "2025-01-13", anywhere = true,
      note = "worldwide reach as written in the eCFR (AI Diffusion text); BIS's non-enforcement may narrow it" },
  },
  text = "a foreign-produced 3A090/4A090 item that is the direct product of listed US technology or software, " ..
    "or of a plant (or major plant component) that is, destined to the rule's destinations or parties",
  source = "15 CFR 734.9(h); licence basis 742.6(a)(6)", provenance = "secondary" }
fdp { "734.9(e)(1) Entity List footnote 1", measure = "us-ear-734.9", paragraph = "15 CFR 734.9(e)(1)",
  items = { "all" }, from = "2020-05-15",
  reach = { { from = "2020-05-15", footnote = 1 } },
  text = "any foreign-produced item made from listed US technology or software (or such a plant) when a footnote 1 " ..
    "entity (Huawei) is a party, or the item goes into anything such an entity produces, purchases or orders",
  source = "85 FR 29849 (2020-05-15); broadened by 85 FR 51596 (2020-08-17); licence under 744.11(a)(2)(i)",
  provenance = "secondary" }
fdp { "734.9(e)(2) Entity List footnote 4", measure = "us-ear-734.9", paragraph = "15 CFR 734.9(e)(2)",
  items = { "all" }, from = "2022-10-07",
  reach = { { from = "2022-10-07", footnote = 4 } },
  text = "any foreign-produced item made from listed US technology or software (or such a plant) when a footnote 4 " ..
    "entity is a party", source = "87 FR 62186; licence under 744.11(a)(2)(ii)", provenance = "secondary" }
fdp { "734.9(f) Russia and Belarus", measure = "us-ear-734.9", paragraph = "15 CFR 734.9(f)",
  items = { "ccl" },
  reach = {
    { from = "2022-02-24", codes = { "RU" } },
    { from = "2022-03-02", codes = { "BY" } },
    { from = "2023-05-19", codes = { "UA-CRIMEA" } },
  },
  text = "a foreign-produced item in any ECCN made from US technology or software, destined to Russia, Belarus " ..
    "or (from 2023-05-19) occupied Crimea",
  source = "87 FR 12226; 87 FR 13048; 88 FR 33422 (Crimea)", provenance = "secondary" }
fdp { "734.9(i) supercomputer", measure = "us-ear-734.9", paragraph = "15 CFR 734.9(i)",
  items = { "all" },
  reach = {
    { from = "2022-10-07", to = "2023-01-17", codes = { "CN" }, end_use = "supercomputer" },
    { from = "2023-01-17", codes = { "CN", "MO" }, end_use = "supercomputer" },
  },
  text = "any foreign-produced item made from listed US technology or software, with knowledge that it will be " ..
    "used for a supercomputer located in or destined to China or Macau", source = "15 CFR 734.9(i)",
  provenance = "secondary" }
fdp { "734.9(j) Iran", measure = "us-ear-734.9", paragraph = "15 CFR 734.9(j)",
  items = { "ccl" },
  reach = { { from = "2023-02-24", codes = { "IR" } } },
  text = "a foreign-produced item in Categories 3-9 of the CCL made from US Category 3-9 technology or software " ..
    "(or such a plant), destined to Iran", source = "15 CFR 734.9(j); 88 FR 12150", provenance = "reported" }
