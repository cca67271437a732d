-- An extract of the Entity List (supplement no. 4 to 15 CFR part 744): the Chinese parties that matter
-- for AI chips. It is NOT the whole list: a name not found here is "not found in tpp's extract", never
-- cleared. Names and aliases match case- and punctuation-insensitively; `keys` are distinctive words
-- that make a name a possible match (e.g. any "Huawei ..." company) to be confirmed by hand.
-- A listed party needs a licence for every item subject to the EAR (15 CFR 744.11), whoever of the
-- purchaser, intermediate consignee, ultimate consignee or end user it is (85 FR 51596); no licence
-- exceptions apply. Footnote 1 and 4 entries bring foreign-produced items made with US technology
-- under the EAR (15 CFR 734.9(e)).

measure { id = "us-ear-entity-list", title = "Entity List (15 CFR part 744, supplement no. 4)", jurisdiction = "US",
  instrument = "Export Administration Regulations, 15 CFR 744.11 and supplement no. 4 to part 744",
  citation = "15 CFR 744.11; supp. no. 4 to part 744", status = "in force", provenance = "secondary",
  kind = "entity-list",
  source = "15 CFR 744.11 and 744.16: licence to the extent of the entry; no licence exceptions; the party may be " ..
    "purchaser, intermediate or ultimate consignee or end user (85 FR 51596, 2020-08-20)" }

party { "Huawei Technologies Co., Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Huawei", "Huawei Technologies", "HiSilicon", "HiSilicon Technologies Co., Ltd.", "Huawei Cloud",
    "Huawei Device Co., Ltd." },
  keys = { "huawei", "hisilicon" },
  added = "2019-05-16", citation = "84 FR 22961 (published 2019-05-21); affiliates 84 FR 43487, 85 FR 51596",
  footnote = 1, footnote_from = "2020-05-15",
  licence = "all items subject to the EAR, including foreign-produced items under the footnote 1 FDP rule " ..
    "(15 CFR 734.9(e)(1))",
  review = "presumption of denial (not verified in tpp's sources)",
  text = "Huawei and its non-US affiliates (68 in 2019, 46 more 2019-08-19, 38 more 2020-08-17); footnote 1 " ..
    "from 85 FR 29849 (2020-05-15), broadened by 85 FR 51596 (2020-08-17)",
  source = "84 FR 22961; 85 FR 29849; 85 FR 51596", provenance = "secondary" }
party { "Dawning Information Industry Co., Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Sugon", "Dawning", "Dawning Information Industry" }, keys = { "sugon" },
  added = "2019-06-24", citation = "84 FR 29371 (2019-06-24)", footnote = 4, footnote_from = "2022-10-07",
  licence = "all items subject to the EAR", review = "not recorded in tpp's extract",
  text = "Sugon (supercomputing); brought under the footnote 4 FDP rule by 87 FR 62186",
  source = "84 FR 29371; 87 FR 62186", provenance = "unverified" }
party { "Higon Information Technology Co., Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Hygon", "Higon", "Chengdu Haiguang Integrated Circuit", "Chengdu Haiguang Microelectronics Technology",
    "Haiguang" },
  keys = { "hygon", "higon", "haiguang" },
  added = "2019-06-24", citation = "84 FR 29371 (2019-06-24)", footnote = 4, footnote_from = "2022-10-07",
  licence = "all items subject to the EAR", review = "not recorded in tpp's extract",
  text = "Hygon-related entities (x86 CPUs and DCU accelerators)", source = "84 FR 29371; 87 FR 62186",
  provenance = "unverified" }
party { "Wuxi Jiangnan Institute of Computing Technology", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Jiangnan Institute of Computing Technology", "Wuxi Jiangnan Institute" }, keys = { "jiangnan" },
  added = "2019-06-24", citation = "84 FR 29371 (2019-06-24)", footnote = 4, footnote_from = "2022-10-07",
  licence = "all items subject to the EAR", review = "not recorded in tpp's extract",
  text = "supercomputer developer (Sunway)", source = "84 FR 29371; 87 FR 62186", provenance = "unverified" }
party { "Semiconductor Manufacturing International Corporation", measure = "us-ear-entity-list", country = "CN",
  aliases = { "SMIC", "Semiconductor Manufacturing International Corp." }, keys = { "smic" },
  added = "2020-12-18", citation = "85 FR 83416 (2020-12-22)",
  licence = "all items subject to the EAR",
  review = "presumption of denial for items uniquely required for 10 nm and below; case-by-case otherwise " ..
    "(not verified in tpp's sources)",
  text = "SMIC and affiliates (the foundry of the Ascend 910B and 910C)", source = "85 FR 83416",
  provenance = "unverified" }
party { "Cambricon Technologies Corporation Limited", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Cambricon", "Cambricon Technologies", "Zhongke Cambricon" }, keys = { "cambricon" },
  added = "2022-12-15", citation = "87 FR 77505 (2022-12-19)", footnote = 4, footnote_from = "2022-12-15",
  licence = "all items subject to the EAR, including foreign-produced items under the footnote 4 FDP rule",
  review = "not recorded in tpp's extract",
  text = "one of 21 AI-chip entities added with YMTC in December 2022", source = "87 FR 77505",
  provenance = "unverified" }
