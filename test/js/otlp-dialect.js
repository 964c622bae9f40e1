// Makes calls.js's calls with one OpenTelemetry producer and exports its spans over OTLP/HTTP.
//   node otlp-dialect.js <traceloop|openinference|sdk> <proto|json>
// env: ANTHROPIC_BASE_URL (the gateway or the mock), OTLP_TRACES_URL (Claudit's receiver, .../v1/traces)
'use strict';

const [dialect, encoding] = process.argv.slice(2);
if (!['traceloop', 'openinference', 'sdk'].includes(dialect) || !['proto', 'json'].includes(encoding)) {
  console.error('usage: node otlp-dialect.js <traceloop|openinference|sdk> <proto|json>');
  process.exit(2);
}

// The SDK traces its own calls when a tracer provider is registered: only the producer under test may.
if (dialect !== 'sdk') process.env.ANTHROPIC_OPEN_TELEMETRY = 'false';

const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { OTLPTraceExporter } = encoding === 'proto'
  ? require('@opentelemetry/exporter-trace-otlp-proto')
  : require('@opentelemetry/exporter-trace-otlp-http');

const exporter = new OTLPTraceExporter({ url: process.env.OTLP_TRACES_URL, compression: encoding === 'proto' ? 'gzip' : 'none' });
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': `dialect-${dialect}` }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
provider.register();

// OpenLLMetry's Anthropic instrumentation (0.27) patches the SDK's 0.x shape (it wraps Completions, which
// the 1.x SDK no longer has): it is driven over the last 0.x SDK, installed beside 1.x as anthropic-sdk-0x.
const Anthropic = require(dialect === 'traceloop' ? 'anthropic-sdk-0x' : '@anthropic-ai/sdk');
if (dialect === 'traceloop') {
  const { AnthropicInstrumentation } = require('@traceloop/instrumentation-anthropic');
  const instrumentation = new AnthropicInstrumentation({ traceContent: false });
  instrumentation.setTracerProvider(provider);
  instrumentation.manuallyInstrument(Anthropic);
} else if (dialect === 'openinference') {
  const { AnthropicInstrumentation } = require('@arizeai/openinference-instrumentation-anthropic');
  const instrumentation = new AnthropicInstrumentation({ tracerProvider: provider, traceConfig: { hideInputs: true, hideOutputs: true } });
  instrumentation.manuallyInstrument(Anthropic);
}

const { runCalls } = require('./calls.js');

(async () => {
  const client = new Anthropic({ baseURL: process.env.ANTHROPIC_BASE_URL, apiKey: 'sk-ant-dialect-test', maxRetries: 0 });
  const seen = await runCalls(client);
  await provider.forceFlush();
  await provider.shutdown();
  console.log(JSON.stringify({ dialect, encoding, calls: seen.length, usage: seen.map((s) => s.usage) }));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
