// The official TypeScript SDK through the gateway: every endpoint an app calls, and a Message Batch
// of 20 requests followed to its results. env: ANTHROPIC_BASE_URL (the gateway).
'use strict';

process.env.ANTHROPIC_OPEN_TELEMETRY = 'false';
const Anthropic = require('@anthropic-ai/sdk');
const { MODEL } = require('./calls.js');

(async () => {
  const client = new Anthropic({
    baseURL: process.env.ANTHROPIC_BASE_URL,
    apiKey: 'sk-ant-endpoints-test',
    maxRetries: 0,
    defaultHeaders: { 'Claudit-Feature': 'batch-nightly', 'Claudit-User': 'user_endpoints' },
  });
  const ask = (text) => [{ role: 'user', content: text }];

  const counted = await client.messages.countTokens({ model: MODEL, messages: ask('How many tokens is this?') });
  const models = [];
  for await (const model of client.models.list({ limit: 5 })) models.push(model.id);

  let streamedOutput = 0;
  const stream = await client.messages.create({ model: MODEL, max_tokens: 120, messages: ask('Stream a short answer.'), stream: true });
  for await (const event of stream) {
    if (event.type === 'message_delta') streamedOutput = event.usage.output_tokens;
  }

  const requests = Array.from({ length: 20 }, (_, i) => ({
    custom_id: `nightly-${i}`,
    params: { model: MODEL, max_tokens: 150, messages: ask(`Summarise ticket number ${i}.`) },
  }));
  const created = await client.messages.batches.create({ requests });
  let batch = created;
  const deadline = Date.now() + 60_000;
  while (batch.processing_status !== 'ended') {
    if (Date.now() > deadline) throw new Error(`batch ${batch.id} did not end in 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    batch = await client.messages.batches.retrieve(created.id);
  }

  const results = [];
  for await (const result of await client.messages.batches.results(created.id)) {
    results.push({ custom_id: result.custom_id, type: result.result.type, usage: result.result.type === 'succeeded' ? result.result.message.usage : null });
  }

  console.log(JSON.stringify({
    count_tokens: counted.input_tokens,
    models,
    streamed_output_tokens: streamedOutput,
    batch_id: created.id,
    results_url: batch.results_url,
    results,
  }));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
