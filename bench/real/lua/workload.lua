-- Deterministic Lua workload for the real-package runs: tables, strings,
-- closures, coroutines, string.format, load/string.dump, finalizers, weak
-- tables and both collector modes.  Its output must not depend on the
-- allocator, on addresses or on Lua's per-run hash seed: nothing here prints
-- a table address or iterates pairs() in hash order without sorting.
-- Runs in about half a second natively.

math.randomseed(42)
local out = {}
local function say(fmt, ...) out[#out + 1] = string.format(fmt, ...) end

-- Tables: sort with a comparator, insert/remove/move/concat/unpack.
do
  local t = {}
  for i = 1, 60000 do t[i] = math.random(1, 1000000) end
  table.sort(t, function(a, b) return a > b end)
  say("sorted: first=%d last=%d n=%d", t[1], t[#t], #t)
  for i = 1, 1000 do table.insert(t, 1, i) end
  for _ = 1, 500 do table.remove(t, 1) end
  local m = table.move(t, 1, 10, 1, {})
  say("moved: %s", table.concat(m, ","))
  say("unpack: %d", select("#", table.unpack(t, 1, 200)))
end

-- Records with string keys, grouped and summed; keys are sorted before use.
do
  local groups = {}
  for i = 1, 40000 do
    local k = "key" .. (i % 97)
    local g = groups[k] or { n = 0, sum = 0, items = {} }
    groups[k] = g
    g.n, g.sum = g.n + 1, g.sum + i * 0.5
    g.items[#g.items + 1] = { id = i, name = ("item%05d"):format(i) }
  end
  local keys = {}
  for k in pairs(groups) do keys[#keys + 1] = k end
  table.sort(keys)
  local acc = 0
  for _, k in ipairs(keys) do acc = acc + groups[k].sum / groups[k].n end
  say("groups: %d keys, mean of means %.4f, %s", #keys, acc / #keys, keys[#keys])
end

-- Strings: rep, gsub, gmatch, find, byte/char, upper, pack/unpack, utf8.
do
  local s = string.rep("The quick brown fox jumps over the lazy dog. ", 2000)
  local words, n = 0, 0
  for w in s:gmatch("%a+") do words = words + 1; n = n + #w end
  local r, c = s:gsub("(%a+) (%a+)", "%2 %1")
  say("words=%d letters=%d swaps=%d len=%d", words, n, c, #r)
  say("find=%d upper=%s", s:find("lazy", 1000, true), s:sub(1, 19):upper())
  local bytes = {}
  for i = 1, 256 do bytes[i] = string.char((i * 7) % 256) end
  local bin = table.concat(bytes)
  local sum = 0
  for i = 1, #bin do sum = sum + bin:byte(i) end
  say("bytes: %d sum=%d", #bin, sum)
  local packed = string.pack("<i4 d z s2", -12345, 3.25, "zero", "counted")
  local a, b, z, cs = string.unpack("<i4 d z s2", packed)
  say("pack: %d bytes -> %d %.2f %s %s", #packed, a, b, z, cs)
  local u = utf8.char(72, 233, 8364, 128512)
  say("utf8: len=%d bytes=%d codes=%s", utf8.len(u), #u,
      table.concat({ utf8.codepoint(u, 1, -1) }, " "))
end

-- string.format in every conversion, including %q round trips.
do
  local parts = {}
  for i = 1, 3000 do
    parts[#parts + 1] = string.format("%5d|%-8s|%08.3f|%x|%X|%o|%e|%g|%c|%q|%s|%a",
      i, "n" .. i, i / 7, i * 31, i * 17, i, i * 1e-3, i / 3, 65 + i % 26,
      "line\n\"" .. i .. "\"\0end", i % 2 == 0, 1.0 / i)
  end
  local joined = table.concat(parts, "\n")
  local q = string.format("%q", joined)
  local back = load("return " .. q)()
  say("format: %d chars, %%q round trip %s, %s", #joined, tostring(back == joined), parts[3000]:sub(1, 40))
  say("%%q numbers: %s %s %s", string.format("%q", 1 / 3), string.format("%q", math.mininteger),
      string.format("%q", 255))
end

-- Closures: counters sharing upvalues, memoisation, recursion.
do
  local function counter()
    local n = 0
    return function() n = n + 1; return n end, function() return n end
  end
  local incs = {}
  for i = 1, 2000 do
    local inc, get = counter()
    for _ = 1, i % 13 do inc() end
    incs[i] = get
  end
  local total = 0
  for i = 1, #incs do total = total + incs[i]() end
  local memo = {}
  local function fib(k)
    if k < 2 then return k end
    local v = memo[k]
    if not v then v = fib(k - 1) + fib(k - 2); memo[k] = v end
    return v
  end
  local function ack(m, n)
    if m == 0 then return n + 1 end
    if n == 0 then return ack(m - 1, 1) end
    return ack(m - 1, ack(m, n - 1))
  end
  say("closures: total=%d fib(90)=%d ack(2,300)=%d", total, fib(90), ack(2, 300))
end

-- Coroutines: generators, wrap, errors inside coroutines, close.
do
  local function gen(n)
    return coroutine.wrap(function()
      for i = 1, n do coroutine.yield(i * i) end
    end)
  end
  local s = 0
  for v in gen(20000) do s = s + v end
  local cos = {}
  for i = 1, 300 do
    cos[i] = coroutine.create(function(a)
      local b = coroutine.yield(a + 1)
      if b % 50 == 0 then error({ code = b }) end
      return a + b
    end)
  end
  local ok, errs, sum = 0, 0, 0
  for i, co in ipairs(cos) do
    local _, first = coroutine.resume(co, i)
    local good, r = coroutine.resume(co, first)
    if good then ok = ok + 1; sum = sum + r else errs = errs + r.code end
  end
  local pending = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(pending)
  say("coroutines: squares=%d ok=%d errcodes=%d sum=%d close=%s %s", s, ok, errs, sum,
      tostring(coroutine.close(pending)), coroutine.status(pending))
end

-- Errors: pcall/xpcall with tables, messages and tracebacks.
do
  local caught = 0
  for i = 1, 5000 do
    local ok, e = pcall(function()
      if i % 3 == 0 then error({ i = i }) elseif i % 3 == 1 then error("e" .. i, 0) end
      return i
    end)
    if not ok then caught = caught + 1 end
    if type(e) == "table" then caught = caught + e.i % 2 end
  end
  local _, tb = xpcall(function() local x = nil; return x.field end, debug.traceback)
  say("errors: caught=%d traceback lines=%d", caught, select(2, tb:gsub("\n", "")))
end

-- load and string.dump: compile chunks at run time.
do
  local acc = 0
  for i = 1, 500 do
    local f = assert(load("local a = ... return a * " .. i .. " + " .. (i % 7)))
    local g = assert(load(string.dump(f), "dumped", "b"))
    acc = acc + f(2) + g(3)
  end
  say("load: acc=%d", acc)
end

-- Files: io.tmpfile write, seek, read by lines.
do
  local f = assert(io.tmpfile())
  for i = 1, 5000 do f:write(i, "\t", ("x"):rep(i % 40), "\n") end
  f:seek("set")
  local lines, chars = 0, 0
  for l in f:lines() do lines = lines + 1; chars = chars + #l end
  f:close()
  say("io: lines=%d chars=%d", lines, chars)
end

-- Collector: finalizers, weak tables, generational and incremental modes.
do
  local finalized = 0
  local mt = { __gc = function() finalized = finalized + 1 end }
  local weak = setmetatable({}, { __mode = "k" })
  local strong = {}
  for i = 1, 20000 do
    local o = setmetatable({ i }, mt)
    weak[o] = i
    if i % 10 == 0 then strong[#strong + 1] = o end
  end
  collectgarbage("generational")
  for _ = 1, 3 do local junk = {}; for i = 1, 20000 do junk[i] = { i } end end
  collectgarbage()
  collectgarbage("incremental")
  collectgarbage()
  local left = 0
  for _ in pairs(weak) do left = left + 1 end
  say("gc: finalized=%d weak left=%d strong=%d", finalized, left, #strong)
end

print(table.concat(out, "\n"))
