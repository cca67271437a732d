-- End-use and end-user controls of 15 CFR part 744 that reach AI chips whatever their ECCN. tpp cannot
-- see an end use: it asks (end_use = ...) and, when none is given, lists these under not_screened.
-- scope: entries { from, to, codes = { ISO codes }, groups = { country groups }, anywhere = true,
--   outcome = ..., note = ... }; every entry covering the date and the destination applies.
-- items: ECCN families the paragraph reaches ("all" = every item subject to the EAR, EAR99 included).

measure { id = "us-ear-744.23", title = "Supercomputer, advanced-node IC and SME end uses (15 CFR 744.23)",
  jurisdiction = "US", instrument = "Export Administration Regulations, 15 CFR 744.23",
  citation = "15 CFR 744.23; 87 FR 62186; 88 FR 2821; 88 FR 73458; 88 FR 73424", status = "in force",
  provenance = "secondary", kind = "end-use", dates = { effective = "2022-10-07" },
  source = "15 CFR 744.23 as created by 87 FR 62186 (2022-10-07), extended to Macau by 88 FR 2821 " ..
    "(2023-01-17) and to D:5 by 88 FR 73458 and 88 FR 73424 (2023-11-17); eCFR transcription of 2026-07-23" }
measure { id = "us-ear-744.21", title = "Military end use and end users (15 CFR 744.21)", jurisdiction = "US",
  instrument = "Export Administration Regulations, 15 CFR 744.21", citation = "15 CFR 744.21; 87 FR 12226",
  status = "in force", provenance = "secondary", kind = "end-use",
  source = "15 CFR 744.21 (eCFR 2026-07-23): any item for Russia and Belarus (87 FR 12226); items in " ..
    "supplement no. 2 to part 744 for Burma, Cambodia, China, Nicaragua and Venezuela" }
measure { id = "us-ear-744.22", title = "Military-intelligence end use and end users (15 CFR 744.22)",
  jurisdiction = "US", instrument = "Export Administration Regulations, 15 CFR 744.22", citation = "15 CFR 744.22",
  status = "in force", provenance = "secondary", kind = "end-use",
  source = "15 CFR 744.22 (eCFR 2026-07-23): any item subject to the EAR for a military-intelligence end use " ..
    "or end user in Belarus, Burma, Cambodia, China, Russia, Venezuela, or a Country Group E:1/E:2 destination" }
measure { id = "us-ear-744.2-4", title = "Nuclear, missile, chemical and biological weapons end uses " ..
  "(15 CFR 744.2-744.4)", jurisdiction = "US", instrument = "Export Administration Regulations, part 744",
  citation = "15 CFR 744.2, 744.3, 744.4", status = "in force", provenance = "unverified", kind = "end-use",
  source = "15 CFR 744.2-744.4: licence for any item subject to the EAR with knowledge of a prohibited weapons " ..
    "end use (country exemptions of those sections are not modelled)" }
measure { id = "bis-2025-05-ai-training", title = "BIS policy statement on AI training and inference for " ..
  "D:5/Macau-headquartered parties (2025-05-13)", jurisdiction = "US",
  instrument = "BIS guidance (press release and policy statement of 2025-05-13)",
  citation = "BIS press release of 2025-05-13 and its AI training/inference policy statement",
  status = "guidance", provenance = "reported", kind = "end-use", dates = { effective = "2025-05-13" },
  source = "BIS 2025-05-13 guidance: supplying IaaS or chips for training or inference of models for parties " ..
    "headquartered in D:5 or Macau may require licences (summaries by Alston & Bird, AsianFin)",
  status_note = "guidance, not a codified end-use control; no AI-training paragraph exists in 744.23" }

end_use { "supercomputer", title = "supercomputer end use (744.23(a)(1))", measure = "us-ear-744.23",
  aliases = { "supercomputing", "hpc-supercomputer", "exascale" },
  items = { "3A001", "3A991", "4A994", "3A090", "4A090" },
  scope = {
    { from = "2022-10-07", to = "2023-01-17", codes = { "CN" } },
    { from = "2023-01-17", to = "2023-11-17", codes = { "CN", "MO" } },
    { from = "2023-11-17", codes = { "MO" }, groups = { "D:5" } },
  },
  outcome = "licence-required", review = "presumption of denial",
  text = "for the development, production, operation, installation, maintenance, repair, overhaul or " ..
    "refurbishing of a supercomputer located in or destined to China (Macau from 2023-01-17, D:5 from 2023-11-17)",
  source = "15 CFR 744.23(a)(1); supercomputer = 100 FP64 petaflops or 200 FP32 petaflops within 41,600 ft3 " ..
    "(15 CFR 772.1)", provenance = "secondary",
  note = "3A090 items need a licence to these destinations anyway; the paragraph matters for 3A991.p chips" }
