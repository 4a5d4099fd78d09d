-- Timed Lua workload of bench/real/timing.sh: allocation-heavy work typical
-- of scripts (binary trees, string building and splitting, table churn,
-- closures, sorting).  arg[1] scales the work (100 = full size, about a
-- second natively).  Prints checksums only, so the output is the same for
-- every build and run.
local scale = tonumber(arg[1]) or 100

local function tree(d)
  if d == 0 then return {} end
  return { tree(d - 1), tree(d - 1) }
end
local function check(t)
  if not t[1] then return 1 end
  return 1 + check(t[1]) + check(t[2])
end

local sum = 0
for _ = 1, math.max(1, 6 * scale // 100) do
  local long = tree(16)
  for d = 4, 14, 2 do
    for _ = 1, 2 ^ (16 - d) do sum = sum + check(tree(d)) end
  end
  sum = sum + check(long)
end
print("trees", sum)

local words, acc = {}, 0
for i = 1, 2000 * scale do
  local s = string.format("w%05d:%s", i % 9973, string.rep(string.char(97 + i % 26), 1 + i % 13))
  words[#words + 1] = s
  if #words >= 500 then
    local line = table.concat(words, " ")
    for w in line:gmatch("%S+") do acc = acc + #w end
    acc = acc + #line:gsub("w0", "W")
    words = {}
  end
end
print("strings", acc)

local keys, tab = 0, {}
for i = 1, 1500 * scale do
  local k = "k" .. (i * 7919) % 50021
  local v = tab[k]
  if v then v.n = v.n + 1 else tab[k] = { n = 1, f = function(x) return x + i end } end
  if i % 20000 == 0 then
    local list = {}
    for key, e in pairs(tab) do list[#list + 1] = key .. e.f(e.n) end
    table.sort(list)
    keys = keys + #list + #list[1]
    tab = {}
  end
end
print("tables", keys)
