-- wrk script: the Messages request of messages.lua, tagged with one of 1,000 users and a tenant, so that
-- per-user policies keep many counters (the gateway's policy-load benchmark).
wrk.method = "POST"
wrk.headers["x-api-key"] = "sk-ant-bench-not-a-key"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.headers["content-type"] = "application/json"
wrk.headers["Claudit-Tenant"] = "acme"
wrk.body = '{"model":"claude-haiku-4-5","max_tokens":256,"stream":false' ..
  ',"messages":[{"role":"user","content":"Summarise the benefits of observability for LLM applications in two sentences."}]}'
local n = 0
request = function()
  n = n + 1
  wrk.headers["Claudit-User"] = "user-" .. (n % 1000)
  return wrk.format()
end
