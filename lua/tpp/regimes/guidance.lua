-- BIS guidance of 2025-05-13 on General Prohibition 10 (15 CFR 736.2(b)(10)) and PRC advanced-computing
-- chips: because a US authorization was very probably needed to design or produce any PRC IC meeting
-- 3A090 (US EDA software and technology, equipment that is the direct product of US technology, Entity
-- List footnote 1/4 parties), using, selling, transferring, financing or servicing such a chip without
-- authorization may violate GP10. Named: Huawei Ascend 910B, 910C, 910D; the list is not exhaustive.
-- Safe harbour: acquisition solely for technical analysis or evaluation (e.g. destructive testing).

measure { id = "bis-2025-05-gp10", title = "BIS guidance on GP10 and PRC 3A090 ICs (2025-05-13)", jurisdiction = "US",
  instrument = "BIS guidance applying General Prohibition 10 (15 CFR 736.2(b)(10))",
  citation = "BIS guidance of 2025-05-13 on PRC advanced-computing ICs; 15 CFR 736.2(b)(10)",
  status = "guidance", provenance = "secondary", kind = "guidance", dates = { effective = "2025-05-13" },
  source = "BIS 2025-05-13 guidance as quoted by Alston & Bird, Freshfields and Digital Policy Alert; the press " ..
    "release first said using Ascend chips 'anywhere in the world violates U.S. export controls', later " ..
    "'alerting industry to the risks'",
  status_note = "guidance interpreting GP10, which is in force; not a rule of its own" }

guidance { "GP10: named Ascend parts", measure = "bis-2025-05-gp10",
  applies = { chips = { "hw_910b", "hw_910c" }, names = { "Ascend 910B", "Ascend 910C", "Ascend 910D" } },
  outcome = "licence-required",
  text = "Huawei Ascend 910B/910C/910D are named in BIS's GP10 guidance: using, selling, transferring, financing " ..
    "or servicing them without BIS authorization risks violating General Prohibition 10, anywhere in the world",
  source = "BIS guidance of 2025-05-13 (named parts)", provenance = "secondary" }
guidance { "GP10: other PRC 3A090 ICs", measure = "bis-2025-05-gp10",
  applies = { designer_country = "CN", eccn = "3A090" },
  outcome = "undetermined",
  text = "a PRC-designed IC meeting 3A090: the guidance covers every PRC 3A090 IC (its list is not exhaustive); " ..
    "whether this one was made with US technology, software or equipment decides it, and tpp cannot see that",
  source = "BIS guidance of 2025-05-13 (not exhaustive list)", provenance = "secondary" }
