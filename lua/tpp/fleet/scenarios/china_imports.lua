-- China's legal imports of NVIDIA data-centre GPUs, by tranche.
-- Dollar-to-unit conversions divide a disclosed revenue by a price range that
-- vendors do not disclose; the price is an assumption stated in each note.
return {
  {
    id = "a800-2023",
    title = "NVIDIA A800 ordered by China's internet giants for 2023 delivery",
    rows = {
      { id = "a800-2023", holder = "Baidu, ByteDance, Tencent, Alibaba (combined)", country = "CN",
        chip = "nv_a800_sxm", units = 100000, period = "2023", kind = "shipment", provenance = "reported",
        source = "Financial Times, 'China's internet giants order $5bn of Nvidia chips to power AI ambitions', " ..
          "9 Aug 2023 (as reported by Reuters)",
        note = "about US$1bn for about 100,000 A800 for delivery in 2023; counted as delivered in 2023 " ..
          "(an assumption: the source reports an order; the A800 needed a licence from 17 Nov 2023)" },
    },
  },
  {
    id = "h20-2024",
    title = "NVIDIA H20 shipped to China in 2024",
    rows = {
      { id = "h20-2024", holder = "China (NVIDIA H20 customers)", country = "CN", chip = "nv_h20",
        units_low = 900000, units_central = 1000000, units_high = 1100000, interval = "p90",
        period = "2024-04..2024-12", kind = "shipment", provenance = "reported",
        source = "Financial Times, Jan 2025 (about 1 million H20 supplied to China in 2024); SemiAnalysis, " ..
          "Jan 2025, as reported by the South China Morning Post (more than 1 million H20 produced in the last " ..
          "nine months of 2024); SemiAnalysis, Oct 2024 (about 900,000 HGX H20)",
        note = "low 900,000 (SemiAnalysis, Oct 2024), central 1,000,000 (FT); high 1,100,000 is tpp's " ..
          "assumption (the sources say 'more than 1 million' without a bound), read as p5/p95; shipments spread " ..
          "evenly over April-December 2024" },
    },
  },
  {
    id = "h20-2025",
    title = "NVIDIA H20 shipped to China in 2025 (before and after the April licence requirement)",
    rows = {
      { id = "h20-2025-q1", holder = "China (NVIDIA H20 customers)", country = "CN", chip = "nv_h20",
        units_low = 306667, units_central = 383333, units_high = 460000, interval = "bounds",
        period = "2025-02..2025-04", kind = "shipment", provenance = "derived",
        source = "NVIDIA, Q1 fiscal 2026 results (press release and Form 10-Q), 28 May 2025: US$4.6 billion of " ..
          "H20 revenue before the licence requirement of 9 April 2025",
        note = "units = US$4.6bn / US$15,000, 12,000 and 10,000 per H20 (NVIDIA does not disclose the price; " ..
          "the range is an assumption), read as hard bounds with the mode at US$12,000" },
      { id = "h20-2025-q2", holder = "China (NVIDIA H20 customers)", country = "CN", chip = "nv_h20",
        units = 0, period = "2025-05..2025-07", kind = "shipment", provenance = "primary",
        source = "NVIDIA, Q2 fiscal 2026 results, 27 Aug 2025: no H20 sales to China-based customers in the quarter" },
    },
  },
  {
    id = "china-nvidia-legal",
    title = "China's legally imported NVIDIA stock: A800 (2023) and H20 (2024-2025)",
    includes = { "a800-2023", "h20-2024", "h20-2025" },
    assumptions = {
      "no unit totals were found for H800 deliveries in 2023, nor for L20, L2, RTX 4090 or RTX 4090D sales into " ..
        "China: they are missing from this stock, not zero",
    },
  },
  {
    id = "china-h200-2026",
    title = "NVIDIA H200: first shipments to China planned for early 2026",
    rows = {
      { id = "h200-2026-first", holder = "Chinese customers", country = "CN", chip = "nv_h200_sxm",
        units_low = 40000, units_central = 60000, units_high = 80000, interval = "bounds",
        period = "2026-01..2026-02", kind = "shipment", provenance = "reported",
        source = "Reuters, 22 Dec 2025: first H200 shipments of 5,000-10,000 modules (40,000-80,000 chips) from " ..
          "stock planned before mid-February 2026",
        note = "planned, contingent on Beijing's approval; deliveries not confirmed; central is the midpoint " ..
          "(tpp's assumption)" },
    },
  },
  {
    id = "nvidia-china-inventory",
    title = "NVIDIA inventory held for the China market (not in China)",
    rows = {
      { id = "h20-inventory-2025", holder = "NVIDIA (inventory for the China market)", chip = "nv_h20",
        units = 700000, period = "2025-07", kind = "stock", provenance = "reported",
        source = "Reuters, Jul 2025 (NVIDIA orders 300,000 H20 chips from TSMC; about 700,000 in inventory)" },
      { id = "h20-tsmc-order-2025", holder = "NVIDIA (order placed with TSMC)", chip = "nv_h20",
        units = 300000, period = "2025-07", kind = "order", provenance = "reported",
        source = "Reuters, Jul 2025; The Information, 22 Aug 2025 (NVIDIA later halted H20 production)" },
      { id = "h200-inventory-2026", holder = "NVIDIA (inventory)", chip = "nv_h200_sxm", units = 700000,
        period = "2026-01", kind = "stock", provenance = "reported",
        source = "Reuters, about 31 Dec 2025 (about 700,000 H200 in stock for China orders)" },
    },
  },
}
