-- Orders, blocked orders and interest: intent, not deliveries. Stock views
-- (--as-of) leave orders out and name them.
return {
  {
    id = "china-orders",
    title = "Chinese orders for NVIDIA and AMD chips, 2023-2026 (intent, not deliveries)",
    rows = {
      { id = "a800-h800-2024-orders", holder = "Baidu, ByteDance, Tencent, Alibaba (combined)", country = "CN",
        chip = "nv_a800_sxm*0.5+nv_h800_sxm*0.5", units = 400000, period = "2024", kind = "order",
        provenance = "derived",
        source = "Financial Times, 9 Aug 2023 (as reported by Reuters): US$4bn of GPUs for delivery in 2024",
        note = "units = US$4bn / about US$10,000 (the price the A800 order implies); ordered before the " ..
          "October 2023 rule made the A800 and H800 licence-bound: an upper bound on intent; half A800, half " ..
          "H800 is tpp's assumption" },
      { id = "h20-2025-q1-orders", holder = "ByteDance, Alibaba, Tencent (combined)", country = "CN", chip = "nv_h20",
        units_low = 1066667, units_central = 1333333, units_high = 1600000, interval = "bounds",
        period = "2025-Q1", kind = "order", provenance = "derived",
        source = "The Information, Apr 2025: at least US$16bn of H20 orders in January-March 2025",
        note = "units = US$16bn / US$15,000, 12,000 and 10,000 per H20 (assumed prices)" },
      { id = "h20-2025-blocked", holder = "China (NVIDIA H20 customers)", country = "CN", chip = "nv_h20",
        units_low = 166667, units_central = 208333, units_high = 250000, interval = "bounds",
        period = "2025-04", kind = "order", provenance = "derived",
        source = "NVIDIA, Q1 fiscal 2026 results, 28 May 2025: US$2.5bn of H20 revenue it was unable to ship",
        note = "units = US$2.5bn / US$15,000, 12,000 and 10,000 per H20 (assumed prices)" },
      { id = "h20-2025-forgone", holder = "China (NVIDIA H20 customers)", country = "CN", chip = "nv_h20",
        units_low = 533333, units_central = 666667, units_high = 800000, interval = "bounds",
        period = "2025-05..2025-07", kind = "order", provenance = "derived",
        source = "NVIDIA, Q1 fiscal 2026 results, 28 May 2025: about US$8.0bn of H20 revenue removed from the " ..
          "Q2 outlook",
        note = "units = US$8.0bn / US$15,000, 12,000 and 10,000 per H20 (assumed prices)" },
      { id = "mi308x-2025-forgone", holder = "China (AMD customers)", country = "CN", chip = "amd_mi308x",
        units_low = 100000, units_central = 125000, units_high = 150000, interval = "bounds",
        period = "2025", kind = "order", provenance = "derived",
        source = "AMD, Form 8-K of 16 Apr 2025 and Q1 2025 earnings call, May 2025: about US$1.5bn of 2025 " ..
          "revenue affected by the MI308 licence requirement",
        note = "units = US$1.5bn / US$15,000, 12,000 and 10,000 (AMD has not disclosed the price; low confidence)" },
      { id = "mi308x-alibaba-rumour", holder = "Alibaba", country = "CN", chip = "amd_mi308x",
        units_low = 40000, units_central = 45000, units_high = 50000, interval = "bounds",
        period = "2025-12", kind = "order", provenance = "reported",
        source = "MarketMinute, 23 Dec 2025 (a market rumour); AMD's CFO at the Citi conference, 3 Sep 2025, " ..
          "said AMD was not starting new MI308 wafers",
        note = "central is the midpoint (tpp's assumption)" },
      { id = "h200-2026-orders", holder = "Chinese companies (combined)", country = "CN", chip = "nv_h200_sxm",
        units = 2000000, period = "2026", kind = "order", provenance = "reported",
        source = "Reuters, about 31 Dec 2025: more than 2 million H200 ordered for 2026 at about US$27,000",
        note = "Beijing had not approved imports and reportedly paused orders in January 2026" },
    },
  },
}
