-- wrk script: POST a small non-streaming Messages request (set STREAM=1 for streaming).
wrk.method = "POST"
wrk.headers["x-api-key"] = "sk-ant-bench-not-a-key"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.headers["content-type"] = "application/json"
local stream = os.getenv("STREAM") == "1"
wrk.body = '{"model":"claude-haiku-4-5","max_tokens":256,"stream":' .. tostring(stream) ..
  ',"messages":[{"role":"user","content":"Summarise the benefits of observability for LLM applications in two sentences."}]}'
