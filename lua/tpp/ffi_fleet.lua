--- FFI side of the fleet Monte Carlo; mirrors csrc/lua/fleet_glue.c (same
-- functions, results and messages): core.fleet_simulate, core.fleet_ratio,
-- core.dist_fit, core.dist_quantile, core.normal_quantile, and the draws
-- object (summary, get, size, free).
return function(M, C, ffi)
  local raise = M._raise
  local NaN = 0 / 0
  local floor = math.floor

  local function opt_number(t, key, where, default)
    local v = t[key]
    if v == nil then return default end
    if type(v) ~= "number" then
      error(("tpp: %s.%s: number expected, got %s"):format(where, key, type(v)), 0)
    end
    if v ~= v then return default end
    return v
  end

  local function read_numbers(t, where, key, n, allow_nil, required)
    local list = t[key]
    if list == nil then
      if required then error(("tpp: %s.%s: list of numbers expected, got nil"):format(where, key), 0) end
      return nil, n
    end
    if type(list) ~= "table" then
      error(("tpp: %s.%s: list of numbers expected, got %s"):format(where, key, type(list)), 0)
    end
    local len = #list
    if n == nil then n = len
    elseif len > n then error(("tpp: %s.%s: %d entries, expected %d"):format(where, key, len, n), 0) end
    local buf = ffi.new("double[?]", n > 0 and n or 1)
    for i = 1, n do
      local v = list[i]
      if type(v) == "number" then
        buf[i - 1] = v
      elseif v == nil and allow_nil then
        buf[i - 1] = NaN
      else
        error(("tpp: %s.%s[%d]: number expected, got %s"):format(where, key, i, type(v)), 0)
      end
    end
    return buf, n
  end

  local function gfmt(v) return ("%g"):format(v) end

  local Draws = {}
  Draws.__index = Draws

  local function check_draws(d)
    if getmetatable(d) ~= Draws then error("bad argument #1 (tpp.fleet_draws expected)", 3) end
    if d._buf == nil then error("tpp: the fleet draws were freed", 0) end
    return d
  end

  function M.fleet_simulate(rows, factors, opts)
    for i, t in ipairs({ rows, factors, opts }) do
      if type(t) ~= "table" then
        error(("bad argument #%d to 'fleet_simulate' (table expected, got %s)"):format(i, type(t)), 2)
      end
    end
    local draws = opt_number(opts, "draws", "opts", 100000)
    local seed = opt_number(opts, "seed", "opts", 1)
    local stream = opt_number(opts, "stream", "opts", 0)
    local groups = opt_number(opts, "groups", "opts", 1)
    local threads = opt_number(opts, "threads", "opts", 0)
    if draws < 1 or draws ~= floor(draws) or draws > 1e9 then
      error("tpp: opts.draws: a whole number 1..1e9 expected, got " .. gfmt(draws), 0)
    end
    if seed < 0 or seed ~= floor(seed) or seed > 9007199254740992 then
      error("tpp: opts.seed: a whole number 0..2^53 expected, got " .. gfmt(seed), 0)
    end
    if stream < 0 or stream ~= floor(stream) or stream > 9007199254740992 then
      error("tpp: opts.stream: a whole number 0..2^53 expected, got " .. gfmt(stream), 0)
    end
    if groups < 1 or groups ~= floor(groups) or groups > 1e6 then
      error("tpp: opts.groups: a whole number 1..1e6 expected, got " .. gfmt(groups), 0)
    end
    if threads < 0 or threads > 256 or threads ~= floor(threads) then
      error("tpp: opts.threads: 0..256 expected (0 = all cores), got " .. gfmt(threads), 0)
    end
    local nb = opt_number(factors, "n_bases", "factors", NaN)
    local nc = opt_number(factors, "n_chips", "factors", NaN)
    if not (nb >= 1 and nc >= 1) or nb ~= floor(nb) or nc ~= floor(nc) or nb * nc > 1e8 then
      error("tpp: factors.n_bases and factors.n_chips: whole numbers >= 1 expected", 0)
    end
    local nf = nb * nc
    local low, n = read_numbers(rows, "rows", "low", nil, false, true)
    local central = read_numbers(rows, "rows", "central", n, false, true)
    local high = read_numbers(rows, "rows", "high", n, false, true)
    local kind_in = read_numbers(rows, "rows", "kind", n, false, false)
    local coverage = read_numbers(rows, "rows", "coverage", n, false, false)
    local group_in = read_numbers(rows, "rows", "group", n, false, false)
    local chip_in = read_numbers(rows, "rows", "chip", n, false, true)
    local flow = read_numbers(factors, "factors", "low", nf, true, true)
    local fcentral = read_numbers(factors, "factors", "central", nf, true, true)
    local fhigh = read_numbers(factors, "factors", "high", nf, true, true)
    local fcov = read_numbers(factors, "factors", "coverage", nf, true, false)
    local size = n > 0 and n or 1
    local kind = ffi.new("int8_t[?]", size)
    local group = ffi.new("int32_t[?]", size)
    local chip = ffi.new("int32_t[?]", size)
    for i = 0, n - 1 do
      local k = kind_in and kind_in[i] or C.TPP_DIST_QUANTILES
      local g = group_in and group_in[i] or 1
      local h = chip_in[i]
      if k ~= 0 and k ~= 1 and k ~= 2 then
        error(("tpp: rows.kind[%d]: 0 (point), 1 (quantiles) or 2 (bounds) expected, got %s"):format(i + 1,
          gfmt(k)), 0)
      end
      if g ~= floor(g) or g < 1 or g > groups then
        error(("tpp: rows.group[%d]: a whole number 1..%s expected, got %s"):format(i + 1, gfmt(groups), gfmt(g)), 0)
      end
      if h ~= floor(h) or h < 1 or h > nc then
        error(("tpp: rows.chip[%d]: a whole number 1..%d expected, got %s"):format(i + 1, nc, gfmt(h)), 0)
      end
      kind[i], group[i], chip[i] = k, g - 1, h - 1
    end
    local r = ffi.new("tpp_fleet_rows")
    r.n, r.low, r.central, r.high, r.kind, r.coverage, r.group, r.chip = n, low, central, high, kind, coverage,
      group, chip
    local f = ffi.new("tpp_fleet_factors")
    f.n_bases, f.n_chips, f.low, f.central, f.high, f.coverage = nb, nc, flow, fcentral, fhigh, fcov
    local o = ffi.new("tpp_fleet_options")
    o.draws, o.seed, o.stream, o.n_groups, o.threads = draws, seed, stream, groups, threads
    local bytes = nb * (groups + 1) * draws * 8
    local ptr = bytes < 1.6e10 and C.tpp_alloc(bytes) or nil
    if ptr == nil then
      error(("tpp: the draws need %.0f MB (%d bases x (%s groups + total) x %s draws); use fewer draws or groups")
        :format(bytes / 1e6, nb, gfmt(groups), gfmt(draws)), 0)
    end
    local buf = ffi.gc(ffi.cast("double *", ptr), C.tpp_free)
    local err = ffi.new("tpp_error")
    if C.tpp_fleet_simulate(r, f, o, buf, err) ~= C.TPP_OK then raise(err) end
    return setmetatable({ _buf = buf, _draws = draws, _bases = nb, _groups = groups }, Draws)
  end

  function Draws:free()
    if getmetatable(self) ~= Draws then error("bad argument #1 to 'free' (tpp.fleet_draws expected)", 2) end
    if self._buf ~= nil then
      ffi.gc(self._buf, nil)
      C.tpp_free(self._buf)
      self._buf = nil
    end
  end
  Draws.__close = Draws.free

  function Draws:size()
    check_draws(self)
    return self._draws, self._bases, self._groups
  end

  local function checkint(v, arg, fname)
    if type(v) ~= "number" then
      error(("bad argument #%d to '%s' (number expected, got %s)"):format(arg, fname,
        v == nil and "no value" or type(v)), 3)
    end
    if v ~= floor(v) then
      error(("bad argument #%d to '%s' (integer expected, got a fraction)"):format(arg, fname), 3)
    end
    return v
  end

  local function series_offset(d, b, g, arg, fname)
    checkint(b, arg, fname)
    checkint(g, arg + 1, fname)
    if b < 1 or b > d._bases then
      error(("bad argument #%d to '%s' (basis index out of range)"):format(arg, fname), 3)
    end
    if g < 1 or g > d._groups + 1 then
      error(("bad argument #%d to '%s' (group index out of range (groups + 1 = total))"):format(arg + 1, fname), 3)
    end
    return ((b - 1) * (d._groups + 1) + (g - 1)) * d._draws
  end

  function Draws:get(b, g, i)
    check_draws(self)
    local off = series_offset(self, b, g, 2, "get")
    checkint(i, 4, "get")
    if i < 1 or i > self._draws then error("bad argument #4 to 'get' (draw index out of range)", 2) end
    return tonumber(self._buf[off + i - 1])
  end

  local function read_probs(p, arg, fname)
    if type(p) ~= "table" then
      error(("bad argument #%d to '%s' (table expected, got %s)"):format(arg, fname,
        p == nil and "no value" or type(p)), 3)
    end
    local k = #p
    if k > 64 then error(("bad argument #%d to '%s' (at most 64 probabilities)"):format(arg, fname), 3) end
    local buf = ffi.new("double[?]", k > 0 and k or 1)
    for i = 1, k do
      if type(p[i]) ~= "number" then
        error(("bad argument #%d to '%s' (list of numbers expected)"):format(arg, fname), 3)
      end
      buf[i - 1] = p[i]
    end
    return buf, k
  end

  local function opt_threshold(v, arg, fname)
    if v == nil then return NaN end
    if type(v) ~= "number" then
      error(("bad argument #%d to '%s' (number expected, got %s)"):format(arg, fname, type(v)), 3)
    end
    return v
  end

  local function summary_table(q, k, mean, pa)
    local qs = {}
    for j = 1, k do qs[j] = tonumber(q[j - 1]) end
    local p = tonumber(pa)
    return { q = qs, mean = tonumber(mean), p_above = p == p and p or nil }
  end

  function Draws:summary(probs, threshold)
    check_draws(self)
    local p, k = read_probs(probs, 2, "summary")
    threshold = opt_threshold(threshold, 3, "summary")
    local n_series = self._bases * (self._groups + 1)
    local q = ffi.new("double[?]", n_series * (k > 0 and k or 1))
    local means = ffi.new("double[?]", n_series)
    local pa = ffi.new("double[?]", n_series)
    local err = ffi.new("tpp_error")
    if C.tpp_series_summarize(self._buf, n_series, self._draws, p, k, threshold, q, means, pa, 0, err) ~= C.TPP_OK then
      raise(err)
    end
    local out = {}
    for b = 1, self._bases do
      local row = {}
      for g = 1, self._groups + 1 do
        local s = (b - 1) * (self._groups + 1) + (g - 1)
        local qs = {}
        for j = 1, k do qs[j] = tonumber(q[s * k + j - 1]) end
        local pv = tonumber(pa[s])
        row[g] = { q = qs, mean = tonumber(means[s]), p_above = pv == pv and pv or nil }
      end
      out[b] = row
    end
    return out
  end

  function Draws:__tostring()
    if self._buf == nil then return "tpp.fleet_draws (freed)" end
    return ("tpp.fleet_draws (%d draws x %d bases x %d groups + total)"):format(self._draws, self._bases,
      self._groups)
  end

  M.FleetDraws = Draws

  function M.fleet_ratio(a, ba, ga, b, bb, gb, probs, threshold)
    check_draws(a)
    check_draws(b)
    local oa = series_offset(a, ba, ga, 2, "fleet_ratio")
    local ob = series_offset(b, bb, gb, 5, "fleet_ratio")
    local p, k = read_probs(probs, 7, "fleet_ratio")
    threshold = opt_threshold(threshold, 8, "fleet_ratio")
    if a._draws ~= b._draws then
      error(("tpp: fleet_ratio: %d draws against %d; simulate both with the same draws"):format(a._draws,
        b._draws), 0)
    end
    local r = ffi.new("double[?]", a._draws)
    local q = ffi.new("double[?]", k > 0 and k or 1)
    local mean, pa = ffi.new("double[1]"), ffi.new("double[1]")
    local err = ffi.new("tpp_error")
    if C.tpp_series_ratio(a._buf + oa, b._buf + ob, a._draws, r, err) ~= C.TPP_OK or
       C.tpp_series_summary(r, a._draws, p, k, threshold, q, mean, pa, err) ~= C.TPP_OK then
      raise(err)
    end
    return summary_table(q, k, mean[0], pa[0])
  end

  local function read_dist(kind, low, central, high, coverage, fname)
    checkint(kind, 1, fname)
    for i, v in ipairs({ low, central, high }) do
      if type(v) ~= "number" then
        error(("bad argument #%d to '%s' (number expected, got %s)"):format(i + 1, fname,
          v == nil and "no value" or type(v)), 3)
      end
    end
    if coverage ~= nil and type(coverage) ~= "number" then
      error(("bad argument #5 to '%s' (number expected, got %s)"):format(fname, type(coverage)), 3)
    end
    local d = ffi.new("tpp_dist")
    local err = ffi.new("tpp_error")
    if C.tpp_dist_fit(kind, low, central, high, coverage or 0.90, d, err) ~= C.TPP_OK then raise(err) end
    return d
  end

  function M.dist_fit(kind, low, central, high, coverage)
    local d = read_dist(kind, low, central, high, coverage, "dist_fit")
    return { kind = d.kind, low = d.low, central = d.central, high = d.high, coverage = d.coverage, mu = d.mu,
             sigma_low = d.sigma_low, sigma_high = d.sigma_high, mode_cdf = d.mode_cdf, mean = C.tpp_dist_mean(d) }
  end

  function M.dist_quantile(kind, low, central, high, coverage, p)
    if type(p) ~= "number" then
      error(("bad argument #6 to 'dist_quantile' (number expected, got %s)"):format(p == nil and "no value" or
        type(p)), 2)
    end
    local d = read_dist(kind, low, central, high, coverage, "dist_quantile")
    if not (p >= 0 and p <= 1) then
      error("bad argument #6 to 'dist_quantile' (probability in [0, 1] expected)", 2)
    end
    return C.tpp_dist_quantile(d, p)
  end

  function M.normal_quantile(p)
    if type(p) ~= "number" then
      error(("bad argument #1 to 'normal_quantile' (number expected, got %s)"):format(p == nil and "no value" or
        type(p)), 2)
    end
    if not (p > 0 and p < 1) then error("bad argument #1 to 'normal_quantile' (probability in (0, 1) expected)", 2) end
    return C.tpp_normal_quantile(p)
  end
end
