// The same Messages calls for every producer: non-streaming and streaming, with prompt caching (5m and 1h)
// so that cache writes and cache reads are non-zero. Prompts past the mock's 1,024-token caching minimum.
'use strict';

const MODEL = 'claude-sonnet-4-6';

function longText(topic) {
  const sentence = `This is the standing brief for the ${topic} assistant: answer precisely, cite the policy section, and keep answers short. `;
  return sentence.repeat(60); // ~7,000 characters, ~1,750 tokens
}

/** Runs the calls through `client`; returns one line per call for the test's log. */
async function runCalls(client) {
  const seen = [];
  const system5m = [{ type: 'text', text: longText('billing'), cache_control: { type: 'ephemeral' } }];
  const system1h = [{ type: 'text', text: longText('shipping'), cache_control: { type: 'ephemeral', ttl: '1h' } }];
  const ask = (text) => [{ role: 'user', content: text }];

  // 1. non-streaming, writes the 5-minute cache; 2. the same prefix again, reads it
  for (const question of ['What is the refund window?', 'And for annual plans?']) {
    const m = await client.messages.create({ model: MODEL, max_tokens: 200, system: system5m, messages: ask(question) });
    seen.push({ streaming: false, usage: m.usage });
  }

  // 3. streaming, writes the 1-hour cache; 4. streaming again, reads it
  for (const question of ['How long does shipping take?', 'And to Canada?']) {
    const stream = await client.messages.create({ model: MODEL, max_tokens: 200, system: system1h, messages: ask(question), stream: true });
    let usage = null;
    for await (const event of stream) {
      if (event.type === 'message_start') usage = { ...event.message.usage };
      if (event.type === 'message_delta') usage = { ...usage, ...event.usage };
    }
    seen.push({ streaming: true, usage });
  }

  // 5. no caching at all
  const plain = await client.messages.create({ model: MODEL, max_tokens: 100, messages: ask('Say hello.') });
  seen.push({ streaming: false, usage: plain.usage });
  return seen;
}

module.exports = { runCalls, MODEL };
