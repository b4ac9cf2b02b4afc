-- wrk request mix for scripts/load.sh: 40 % read the 1,000-table diagram, 40 % post an op batch
-- to it (move a table, set its comment), 20 % list the diagrams. Reads take gzip, as browsers do,
-- unless LOAD_ENCODING is set to something else ("identity" for the plain JSON). BIG and TABLES come from the
-- environment; batches use base revision 1, which stays valid (the server applies stale batches
-- that still validate), so every answer should be 200. Every request carries the personal token
-- TOKEN (a script's way in).
local big = os.getenv("BIG")
local tables = {}
for id in string.gmatch(os.getenv("TABLES"), "[^,]+") do tables[#tables + 1] = id end
local auth = "Bearer " .. os.getenv("TOKEN")
local json = { ["Content-Type"] = "application/json", ["Authorization"] = auth }
local read = { ["Accept-Encoding"] = os.getenv("LOAD_ENCODING") or "gzip, deflate, br, zstd", ["Authorization"] = auth }
local list = { ["Authorization"] = auth }

request = function()
  local r = math.random(100)
  if r <= 40 then
    return wrk.format("GET", "/api/diagrams/" .. big, read)
  elseif r <= 80 then
    local t = tables[math.random(#tables)]
    local body = string.format(
      '{"base_revision":1,"ops":[{"op":"move_tables","moves":[{"table_id":"%s","x":%d,"y":%d}]},' ..
      '{"op":"update_table","table_id":"%s","patch":{"comment":"load %d"}}]}',
      t, math.random(0, 20000), math.random(0, 20000), t, math.random(1000000))
    return wrk.format("POST", "/api/diagrams/" .. big .. "/ops", json, body)
  else
    return wrk.format("GET", "/api/diagrams", list)
  end
end
