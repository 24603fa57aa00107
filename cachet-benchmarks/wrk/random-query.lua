-- Gives every request a distinct ?r= value, so that a cached route misses every time.
-- Usage: wrk ... -s random-query.lua http://127.0.0.1:PORT/path -- <run-tag>
-- wrk runs one Lua state per thread: setup() numbers the threads in the main state, and the
-- run tag keeps values distinct across runs against the same server.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  prefix = wrk.path .. "?r=" .. (args[1] or "run") .. "-" .. tostring(id) .. "-"
  counter = 0
end

function request()
  counter = counter + 1
  return wrk.format(nil, prefix .. counter)
end
