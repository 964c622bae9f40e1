#!/usr/bin/env python3
"""Writes an OTLP/HTTP protobuf ExportTraceServiceRequest of N GenAI spans (the current GenAI conventions,
cache reads and writes, user and session tags), hand-encoded, for bench/otlp-load.sh.
   otlp-payload.py N OUT"""
import os, struct, sys, time

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)

def field(number, wire, payload):
    key = varint((number << 3) | wire)
    if wire == 2:
        return key + varint(len(payload)) + payload
    return key + payload

def s(number, text): return field(number, 2, text.encode())
def fixed64(number, n): return field(number, 1, struct.pack('<Q', n))
def any_string(v): return s(1, v)
def any_int(v): return field(3, 0, varint(v))
def kv(key, value): return field(1, 2, key.encode()) + field(2, 2, value)

def span(i, now):
    attrs = [
        kv('gen_ai.provider.name', any_string('anthropic')), kv('gen_ai.operation.name', any_string('chat')),
        kv('gen_ai.request.model', any_string('claude-sonnet-4-5')), kv('gen_ai.response.model', any_string('claude-sonnet-4-5-20250929')),
        kv('gen_ai.usage.input_tokens', any_int(6200 + i)), kv('gen_ai.usage.cache_read.input_tokens', any_int(4000)),
        kv('gen_ai.usage.cache_write.input_tokens', any_int(1000)), kv('gen_ai.usage.output_tokens', any_int(350)),
        kv('user.id', any_string('user_%03d' % (i % 50))), kv('session.id', any_string('sess_%04d' % (i % 200))),
    ]
    body = field(1, 2, os.urandom(16)) + field(2, 2, os.urandom(8)) + s(5, 'chat claude-sonnet-4-5') + field(6, 0, varint(3))
    body += fixed64(7, now - 2_000_000_000) + fixed64(8, now)
    for a in attrs:
        body += field(9, 2, a)
    return body

n, out = int(sys.argv[1]), sys.argv[2]
now = time.time_ns()
scope = field(1, 2, s(1, 'bench.genai'))
for i in range(n):
    scope += field(2, 2, span(i, now))
resource = field(1, 2, field(1, 2, kv('service.name', any_string('otlp-bench'))))
resource_spans = resource + field(2, 2, scope)
with open(out, 'wb') as f:
    f.write(field(1, 2, resource_spans))