end_use { "advanced-node-ic", title = "advanced-node IC production end use (744.23(a)(2))", measure = "us-ear-744.23",
  aliases = { "fab", "ic-fab", "advanced-node", "semiconductor-fab" },
  items = { "all" },
  scope = {
    { from = "2022-10-07", to = "2023-01-17", codes = { "CN" } },
    { from = "2023-01-17", to = "2023-11-17", codes = { "CN", "MO" } },
    { from = "2023-11-17", codes = { "MO" }, groups = { "D:5" } },
  },
  outcome = "licence-required", review = "presumption of denial",
  text = "for the development or production of integrated circuits at a facility in China (Macau, D:5) where " ..
    "advanced-node ICs are produced (logic at 16/14 nm or below or non-planar, NAND of 128 layers or more, " ..
    "DRAM at 18 nm half-pitch or less); any item subject to the EAR",
  source = "15 CFR 744.23(a)(2)", provenance = "secondary" }
end_use { "sme", title = "semiconductor manufacturing equipment end use (744.23(a)(4))", measure = "us-ear-744.23",
  aliases = { "semiconductor-equipment", "sme-production" },
  items = { "all" },
  scope = { { from = "2023-11-17", codes = { "MO" }, groups = { "D:5" } } },
  outcome = "licence-required", review = "presumption of denial (not verified in tpp's sources)",
  text = "for the development or production of semiconductor manufacturing equipment in Macau or D:5 (and by " ..
    "Macau/D:5-headquartered entities anywhere)",
  source = "15 CFR 744.23(a)(4) as added by 88 FR 73424", provenance = "unverified" }
end_use { "military", title = "military end use or end user (744.21)", measure = "us-ear-744.21",
  aliases = { "military-end-use", "meu", "defense", "defence" },
  items = { "all" },
  scope = {
    { from = "2022-02-24", codes = { "RU" } },
    { from = "2022-03-02", codes = { "BY" } },
    { codes = { "CN", "MM", "KH", "NI", "VE" }, outcome = "undetermined",
      note = "licence only for items listed in supplement no. 2 to part 744: check the item's ECCN there" },
  },
  outcome = "licence-required", review = "policy of denial",
  text = "military end use or military end user", source = "15 CFR 744.21", provenance = "secondary" }
end_use { "military-intelligence", title = "military-intelligence end use or end user (744.22)",
  measure = "us-ear-744.22", aliases = { "mieu", "intelligence" },
  items = { "all" },
  scope = { { codes = { "BY", "MM", "KH", "CN", "RU", "VE" }, groups = { "E:1", "E:2" } } },
  outcome = "licence-required", review = "presumption of denial (not verified in tpp's sources)",
  text = "military-intelligence end use or end user", source = "15 CFR 744.22", provenance = "secondary" }
end_use { "wmd", title = "nuclear, missile, chemical or biological weapons end use (744.2-744.4)",
  measure = "us-ear-744.2-4", aliases = { "nuclear", "missile", "chemical-weapons", "biological-weapons" },
  items = { "all" },
  scope = { { anywhere = true } },
  outcome = "licence-required", review = "not recorded in tpp's sources",
  text = "nuclear explosive, missile, or chemical or biological weapons end use", source = "15 CFR 744.2-744.4",
  provenance = "unverified" }
end_use { "ai-training", title = "AI model training or inference for a D:5/Macau-headquartered party (guidance)",
  measure = "bis-2025-05-ai-training", aliases = { "training", "inference", "iaas", "ai-inference" },
  items = { "3A090", "4A090", "3A991", "4A994" },
  scope = { { from = "2025-05-13", anywhere = true } },
  outcome = "undetermined", review = "not stated",
  text = "training or inference of AI models for parties headquartered in D:5 or Macau: BIS guidance says a " ..
    "licence may be required; it is guidance, so tpp cannot decide it (ask BIS)",
  source = "BIS guidance of 2025-05-13 (reported)", provenance = "reported",
  note = "applies only where the model's owner is headquartered in D:5 or Macau (or its headquarters is unknown)" }
end_use { "civil", title = "none of the controlled end uses (as the exporter knows it)", measure = "us-ear-744.23",
  aliases = { "none", "commercial", "cloud", "datacenter", "research" },
  items = { "all" }, scope = { { anywhere = true } }, outcome = "no-licence-required",
  text = "the exporter states that none of the part 744 end uses applies (supercomputer, advanced-node IC or " ..
    "SME production, military, military-intelligence, weapons); red flags still need a review",
  source = "15 CFR part 744 (what the answer relies on)", provenance = "secondary" }
