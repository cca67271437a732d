-- Scenarios for the questions in the public debate.
return {
  {
    id = "h20-million",
    title = "One million NVIDIA H20",
    rows = {
      { id = "h20-1m", holder = "China (illustrative)", country = "CN", chip = "nv_h20", units = 1000000,
        period = "2024", kind = "shipment", provenance = "reported",
        source = "Financial Times, Jan 2025: about 1 million H20 supplied to China in 2024",
        note = "a round, exact figure for comparisons; the sourced range is scenario h20-2024" },
    },
  },
  {
    id = "china-compute",
    title = "China's AI compute stock: legal NVIDIA imports, domestic production and smuggling",
    includes = { "china-nvidia-legal", "huawei-2024", "huawei-2025", "cambricon-2025", "smuggling-2024",
                 "smuggling-2025" },
    assumptions = { "company fleets (DeepSeek, ByteDance, Tencent) are parts of these totals and are not added" },
  },
}
