-- Company fleets reported in the press and by the companies themselves.
local OMDIA = "Financial Times citing Omdia, Dec 2024 (estimated 2024 purchases)"
local HOPPER = "nv_h100_sxm*0.75+nv_h200_sxm*0.25"
local HOPPER_NOTE = "Hopper split 75% H100, 25% H200: tpp's assumption (the estimate does not split them)"

return {
  {
    id = "deepseek-2025",
    title = "DeepSeek / High-Flyer GPUs as of January 2025",
    rows = {
      { id = "ds-a100", holder = "DeepSeek / High-Flyer", country = "CN", chip = "nv_a100_sxm80", units = 10000,
        period = "2021", kind = "stock", provenance = "reported",
        source = "SemiAnalysis, 'DeepSeek Debates', 31 Jan 2025", note = "bought before export controls" },
      { id = "ds-h800", holder = "DeepSeek / High-Flyer", country = "CN", chip = "nv_h800_sxm", units = 10000,
        period = "2025-01", kind = "stock", provenance = "primary",
        source = "SemiAnalysis, 'DeepSeek Debates', 31 Jan 2025" },
      { id = "ds-h100", holder = "DeepSeek / High-Flyer", country = "CN", chip = "nv_h100_sxm", units = 10000,
        period = "2025-01", kind = "stock", provenance = "primary",
        source = "SemiAnalysis, 'DeepSeek Debates', 31 Jan 2025",
        note = "route of acquisition unknown (a controlled chip)" },
      { id = "ds-h20", holder = "DeepSeek / High-Flyer", country = "CN", chip = "nv_h20", units = 30000,
        period = "2025-01", kind = "stock", provenance = "reported",
        source = "The Information, Jun 2025 (10,000 H100, 10,000 H800 and about 30,000 H20)" },
    },
  },
  {
    id = "us-hyperscalers-2024",
    title = "Hopper and MI300 GPUs bought by US hyperscalers in 2024",
    rows = {
      { id = "msft-hopper-2024", holder = "Microsoft", country = "US", chip = HOPPER, units = 485000,
        period = "2024", kind = "shipment", provenance = "reported", source = OMDIA, note = HOPPER_NOTE },
      { id = "meta-hopper-2024", holder = "Meta", country = "US", chip = HOPPER, units = 224000,
        period = "2024", kind = "shipment", provenance = "reported", source = OMDIA, note = HOPPER_NOTE },
      { id = "amzn-hopper-2024", holder = "Amazon", country = "US", chip = HOPPER, units = 196000,
        period = "2024", kind = "shipment", provenance = "reported", source = OMDIA, note = HOPPER_NOTE },
      { id = "goog-hopper-2024", holder = "Google", country = "US", chip = HOPPER, units = 169000,
        period = "2024", kind = "shipment", provenance = "reported", source = OMDIA, note = HOPPER_NOTE },
      { id = "meta-mi300-2024", holder = "Meta", country = "US", chip = "amd_mi300x", units = 173000,
        period = "2024", kind = "shipment", provenance = "reported", source = OMDIA,
        note = "MI300 series counted as MI300X" },
      { id = "msft-mi300-2024", holder = "Microsoft", country = "US", chip = "amd_mi300x", units = 96000,
        period = "2024", kind = "shipment", provenance = "reported", source = OMDIA,
        note = "MI300 series counted as MI300X" },
    },
  },
  {
    id = "china-hyperscalers-2024",
    title = "Hopper-class GPUs (including H20) bought by ByteDance and Tencent in 2024",
    rows = {
      { id = "bytedance-2024", holder = "ByteDance", country = "CN", chip = "nv_h20", units = 230000,
        period = "2024", kind = "shipment", provenance = "reported", source = OMDIA,
        note = "'about 230,000' Hopper including H20; counted as H20 (the chip China could buy legally in 2024)" },
      { id = "tencent-2024", holder = "Tencent", country = "CN", chip = "nv_h20", units = 230000,
        period = "2024", kind = "shipment", provenance = "reported", source = OMDIA,
        note = "'about 230,000' Hopper including H20; counted as H20; a part of h20-2024" },
    },
  },
  {
    id = "meta-2024",
    title = "Meta's H100 target for the end of 2024",
    rows = {
      { id = "meta-h100-2024", holder = "Meta", country = "US", chip = "nv_h100_sxm", units = 350000,
        period = "2024-12-31", kind = "stock", provenance = "primary",
        source = "Mark Zuckerberg, post of 18 Jan 2024 (350,000 H100 by the end of 2024; 'almost 600k H100 " ..
          "equivalents of compute' with other GPUs)",
        note = "a target, not a count" },
    },
  },
  {
    id = "xai-colossus",
    title = "xAI's Colossus cluster in Memphis",
    rows = {
      { id = "xai-2024", holder = "xAI", country = "US", chip = "nv_h100_sxm", units = 100000,
        period = "2024-12-05", kind = "stock", provenance = "reported",
        source = "Greater Memphis Chamber, 5 Dec 2024, as reported by Reuters",
        note = "H100 and H200: counted as H100 SXM" },
      { id = "xai-2025", holder = "xAI", country = "US", chip = "nv_h100_sxm*0.5+nv_h200_sxm*0.5", units = 100000,
        period = "2025-H1", kind = "shipment", provenance = "reported",
        source = "Greater Memphis Chamber and press reports, Mar 2025 (Colossus at about 200,000 GPUs)",
        note = "the growth from 100,000 to 200,000; half H100, half H200 is tpp's assumption" },
    },
  },
}