party { "Yangtze Memory Technologies Co., Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "YMTC", "Yangtze Memory" }, keys = { "ymtc" },
  added = "2022-12-15", citation = "87 FR 77505 (2022-12-19)", footnote = 4, footnote_from = "2022-12-15",
  licence = "all items subject to the EAR", review = "not recorded in tpp's extract",
  text = "NAND flash maker", source = "87 FR 77505", provenance = "unverified" }
party { "Inspur Group Co., Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Inspur", "Inspur Group" }, keys = { "inspur" },
  added = "2023-03-02", citation = "March 2023 Entity List rule (FR page not recorded)",
  licence = "all items subject to the EAR", review = "presumption of denial",
  text = "server maker; six Inspur subsidiaries (five in China, one in Taiwan) added 2025-03-25 (90 FR 14046)",
  source = "reported by Meshkat Law and Reuters", provenance = "reported" }
party { "Beijing Biren Technology Development Co., Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Biren", "Biren Technology", "Shanghai Biren Technology Co., Ltd.", "Shanghai Biren Intelligent Technology" },
  keys = { "biren" },
  added = "2023-10-17", citation = "88 FR 71991-71994 (FR Doc 2023-23048, published 2023-10-19)",
  footnote = 4, footnote_from = "2023-10-17",
  licence = "all items subject to the EAR, including foreign-produced items under the footnote 4 FDP rule",
  review = "presumption of denial",
  text = "Chinese GPU designer (BR100, BR104) and subsidiaries; 13 entities added 2023-10-17",
  source = "88 FR 71991 (citation and dates); names reported by Thompson Hine and the press", provenance = "reported" }
party { "Moore Threads Intelligent Technology (Beijing) Co., Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Moore Threads", "Moore Threads Technology", "MTT" }, keys = { "moorethreads" },
  added = "2023-10-17", citation = "88 FR 71991-71994 (FR Doc 2023-23048, published 2023-10-19)",
  footnote = 4, footnote_from = "2023-10-17",
  licence = "all items subject to the EAR, including foreign-produced items under the footnote 4 FDP rule",
  review = "presumption of denial",
  text = "Chinese GPU designer (MTT S4000) and subsidiaries",
  source = "88 FR 71991 (citation and dates); names reported by Thompson Hine and the press", provenance = "reported" }
party { "Sophgo Technologies Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Sophgo", "Sophgo Technologies" }, keys = { "sophgo" },
  added = "2025-01-16", citation = "90 FR 4621-4624 (FR Doc 2025-00480)",
  licence = "all items subject to the EAR", review = "presumption of denial",
  text = "AI-chip designer; a TSMC die made for Sophgo was found in an Ascend 910B",
  source = "90 FR 4621 (citation); Sophgo reported by Reuters", provenance = "reported" }
party { "Beijing Zhipu Huazhang Technology Co., Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Zhipu AI", "Zhipu", "Knowledge Atlas", "Z.ai" }, keys = { "zhipu" },
  added = "2025-01-16", citation = "90 FR 4617-4620 (FR Doc 2025-00704)",
  licence = "all items subject to the EAR", review = "presumption of denial (not verified in tpp's sources)",
  text = "AI model developer and subsidiaries (AI research for military modernisation)",
  source = "90 FR 4617 (citation); Zhipu reported by Reuters", provenance = "reported" }
party { "Inspur subsidiaries (2025)", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Inspur Taiwan", "Inspur Electronic Information Industry", "Inspur (Beijing) Electronic Information Industry" },
  keys = {},
  added = "2025-03-25", citation = "90 FR 14046-14052 (FR Doc 2025-05427, published 2025-03-28)",
  licence = "all items subject to the EAR", review = "presumption of denial",
  text = "six Inspur subsidiaries (five in China, one in Taiwan) for AI and supercomputing tied to the PLA",
  source = "90 FR 14046 (citation); Inspur reported by Reuters", provenance = "reported" }
party { "Nettrix Information Industry (Beijing) Co., Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Nettrix" }, keys = { "nettrix" },
  added = "2025-03-25", citation = "90 FR 14046-14052 (FR Doc 2025-05427)",
  licence = "all items subject to the EAR", review = "not recorded in tpp's extract",
  text = "server maker (exascale systems)", source = "90 FR 14046", provenance = "reported" }
party { "Shanghai Fudan Microelectronics Group Co., Ltd.", measure = "us-ear-entity-list", country = "CN",
  aliases = { "Fudan Microelectronics", "Shanghai Fudan Microelectronics" }, keys = { "fudanmicro" },
  added = "2025-09-12", citation = "September 2025 Entity List rule (FR page not recorded)",
  licence = "all items subject to the EAR", review = "not recorded in tpp's extract",
  text = "one of 23 Chinese entities added 2025-09-12", source = "reported by Geopolitechs and Jurist",
  provenance = "reported" }
