-- Sources that back figures of many chips (rule texts, cross-vendor studies).
return {
  sources = {},
  chips = {},
}
