-- The escape hatch: a test the declarative form cannot express, as a Lua
-- function. It runs once per chip inside the sandbox (much slower than the
-- compiled tests, and batches refuse it); it returns true, false or nil
-- (unknown) and may give a reason.

version { id = "hbm-per-tflop", title = "Scenario: HBM bandwidth per dense FP16 TFLOPS" }

paragraph { "bandwidth-rich", eccn = "SCENARIO.BW", text = "more than 4 GB/s of DRAM per dense FP16 TFLOPS",
  check("bytes-per-flop", function(chip)
    local m = chip.metrics
    if not m.tpp or not m.mem_bw_gbs then return nil, "needs TPP and memory bandwidth" end
    local ratio = m.mem_bw_gbs / (m.tpp / 16)
    return ratio > 4, string.format("%.2f GB/s per dense FP16 TFLOPS", ratio)
  end, "more than 4 GB/s of DRAM bandwidth per dense FP16 TFLOPS"),
  test("datacenter", "==", true) }
