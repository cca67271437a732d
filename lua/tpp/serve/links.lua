--- tpp.serve.links: chip-to-chip links and scale-up domains, as data.
--
-- The chip database states one aggregate interconnect figure; serving needs
-- more: the per-direction bandwidth inside a scale-up domain (NVLink, Infinity
-- Fabric, UB, Gaudi's RoCE ports), the domain's size, and the per-chip
-- scale-out bandwidth to other domains (InfiniBand/Ethernet NICs). These
-- live here, keyed by chip id, each with its provenance, so they merge
-- beside the chip table without editing it. A chip not listed falls back to
-- half its stated aggregate interconnect inside an assumed 8-chip domain,
-- with an unknown scale-out link (plans that need it are undetermined).
--
-- Latencies are per collective step: ~8 us for a small NCCL all-reduce on
-- NVLink (llm-analysis's floor; NCCL's LL protocol ~7 us), ~25 us for an
-- RDMA step across nodes; both are assumptions, reported with every answer.
local M = {}

local NV_US, IB_US = 8, 25

M.SYSTEMS = {
  hgx8 = { name = "8-GPU node (HGX/DGX, NVLink switch)", size = 8 },
  nvl72 = { name = "GB200/GB300 NVL72 rack (72 GPUs on NVLink 5)", size = 72, gbs = 900, us = NV_US,
    source = "NVIDIA GB200 NVL72 product page: 130 TB/s NVLink over 72 GPUs (1.8 TB/s per GPU, 900 GB/s each way)",
    provenance = "vendor" },
  cloudmatrix384 = { name = "Huawei CloudMatrix384 (384 Ascend 910C on the UB network)", size = 384, gbs = 392,
    us = 10, source = "Zuo et al., 'Serving Large Language Models on Huawei CloudMatrix384', arXiv 2506.12708 " ..
      "(UB plane: 392 GB/s unidirectional per NPU package)", provenance = "reported" },
  ["mi300x-8"] = { name = "8-GPU AMD Instinct platform (Infinity Fabric mesh)", size = 8 },
  ["gaudi-8"] = { name = "8-card Gaudi server (RoCE all-to-all ports)", size = 8 },
  ["ascend-8"] = { name = "8-NPU Atlas server (HCCS)", size = 8 },
}

-- scaleup: per-direction GB/s per chip inside the domain; scaleout: per-direction GB/s per chip.
M.CHIPS = {
  nv_a100_sxm80 = { system = "hgx8", scaleup = 300, scaleout = 25, su_us = NV_US, so_us = IB_US,
    source = "NVLink3 600 GB/s bidirectional (datasheet); 1 x 200 Gb/s HDR per GPU (DGX A100)",
    provenance = { scaleup = "vendor", scaleout = "typical DGX configuration" } },
  nv_a800_sxm = { system = "hgx8", scaleup = 200, scaleout = 25, su_us = NV_US, so_us = IB_US,
    source = "NVLink cut to 400 GB/s bidirectional; HDR per GPU assumed",
    provenance = { scaleup = "reported", scaleout = "assumed" } },
  nv_h100_sxm = { system = "hgx8", scaleup = 450, scaleout = 50, su_us = NV_US, so_us = IB_US,
    source = "NVLink4 900 GB/s bidirectional (datasheet); 1 x 400 Gb/s NDR per GPU (DGX H100)",
    provenance = { scaleup = "vendor", scaleout = "vendor (DGX H100)" } },
  nv_h800_sxm = { system = "hgx8", scaleup = 200, scaleout = 50, su_us = NV_US, so_us = IB_US,
    source = "NVLink 400 GB/s bidirectional; 8 x 400 Gb/s RDMA per node (Ant Group / SGLang H20 write-up, " ..
      "lmsys.org 2025-09-26, comparing with H800)", provenance = { scaleup = "reported", scaleout = "reported" } },
  nv_h20 = { system = "hgx8", scaleup = 450, scaleout = 25, su_us = NV_US, so_us = IB_US,
    source = "NVLink 900 GB/s bidirectional; 4 x 400 Gb/s RDMA per node as deployed by Ant Group " ..
      "(lmsys.org 2025-09-26)", provenance = { scaleup = "reported", scaleout = "reported (one deployment)" } },
  nv_h200_sxm = { system = "hgx8", scaleup = 450, scaleout = 50, su_us = NV_US, so_us = IB_US,
    source = "NVLink4 900 GB/s bidirectional (datasheet); 400 Gb/s per GPU (HGX H200 reference)",
    provenance = { scaleup = "vendor", scaleout = "typical" } },
  nv_h100_pcie = { system = "hgx8", scaleup = 32, scaleout = 25, su_us = 15, so_us = IB_US,
    source = "PCIe Gen5 x16 (64 GB/s bidirectional) between cards without NVLink bridges",
    provenance = { scaleup = "vendor", scaleout = "assumed" } },
  nv_b200 = { system = "hgx8", scaleup = 900, scaleout = 50, su_us = NV_US, so_us = IB_US,
    source = "NVLink5 1.8 TB/s bidirectional (HGX B200); 400 Gb/s ConnectX-7 per GPU",
    provenance = { scaleup = "vendor", scaleout = "vendor (HGX B200)" } },
  nv_b300 = { system = "hgx8", scaleup = 900, scaleout = 100, su_us = NV_US, so_us = IB_US,
    source = "NVLink5 1.8 TB/s bidirectional; 800 Gb/s ConnectX-8 per GPU (HGX B300)",
    provenance = { scaleup = "vendor", scaleout = "vendor" } },
  nv_gb300 = { system = "nvl72", scaleup = 900, scaleout = 100, su_us = NV_US, so_us = IB_US,
    source = "NVL72: NVLink5 1.8 TB/s bidirectional per GPU; 800 Gb/s per GPU scale-out",
    provenance = { scaleup = "vendor", scaleout = "vendor" } },
  amd_mi300x = { system = "mi300x-8", scaleup = 448, scaleout = 50, su_us = 10, so_us = IB_US,
    source = "7 Infinity Fabric links x 64 GB/s each way (AMD Instinct MI300X data sheet: 896 GB/s aggregate); " ..
      "400 Gb/s NIC per GPU", provenance = { scaleup = "vendor", scaleout = "typical" } },
  amd_mi325x = { system = "mi300x-8", scaleup = 448, scaleout = 50, su_us = 10, so_us = IB_US,
    source = "same Infinity Fabric as MI300X (AMD Instinct MI325X data sheet); 400 Gb/s NIC per GPU",
    provenance = { scaleup = "vendor", scaleout = "typical" } },
  amd_mi355x = { system = "mi300x-8", scaleup = 538, scaleout = 50, su_us = 10, so_us = IB_US,
    source = "7 Infinity Fabric links x 76.8 GB/s each way (AMD Instinct MI355X data sheet: 1,075 GB/s)",
    provenance = { scaleup = "vendor", scaleout = "typical" } },
  intel_gaudi2 = { system = "gaudi-8", scaleup = 262.5, scaleout = 37.5, su_us = 15, so_us = IB_US,
    source = "24 x 100 GbE RoCE per card: 21 to the other 7 cards, 3 to scale-out (Intel Gaudi 2 white paper)",
    provenance = { scaleup = "vendor", scaleout = "vendor" } },
  intel_gaudi3 = { system = "gaudi-8", scaleup = 525, scaleout = 75, su_us = 15, so_us = IB_US,
    source = "24 x 200 GbE RoCE per card: 21 inside the node, 3 scale-out (Intel Gaudi 3 white paper)",
    provenance = { scaleup = "vendor", scaleout = "vendor" } },
  hw_910b = { system = "ascend-8", scaleup = 196, scaleout = 25, su_us = 15, so_us = IB_US,
    source = "HCCS full mesh in 8-NPU Atlas 800 servers (392 GB/s aggregate reported); 200 Gb/s RoCE per NPU",
    provenance = { scaleup = "reported", scaleout = "reported" } },
  hw_910c = { system = "cloudmatrix384", scaleup = 392, scaleout = 50, su_us = 10, so_us = IB_US,
    source = "Zuo et al., arXiv 2506.12708: UB plane 392 GB/s unidirectional per NPU inside CloudMatrix384; " ..
      "RDMA plane 400 Gb/s per NPU", provenance = { scaleup = "reported", scaleout = "reported" } },
}

--- The links of a chip: { system, size, scaleup_gbs, scaleout_gbs, scaleup_us,
-- scaleout_us, source, provenance, assumed = {..} }. opts.system overrides
-- the scale-up domain (hgx8, nvl72, cloudmatrix384, ...).
function M.of(chip, opts)
  opts = opts or {}
  local d = chip.data or chip
  local row = M.CHIPS[d.id or ""]
  local out = { assumed = {} }
  if row then
    out.system = row.system
    out.scaleup_gbs, out.scaleout_gbs = row.scaleup, row.scaleout
    out.scaleup_us, out.scaleout_us = row.su_us, row.so_us
    out.source, out.provenance = row.source, row.provenance
  else
    out.system = "hgx8"
    out.scaleup_us, out.scaleout_us = NV_US, IB_US
    if d.interconnect_gbs then
      out.scaleup_gbs = d.interconnect_gbs / 2
      out.source = ("half the chip's stated aggregate interconnect (%s GB/s)"):format(tostring(d.interconnect_gbs))
      out.provenance = { scaleup = "derived", scaleout = "unknown" }
      out.assumed[#out.assumed + 1] = ("no link data for %s: scale-up %s GB/s each way = half its stated " ..
        "aggregate, in an assumed 8-chip domain; scale-out unknown"):format(d.id or d.name or "this chip",
        tostring(out.scaleup_gbs))
    else
      out.provenance = { scaleup = "unknown", scaleout = "unknown" }
      out.assumed[#out.assumed + 1] = ("no link data for %s: single-chip replicas only"):format(
        d.id or d.name or "this chip")
    end
  end
  local sys_id = opts.system or out.system
  local sys = M.SYSTEMS[sys_id]
  if not sys then
    local names = {}
    for k in pairs(M.SYSTEMS) do names[#names + 1] = k end
    table.sort(names)
    error(("tpp.serve: system '%s' unknown; expected one of %s"):format(tostring(sys_id),
      table.concat(names, ", ")), 0)
  end
  out.system, out.system_name, out.size = sys_id, sys.name, sys.size
  if sys.gbs and opts.system then
    out.scaleup_gbs, out.scaleup_us = sys.gbs, sys.us
    out.assumed[#out.assumed + 1] = ("scale-up domain %s: %d chips, %s GB/s each way per chip (%s)"):format(
      sys_id, sys.size, tostring(sys.gbs), sys.source)
  end
  return out
end

return M
