-- Rep. Moolenaar's "rolling technical threshold" (letter to the Commerce
-- Secretary, 2025-08-25): allow sales to China only of chips that offer at
-- most a marginal improvement over the best chip China can make domestically.
-- The letter gives no formula; this version computes the line from the chip
-- database at the as-of date: the highest TPP among rows with country "China"
-- and year <= the as-of year, times a margin (default 1.10, settable:
-- tpp.rules.whatif("us-prop-2025-08-rtt", { ["rtt.margin"] = 1.25 })).
-- Reported: Export Compliance Daily, Business Standard, House Select Committee release.

version {
  id = "us-prop-2025-08-rtt",
  title = "Rolling technical threshold (Moolenaar letter, proposal)",
  instrument = "Letter from Rep. John Moolenaar (House Select Committee on the CCP) to Secretary Lutnick",
  citation = "Letter of 2025-08-25 (reported: Export Compliance Daily, Business Standard, Select Committee release)",
  jurisdiction = "US: proposal, not law",
  track = "proposal",
  subject = "the rolling technical threshold",
  status = "proposal",
  provenance = "reported",
  dates = { letter = "2025-08-25" },
  source = "letter of 2025-08-25 as reported by Export Compliance Daily and Business Standard",
}

threshold { "rtt.margin", 1.10, provenance = "assumption",
  source = "the letter's 'marginal improvement' has no number; 10 % is this tool's default (a named assumption)" }
threshold { "rtt.tpp", provenance = "derived",
  source = "best domestic Chinese chip in the tpp database at the as-of date (country = China, year <= " ..
    "as-of year, TPP known) x rtt.margin",
  compute = function(ctx)
    local best
    for _, c in ipairs(ctx.chips()) do
      if c.country == "China" and c.year and c.year <= ctx.year and c.tpp then
        if not best or c.tpp > best.tpp then best = c end
      end
    end
    if not best then return nil, "no domestic Chinese chip with a known TPP in the database by " .. ctx.as_of end
    local margin = ctx.value("rtt.margin")
    return best.tpp * margin, string.format("%s (%s, %d): TPP %.1f x margin %.2f", best.name, best.id,
      best.year, best.tpp, margin)
  end }

figure { "rtt.china_compute_cap_share", 0.10, unit = "China's aggregate AI compute as a share of US compute",
  provenance = "reported", source = "Moolenaar letter 2025-08-25 as reported: cap at 10 % of US compute" }

paragraph { "RTT: more than a marginal improvement", class = "not allowed (rolling threshold)",
  outcome = "denied",
  text = "TPP above the best domestic Chinese chip times the margin",
  test("tpp", ">", "rtt.tpp"),
}

checklist {
  "A proposal in a letter, not law",
  "'Produced domestically at commercially relevant scale' is not computed: the line uses the best Chinese " ..
    "chip in the database by TPP, whatever its volume",
}

assumption { "rtt-formula",
  "Line = max TPP over database chips with country 'China' and year <= the as-of year, times rtt.margin " ..
  "(default 1.10). The database holds vendor peak claims for some Chinese parts (e.g. Biren BR100), so " ..
  "the best chip may be better on paper than in volume; set rtt.tpp directly with a what-if to fix the line.",
  alternatives = { "a different margin (rtt.margin)", "a chosen reference chip (rtt.tpp)" } }
