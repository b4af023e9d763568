-- wrk: the mixed load. Each request is a random line of the file given after `--`: a viewer's
-- cookies and a page (bench/mixed.py draws them). The summary line comes from latency.lua.
dofile("latency.lua")

local requests = {}

init = function(args)
  for line in io.lines(args[1]) do
    local cookie, path = line:match("^([^\t]*)\t(.+)$")
    requests[#requests + 1] = wrk.format(
      "GET", path, { ["Cookie"] = cookie, ["X-Forwarded-Proto"] = "https" }
    )
  end
  math.randomseed(tonumber(tostring(args[2] or os.time())) + #requests)
end

request = function()
  return requests[math.random(#requests)]
end
