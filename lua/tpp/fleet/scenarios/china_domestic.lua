-- Chinese domestic production of AI accelerators. Published figures differ
-- in what they count (capacity or shipments, dies or packages, 910B or 910C);
-- each row says which reading it takes.
return {
  {
    id = "huawei-2024",
    title = "Huawei Ascend output in 2024 (mostly 910B)",
    rows = {
      { id = "hw-2024", holder = "Huawei", country = "CN", chip = "hw_910b",
        units_low = 500000, units_central = 507000, units_high = 550000, interval = "p90",
        period = "2024", kind = "production", provenance = "reported",
        source = "Financial Times, Jan 2025 (NVIDIA's about 1 million H20 in 2024 were twice Huawei's 910B " ..
          "sales); an analyst shipment figure of 507,000 quoted in news reports; Financial Times citing " ..
          "SemiAnalysis, Jun 2024 (Chinese firms planned to buy about 550,000 910B)",
        note = "the three figures read as p5 / p50 / p95 (tpp's reading of a spread of sources)" },
    },
  },
  {
    id = "huawei-2025",
    title = "Huawei Ascend output in 2025 (910B and 910C)",
    rows = {
      { id = "hw-2025", holder = "Huawei", country = "CN", chip = "hw_910b*0.5+hw_910c*0.5",
        units_low = 200000, units_central = 300000, units_high = 805000, interval = "p90",
        period = "2025", kind = "production", provenance = "derived",
        source = "low: US Under Secretary of Commerce J. Kessler, House Foreign Affairs South and Central Asia " ..
          "subcommittee, 12 Jun 2025 ('Huawei Ascend chip production capacity for 2025 will be at or below " ..
          "200,000'); central: Bloomberg, 'Huawei to Double Output of Top AI Chip as Nvidia Wavers in China', " ..
          "29 Sep 2025 (about 600,000 910C planned for 2026, 'roughly double this year's level'); high: " ..
          "SemiAnalysis, 'Huawei Ascend Production Ramp: Die Banks, TSMC Continued Production, HBM is The " ..
          "Bottleneck', 8 Sep 2025 (805,000 Ascend units in 2025)",
        note = "a triple assembled by tpp from three estimates that count different things (a capacity " ..
          "ceiling, 910C only, all Ascend including die-bank output), read as p5 / p50 / p95; the split " ..
          "between 910B and 910C is not published: half each is tpp's assumption (all-910B and all-910C " ..
          "bracket it; change it with --set hw-2025.chip=...)" },
    },
  },
  {
    id = "huawei-2026-plan",
    title = "Huawei Ascend 910C planned for 2026",
    rows = {
      { id = "hw-2026", holder = "Huawei", country = "CN", chip = "hw_910c",
        units_low = 300000, units_central = 600000, units_high = 800000, interval = "p90",
        period = "2026", kind = "production", provenance = "derived",
        source = "central: Bloomberg, 29 Sep 2025 (about 600,000 910C planned for 2026); high: the same report's " ..
          "up to 1.6 million Ascend dies, at most 800,000 two-die 910C; low: SemiAnalysis, 8 Sep 2025 (about " ..
          "300,000 packaged Ascend in 2026 without new HBM supply)",
        note = "a plan, read as p5 / p50 / p95" },
    },
  },
  {
    id = "cambricon-2025",
    title = "Cambricon accelerators made in 2025",
    rows = {
      { id = "camb-2025", holder = "Cambricon", country = "CN", chip = "camb_mlu590", units = 142000,
        period = "2025", kind = "production", provenance = "reported",
        source = "Bloomberg citing Goldman Sachs, 4 Dec 2025",
        note = "counted as Siyuan 590 (MLU590), Cambricon's data-centre part in tpp's database" },
    },
  },
  {
    id = "cambricon-2026-plan",
    title = "Cambricon accelerators planned for 2026",
    rows = {
      { id = "camb-2026", holder = "Cambricon", country = "CN", chip = "camb_mlu590", units = 500000,
        period = "2026", kind = "production", provenance = "reported",
        source = "Bloomberg, 4 Dec 2025 (about 500,000 accelerators planned for 2026, up to 300,000 of them " ..
          "Siyuan 590/690; Cambricon called the reports inaccurate)",
        note = "the 690 is not in tpp's database: every unit counted as a 590" },
    },
  },
  {
    id = "china-domestic-2025-bernstein",
    title = "All Chinese domestic AI accelerators in 2025 (Bernstein)",
    rows = {
      { id = "cn-domestic-2025", holder = "Chinese domestic vendors", country = "CN", chip = "hw_910b",
        units = 1500000, period = "2025", kind = "production", provenance = "reported",
        source = "Bernstein (S. Rasgon), research note, late 2025, as reported: about 1.5 million domestic AI " ..
          "chips, about 0.6 zettaFLOPS at 910B-class 0.4 PFLOPS each",
        note = "counted as Ascend 910B, the note's own '910B-class' assumption; overlaps huawei-2025 and " ..
          "cambricon-2025 (do not combine them)" },
    },
  },
  {
    id = "china-production",
    title = "Chinese domestic production by year (Huawei and Cambricon), for the rolling technical threshold",
    includes = { "huawei-2024", "huawei-2025", "huawei-2026-plan", "cambricon-2025", "cambricon-2026-plan" },
  },
}
