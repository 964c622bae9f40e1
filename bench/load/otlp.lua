-- POSTs the protobuf payload named by $PAYLOAD to the OTLP receiver (bench/otlp-load.sh).
local f = assert(io.open(os.getenv("PAYLOAD"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/x-protobuf"
