return { sources = {}, chips = {} }
