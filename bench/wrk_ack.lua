-- wrk script for bench/ack.py: signed Slack commands, each one different, read from a file
-- (one "<timestamp>\t<signature>\t<body>" per line); each thread sends its share and stops.
local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   nthreads = tonumber(args[2])
   share = tonumber(args[3])
   queue = {}
   local i = 0
   for line in io.lines(args[1]) do
      if i % nthreads == id then
         local ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
         table.insert(queue, wrk.format("POST", "/slack/events", {
            ["Content-Type"] = "application/x-www-form-urlencoded",
            ["X-Slack-Request-Timestamp"] = ts, ["X-Slack-Signature"] = sig}, body))
      end
      i = i + 1
   end
   sent, answered, bad = 0, 0, 0
end

function request()
   sent = sent + 1
   return queue[((sent - 1) % #queue) + 1]
end

function response(status, headers, body)
   answered = answered + 1
   if status ~= 200 then bad = bad + 1 end
   if answered >= share then wrk.thread:stop() end
end

function done(summary, latency, requests)
   local bad_total = 0
   for _, t in ipairs(threads) do bad_total = bad_total + t:get("bad") end
   io.write(string.format("WRK requests=%d p50_us=%d p99_us=%d max_us=%d mean_us=%d non200=%d\n",
      summary.requests, latency:percentile(50), latency:percentile(99), latency.max, latency.mean, bad_total))
end
