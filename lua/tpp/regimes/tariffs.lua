-- Proclamation 11002 (Section 232): a 25 % import duty on logic ICs (and articles containing them) in two
-- bands of TPP and total DRAM bandwidth, bracketing the H200 and the MI325X. An import duty into the
-- United States, not an export control: tpp draws it on the bandwidth chart and does not screen it.
-- tpp = { above, below }, dram_gbs = { above, below }: open intervals (strictly above and below).

measure { id = "us-2026-01-tariff", title = "Section 232 duty on semiconductors (Proclamation 11002)", jurisdiction = "US",
  instrument = "Proclamation 11002 of 2026-01-14; CBP CSMS #67400472 (HTSUS 9903.79.01)",
  citation = "Proclamation 11002; CBP CSMS #67400472", status = "in force", provenance = "secondary",
  kind = "tariff", dates = { effective = "2026-01-15" },
  source = "Proclamation 11002 (signed 2026-01-14, duty from 2026-01-15 12:01 a.m. ET), implemented by CBP CSMS " ..
    "#67400472; exemptions for US data centres, repairs, R&D, start-ups, consumer and civil-industrial uses " ..
    "(reported)" }

tariff_band { "band 1", measure = "us-2026-01-tariff", tpp = { 14000, 17500 }, dram_gbs = { 4500, 5000 },
  source = "CBP CSMS #67400472: TPP above 14,000 and below 17,500 with total DRAM bandwidth above 4,500 and " ..
    "below 5,000 GB/s", provenance = "secondary" }
tariff_band { "band 2", measure = "us-2026-01-tariff", tpp = { 20800, 21100 }, dram_gbs = { 5800, 6200 },
  source = "the Proclamation's annex as cited by a secondary tracker: TPP 20,800-21,100 with 5,800-6,200 GB/s",
  provenance = "reported" }
