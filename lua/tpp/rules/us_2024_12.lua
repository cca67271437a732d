-- December 2024: adds 3A090.c (high-bandwidth memory) and License Exception
-- HBM. 89 FR 96790 (secondary).

version {
  id = "us-2024-12",
  extends = "us-2024-04",
  title = "Advanced computing ICs and HBM: 3A090.a/.b/.c (Dec 2024)",
  instrument = "Interim final rule: Foreign-Produced Direct Product Rule Additions, and Refinements to " ..
    "Controls for Advanced Computing and Semiconductor Manufacturing Items",
  citation = "89 FR 96790 (FR Doc 2024-28270, RIN 0694-AJ74)",
  status = "in force",
  supersedes = "us-2024-04",
  provenance = "secondary",
  dates = { effective = "2024-12-02", published = "2024-12-05", compliance = "2024-12-31" },
  source = "89 FR 96790 (text as quoted in secondary sources); 15 CFR 740.25",
}

threshold { "3A090.c.mbd", 2, unit = "GB/s/mm2", provenance = "secondary",
  source = "3A090.c (89 FR 96790): high-bandwidth memory with memory bandwidth density greater than " ..
    "2 GB/s/mm2" }
threshold { "hbm-exception.mbd", 3.3, unit = "GB/s/mm2", provenance = "secondary",
  source = "15 CFR 740.25 (License Exception HBM): 3A090.c items with memory bandwidth density less " ..
    "than 3.3 GB/s/mm2" }

paragraph { "3A090.c", eccn = "3A090.c", outcome = "controlled",
  text = "high-bandwidth memory (stand-alone DRAM stacks, JEDEC HBM or not) with memory bandwidth " ..
    "density greater than 2 GB/s/mm2",
  test("memory_item", "==", true),
  test("mbd", ">", "3A090.c.mbd"),
  requires = {
    "3A090.c excludes co-packaged ICs with HBM and logic whose dominant function is processing; it " ..
      "includes HBM permanently affixed to a logic IC designed as a control interface with a PHY",
    "3A090.c is not eligible for NAC/ACA; licence to Macau and D:5",
  },
}
note { "License Exception HBM (15 CFR 740.25)", kind = "outcome", targets = { "3A090.c" },
  outcome = "hbm-eligible",
  text = "3A090.c items with memory bandwidth density less than 3.3 GB/s/mm2 may use License Exception HBM",
  test("mbd", "<", "hbm-exception.mbd"),
  requires = { "License Exception HBM: to Macau/D:5 only when bought directly by the designer of the " ..
    "co-packaged commodity, and shipped directly to the packaging site; records and confirmations for " ..
    "A:5/A:6 or US-headquartered packaging sites" },
}

precedence { "3A090.a", "3A090.b", "3A090.c" }

assumption { "hbm-compliance-date",
  "Rule time for 3A090.c starts at the effective date 2024-12-02; the HBM compliance date was " ..
  "2024-12-31.", alternatives = { "2024-12-31" } }
assumption { "memory-item",
  "Processors (chips with compute figures) are not 3A090.c items: co-packaged HBM with a dominant " ..
  "processing function is excluded. A stand-alone stack is marked with form = 'HBM stack'." }

-- Licence scope of 3A090.c (15 CFR 742.6(a)(6)(i)(B)): Macau or D:5; License Exception HBM below 3.3.
licence { "742.6(a)(6)(i)(B): 3A090.c to Macau or D:5", provenance = "secondary",
  text = "3A090.c to or within Macau or a destination in D:5",
  source = "89 FR 96790: RS licence for 3A090.c to or within Macau or D:5 (15 CFR 742.6(a)(6)(i)(B))",
  test("item_c", "==", true), test("dest_d5_macau", "==", true) }
licence { "HBM: memory bandwidth density below the line", kind = "exception", exception = "HBM",
  provenance = "secondary",
  text = "3A090.c with memory bandwidth density below the License Exception HBM line; to Macau/D:5 the " ..
    "designer of the co-packaged commodity must buy directly and the items ship directly to the packaging site",
  source = "15 CFR 740.25 (89 FR 96790)",
  test("item_c", "==", true), test("mbd", "<", "hbm-exception.mbd") }
