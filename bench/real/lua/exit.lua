-- Leaves the interpreter through os.exit without closing the state, with
-- live tables, strings, closures and a suspended coroutine: every block is
-- still reachable from main's lua_State, so no leak may be reported.
local keep = {}
for i = 1, 2000 do keep[i] = { tostring(i), function() return i end } end
local co = coroutine.create(function(x) coroutine.yield(x .. "!") end)
print(coroutine.resume(co, "suspended"))
io.stdout:flush()
os.exit(3)
