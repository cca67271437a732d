-- Published national aggregates, already in H100-equivalents. An aggregate is
-- known only on its own basis (its chip mix is not published), so tpp counts
-- it there and names it unknown on the others.
local EPOCH_BASIS = "Epoch AI's H100e compute capacity, taken as dense FP16 (Epoch's earlier data insights " ..
  "use dense FP16 tensor FLOP/s; confirm the basis in the hub's documentation)"
return {
  {
    id = "china-stock-2026-04-epoch",
    title = "Chinese companies' AI compute, April 2026 (Epoch AI), in H100e",
    rows = {
      { id = "cn-epoch-2026-04", holder = "Chinese companies (collectively)", country = "CN", chip = "h100e:fp16",
        units_low = 900000, units_central = 1050000, units_high = 1200000, interval = "bounds",
        period = "2026-04", kind = "stock", provenance = "derived",
        source = "Epoch AI, AI Chip Owners explorer (updated 15 Apr 2026) and launch thread: Chinese companies " ..
          "own 'just over 5%' of global AI compute; the erratum puts about 1 million H100e at 5% of the total",
        note = "4.5-6% of about 20 million H100e; excludes smuggled chips. Basis: " .. EPOCH_BASIS },
    },
  },
  {
    id = "us-stock-2026-04-epoch",
    title = "US AI compute, April 2026 (derived from Epoch AI), in H100e",
    rows = {
      { id = "us-epoch-2026-04", holder = "US companies", country = "US", chip = "h100e:fp16",
        units_low = 13200000, units_central = 14200000, units_high = 16000000, interval = "bounds",
        period = "2026-04", kind = "stock", provenance = "derived",
        source = "Epoch AI, AI Chip Owners explorer (updated 15 Apr 2026), launch thread and erratum: the five " ..
          "largest US hyperscalers hold about two-thirds, corrected to 71%, of about 20 million H100e",
        note = "low 66% and central 71% of 20 million H100e (the hyperscalers only); high 80% adds other US " ..
          "owners (tpp's assumption). Basis: " .. EPOCH_BASIS },
    },
  },
  {
    id = "china-additions-2025-bernstein",
    title = "AI compute China added in 2025 (Bernstein), in H100e",
    rows = {
      { id = "cn-added-2025", holder = "China (additions in 2025)", country = "CN", chip = "h100e:fp16",
        units_low = 404245, units_central = 454775, units_high = 505306, interval = "bounds",
        period = "2025", kind = "shipment", provenance = "derived",
        source = "Bernstein (S. Rasgon), research note, late 2025, as reported: under 1 zettaFLOPS of FP16 " ..
          "(sparse) added in 2025, 0.6 domestic and 0.2-0.3 NVIDIA/AMD",
        note = "0.8, 0.9 and 1.0 zettaFLOPS / 1.979 PFLOPS (H100 FP16 with sparsity) = dense FP16 H100e" },
    },
  },
  {
    id = "us-additions-2025-bernstein",
    title = "AI compute the US and its allies added in 2025 (Bernstein), in H100e",
    rows = {
      { id = "us-added-2025", holder = "US and allies (additions in 2025)", country = "US", chip = "h100e:fp16",
        units = 12632643, period = "2025", kind = "shipment", provenance = "derived",
        source = "Bernstein (S. Rasgon), research note, late 2025, as reported: more than 25 zettaFLOPS of " ..
          "FP16 (sparse) added in 2025",
        note = "25 zettaFLOPS / 1.979 PFLOPS = 12.6 million dense FP16 H100e; a lower bound" },
    },
  },
}
