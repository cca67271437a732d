-- Building on a built-in version: 3A090 as of 2024-12 with the a.1 line
-- lowered to 4,000 and Note 2's line with it. Everything else (paragraphs,
-- notes, checklist, assumptions) is inherited; results carry both files'
-- SHA-256 hashes.
--   tpp diff us-2024-12 examples/rules/strict_3a090.lua

version {
  id = "strict-3a090", extends = "us-2024-12",
  title = "3A090 with the TPP line of a.1 and Note 2 at 4,000 (scenario)",
}

threshold { "3A090.a.1.tpp", 4000, provenance = "user", source = "scenario" }
threshold { "3A090.note2.tpp", 4000, provenance = "user", source = "scenario" }
