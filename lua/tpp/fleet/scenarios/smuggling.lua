-- Export-controlled chips that reached China without a licence. Estimates of
-- smuggling are models or floors built from reported contracts, not counts.
return {
  {
    id = "smuggling-2024",
    title = "Export-controlled NVIDIA chips smuggled into China in 2024 (CNAS model)",
    rows = {
      { id = "smuggled-2024", holder = "China (smuggled)", country = "CN", chip = "nv_h100_sxm",
        units_low = 10000, units_central = 140000, units_high = 300000, interval = "p90",
        period = "2024", kind = "smuggled", provenance = "derived",
        source = "E. Grunewald and T. Fist, 'Countering AI Chip Smuggling Has Become a National Security " ..
          "Priority', CNAS working paper, 11 Jun 2025: between 10,000 and several hundred thousand chips, " ..
          "median about 140,000",
        note = "the paper does not state the coverage of its range nor a number for 'several hundred thousand': " ..
          "high 300,000 and the p5/p95 reading are tpp's assumptions; the chip mix is not given: counted as " ..
          "H100 SXM (an assumption)" },
    },
  },
  {
    id = "smuggling-2025",
    title = "NVIDIA B200 sold in China after the April 2025 controls (a floor from reported contracts)",
    rows = {
      { id = "smuggled-2025-b200", holder = "China (smuggled)", country = "CN", chip = "nv_b200",
        units_low = 10638, units_central = 13333, units_high = 20000, interval = "bounds",
        period = "2025-05..2025-07", kind = "smuggled", provenance = "derived",
        source = "Financial Times, 'Nvidia AI chips worth $1bn smuggled into China after Trump export controls', " ..
          "24 Jul 2025",
        note = "units = at least US$1bn / US$94,000, 75,000 and 50,000 per GPU in racks (the US price up to the " ..
          "reported +50% premium; the central price is tpp's assumption); some H100/H200 are counted as B200; " ..
          "the FT's figure covers contracts it reviewed: a floor, not a market total" },
    },
  },
  {
    id = "smuggling-2025-doj",
    title = "H100/H200 in the US Justice Department's 'Operation Gatekeeper' case (2025)",
    rows = {
      { id = "doj-gatekeeper-2025", holder = "China (smuggling ring, DOJ case)", country = "CN",
        chip = "nv_h100_sxm*0.5+nv_h200_sxm*0.5", units_low = 4571, units_central = 5517, units_high = 6400,
        interval = "bounds", period = "2025-H1", kind = "smuggled", provenance = "derived",
        source = "US Department of Justice, Southern District of Texas, announcement of 8 Dec 2025 ('Operation " ..
          "Gatekeeper', about US$160 million of H100/H200)",
        note = "units = US$160m / US$35,000, 29,000 and 25,000 per GPU (assumed prices); sources differ on " ..
          "whether the chips were exported or intercepted; half H100, half H200 is tpp's assumption" },
    },
  },
  {
    id = "smuggling-cloud-pathway",
    title = "One smuggling pathway (cloud providers redirecting chips), per year (CNAS 2023 model)",
    rows = {
      { id = "smuggled-cloud-path", holder = "China (smuggled, cloud-provider diversion)", country = "CN",
        chip = "nv_h100_sxm", units_low = 1600, units_central = 18000, units_high = 200000, interval = "p95",
        period = "undated", kind = "smuggled", provenance = "primary",
        source = "T. Fist and E. Grunewald, 'Preventing AI Chip Smuggling to China', CNAS working paper, 24 Oct " ..
          "2023: Monte Carlo median 18,000 chips a year, 95% interval 1,600-200,000, for this pathway only",
        note = "a yearly rate, undated; counted as H100 SXM (an assumption)" },
    },
  },
}
