// The Claudit dashboard: vanilla JS over the JSON API (docs/api.md), charts drawn as SVG here, so
// the page works offline and loads nothing but this gateway's own files. All state is in the URL.
"use strict";
const FILTERS = ["range", "since", "until", "model", "feature", "user", "tenant", "endpoint", "cost"];
const COLORS = ["#4f7cc9", "#e07a3f", "#3a9e6b", "#c4482f", "#8a5cc2", "#c9a227", "#3aa3b5", "#8a93a0"];
const main = document.getElementById("main");
let refreshTimer = null;

function params() { return new URLSearchParams(location.search); }
function filterQuery(extra) {
  const p = params(), q = new URLSearchParams();
  for (const f of FILTERS) if (p.get(f)) q.set(f, p.get(f));
  if (!q.get("range")) q.set("range", "24h");
  if (q.get("range") !== "custom") { q.delete("since"); q.delete("until"); }
  for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
  return q.toString();
}
function go(changes) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) { if (v === null || v === "") p.delete(k); else p.set(k, v); }
  history.pushState(null, "", "?" + p.toString());
  render();
}
async function getJson(url) {
  const r = await fetch(url);
  // Not logged in (or the session ended): the login page brings the user back here.
  // Several requests may fail at once (a view and the alerts badge): navigate once.
  if (r.status === 401) { if (!getJson.leaving) { getJson.leaving = true; location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search)); } throw new Error("not logged in"); }
  const body = await r.json();
  if (!r.ok) throw new Error(typeof body.error === "string" ? body.error : body.error?.message || r.statusText);
  return body;
}
function api(path, extra) { return getJson(path + (path.includes("?") ? "&" : "?") + filterQuery(extra)); }
function esc(s) { return String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c])); }
function usd(v) { return v == null ? "–" : "$" + Number(v).toFixed(Math.abs(v) < 1 ? 4 : 2); }
function ms(v) { return v == null ? "–" : Math.round(v).toLocaleString("en-US") + " ms"; }
function pct(v) { return v == null ? "–" : (v * 100).toFixed(1) + "%"; }
function num(v) { return v == null ? "–" : Number(v).toLocaleString("en-US"); }
function time(t) { return new Date(t).toISOString().replace("T", " ").slice(0, 19); }

// Which cost the numbers are: as recorded (each call priced when captured, with the tables it names) or re-priced with the gateway's table.
function costBasis(o) { return `${o.cost_mode === "recomputed" ? "re-priced" : "as recorded"}${o.price_tables ? ", prices of " + esc(o.price_tables) : ""}`; }

// The Cost view's "Recorded vs billed" panel: the gateway's reconciliation of finished days with the Admin API (docs/reconcile.md).
function reconcilePanel(r) {
  if (!r.status.enabled) return panel("Recorded vs billed", `<p>Off: start the gateway with <code>claudit serve --admin-key-env NAME</code> to compare each finished day with Anthropic's bill.</p>`, "reconcile");
  const side = x => `<td class="num">${num(x.uncached_input_tokens + x.cache_write_5m_tokens + x.cache_write_1h_tokens + x.cache_read_input_tokens + x.output_tokens)}</td><td class="num">${usd(x.cost_usd)}</td>`;
  const rows = r.rows.map(x => `<tr data-testid="reconcile-row"><td>${esc(x.bucket.slice(0, 10))}</td><td>${esc(x.model)}</td><td>${esc(x.service_tier)}</td>${side(x.recorded)}${side(x.billed)}
    <td class="num">${usd(x.difference.cost_usd)}</td><td class="${x.verdict === "match" ? "" : "error"}" data-testid="reconcile-verdict">${esc(x.verdict)}</td></tr>`);
  const note = r.status.last_error ? `<p class="error">Last pass failed: ${esc(r.status.last_error)}</p>` : r.status.last_run ? `<p>Reconciled ${esc(time(r.status.last_run))} UTC; unrecorded spend ${pct(r.totals.unrecorded_share)} of billed.</p>` : `<p>First pass running.</p>`;
  return panel("Recorded vs billed", note + table(["day (UTC)", "model", "tier", "#recorded tokens", "#recorded cost", "#billed tokens", "#billed cost", "#difference", "verdict"], rows), "reconcile");
}

function card(label, value, cur, prev, fmt, higherIsWorse, testid) {
  let change = "";
  if (prev != null && cur != null) {
    if (prev === 0) change = cur === 0 ? "no change" : "new";
    else { const d = (cur - prev) / Math.abs(prev); change = (d >= 0 ? "▲ " : "▼ ") + Math.abs(d * 100).toFixed(1) + "% vs previous";
      change = `<span class="change ${(d > 0) === higherIsWorse ? "up" : "down"}">${change}</span>`; }
  }
  return `<div class="card" data-testid="${testid}"><div class="label">${label}</div><div class="value">${fmt(value)}</div><div class="change">${change}</div></div>`;
}

// A line (or stacked bar) chart of a /api/timeseries answer, as inline SVG.
function chart(ts, opts = {}) {
  const W = 560, H = 180, L = 48, B = 20, T = 8;
  const n = ts.buckets.length;
  if (!ts.series.length || n === 0) return `<p>No data.</p>`;
  const series = ts.series.slice(0, 8);
  let max = 0;
  if (opts.stack) for (let i = 0; i < n; i++) max = Math.max(max, series.reduce((s, l) => s + (l.values[i] || 0), 0));
  else for (const l of series) for (const v of l.values) if (v != null) max = Math.max(max, v);
  if (max === 0) max = 1;
  const x = i => L + (W - L - 4) * (n === 1 ? 0.5 : i / (n - 1)), y = v => H - B - (H - B - T) * v / max;
  let svg = `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img">`;
  for (const f of [0, 0.5, 1]) svg += `<line x1="${L}" x2="${W}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#eef0f3"/><text x="2" y="${y(max * f) + 3}">${esc((opts.fmt || num)(max * f))}</text>`;
  svg += `<text x="${L}" y="${H - 4}">${time(ts.buckets[0]).slice(5, 16)}</text><text x="${W - 90}" y="${H - 4}">${time(ts.buckets[n - 1]).slice(5, 16)}</text>`;
  if (opts.stack) {
    const bw = Math.max(1, (W - L) / n - 1), base = new Array(n).fill(0);
    series.forEach((l, si) => l.values.forEach((v, i) => { if (!v) return; const y0 = y(base[i]), y1 = y(base[i] + v); base[i] += v;
      svg += `<rect x="${L + (W - L) * i / n}" y="${y1}" width="${bw}" height="${y0 - y1}" fill="${COLORS[si % 8]}"><title>${esc(l.key)} ${time(ts.buckets[i])}: ${esc((opts.fmt || num)(v))}</title></rect>`; }));
  } else {
    series.forEach((l, si) => { let d = "", pen = false;
      l.values.forEach((v, i) => { if (v == null) { pen = false; return; } d += (pen ? "L" : "M") + x(i).toFixed(1) + " " + y(v).toFixed(1); pen = true; });
      svg += `<path d="${d}" fill="none" stroke="${COLORS[si % 8]}" stroke-width="1.5"/>`; });
  }
  svg += `</svg><div class="legend">${series.map((l, i) => `<span><i class="c${i % 8}"></i>${esc(l.key)}</span>`).join("")}</div>`;
  return svg;
}
function panel(title, body, testid) { return `<div class="panel" data-testid="${testid || ""}"><h2>${title}</h2>${body}</div>`; }
function table(head, rows) {
  return `<table><thead><tr>${head.map(h => `<th class="${h.startsWith("#") ? "num" : ""}">${esc(h.replace(/^#/, ""))}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
function callLink(id, text) { return `<a class="link" data-call="${esc(id)}">${esc(text)}</a>`; }
function sessionLink(id) { return id ? `<a class="link" data-session="${esc(id)}">${esc(id)}</a>` : "–"; }
function callRows(calls) {
  return calls.map(c => `<tr data-testid="call-row"><td>${callLink(c.id, time(c.start_time))}</td><td>${esc(c.model)}</td><td>${esc(c.status)}${c.error_type ? " · " + esc(c.error_type) : ""}</td>
    <td class="num">${usd(c.cost_usd)}</td><td class="num">${ms(c.latency_ms)}</td><td class="num">${num(c.input_tokens)} / ${num(c.output_tokens)}</td><td>${esc(c.tools.join(", "))}</td><td>${esc(c.request_id)}</td><td>${sessionLink(c.session)}</td></tr>`);
}
const CALL_HEAD = ["time", "model", "status", "#cost", "#latency", "#in / out tokens", "tools", "request id", "session"];

// A policy's amounts in its unit: dollars, or whole requests or tokens.
function amount(p, v) { return p.unit === "usd" ? usd(v) : num(Math.ceil(v)); }
function unitName(p) { return p.unit === "usd" ? "" : " " + p.unit; }
// How full a policy is, as a bar: used, then what calls in flight hold, against the limit (red past it).
function usageBar(p) {
  const W = 300, used = Math.min(1, p.used / p.limit), held = Math.min(1 - used, p.reserved / p.limit);
  return `<svg width="${W}" height="12" role="img"><rect width="${W}" height="12" fill="#eef0f3"/><rect width="${(W * used).toFixed(1)}" height="12" fill="${p.ratio >= 1 ? "#c4482f" : p.ratio >= 0.8 ? "#e07a3f" : "#4f7cc9"}"/>` +
    `<rect x="${(W * used).toFixed(1)}" width="${(W * held).toFixed(1)}" height="12" fill="#c9d1dd"/></svg>`;
}
function describePolicy(p) {
  const match = p.match ? " where " + Object.entries(p.match).map(([k, v]) => `${k} ${v}`).join(", ") : "";
  return `${p.kind === "budget" ? "budget" : "rate limit"} · ${p.scope === "global" ? "all calls" : "per " + p.scope}${match} · ${p.window} · ${p.action}${p.reserve === "strict" ? " · strict" : ""}`;
}
// Policies at or past 80% of their limit, as badges that open the Budgets view.
function budgetBadges(policies) {
  const full = policies.filter(p => p.ratio >= 0.8);
  return full.length === 0 ? "" : `<div class="badges">${full.map(p => `<a class="badge ${p.ratio >= 1 ? "over" : ""}" data-testid="budget-badge" data-goto="budgets">${esc(p.name)} ${Math.floor(p.ratio * 100)}%</a>`).join("")}</div>`;
}

// Alerts (docs/alerts.md): /api/alerts takes no filter, so it is fetched as is.
function alertsApi(path) { return getJson(path); }
function groupText(g) { const e = Object.entries(g || {}); return e.length ? e.map(([k, v]) => `${k}=${v ?? "(none)"}`).join(" ") : "(all calls)"; }
// A link of the gateway's own, followed inside the page; one elsewhere (a dashboard_url of the rules file) opens as it is.
function href(url) { try { const u = new URL(url, location.href); return u.origin === location.origin ? u.pathname + u.search + u.hash : u.href; } catch { return url; } }
function alertRows(list, withEnd) {
  return list.map(a => `<tr data-testid="alert-row" data-alert="${esc(a.alert_id)}"><td class="status-${esc(a.status)}">${esc(a.status)}</td><td>${esc(a.rule)}</td><td>${esc(groupText(a.group))}</td>
    <td>${esc(a.summary)}</td><td>${time(a.started_at)}</td>${withEnd ? `<td>${a.ended_at ? time(a.ended_at) : "–"}</td>` : ""}
    <td class="links"><a class="link" data-alert="${esc(a.alert_id)}">calls</a><a href="${esc(href(a.dashboard_url))}">view</a><a href="${esc(a.runbook_url)}" target="_blank" rel="noopener">runbook</a></td></tr>`);
}
// The calls behind an alert: its group's calls over its window (errors for error rules, slowest first for latency, dearest first for cost).
function alertCallsQuery(a) {
  const q = new URLSearchParams(), windowMs = (a.window_seconds ?? 300) * 1000, start = Date.parse(a.started_at);
  q.set("range", "custom");
  q.set("since", new Date(start - windowMs).toISOString());
  q.set("until", new Date(a.ended_at ? Date.parse(a.ended_at) + 1000 : Math.max(Date.now(), start + 1000)).toISOString());
  for (const [k, v] of Object.entries(a.group || {})) if (v != null && ["model", "feature", "user", "tenant", "session"].includes(k)) q.set(k, v);
  if (/error_rate|failure_rate|rate_limit|timeout/.test(a.metric) && a.metric !== "rate_limit_headroom") q.set("status", "error");
  else if (/latency|ttft/.test(a.metric)) q.set("order", "latency");
  else if (/cost|spend|budget/.test(a.metric)) q.set("order", "cost");
  q.set("limit", "100");
  return q.toString();
}
async function refreshAlertsBadge() {
  try {
    const a = await alertsApi("/api/alerts?limit=0"), badge = document.getElementById("alerts-badge");
    badge.textContent = a.firing.length; badge.hidden = a.firing.length === 0;
    return a;
  } catch { return null; }
}

const views = {
  async overview() {
    const [o, req, cost, endpoints, batches, budgets, alerts] = await Promise.all([api("/api/overview"), api("/api/timeseries", { metric: "requests" }), api("/api/timeseries", { metric: "cost", by: "model" }),
      api("/api/breakdown", { by: "endpoint", endpoint: "all" }), getJson("/api/batches?limit=100"), api("/api/budgets", { top: 0 }).catch(() => ({ policies: [] })), refreshAlertsBadge()]); // a tenant-scoped token may not read budgets or alerts
    const c = o.current, p = o.previous, firing = alerts ? alerts.firing : [];
    const badge = `<div class="card ${firing.length ? "firing" : "quiet"}" data-testid="alerts-firing" data-goto="alerts"><div class="label">Alerts firing</div><div class="value">${firing.length}</div>
      <div class="change">${firing.length ? esc(firing.slice(0, 3).map(a => a.rule + (Object.keys(a.group).length ? " · " + groupText(a.group) : "")).join("; ")) : "none"}</div></div>`;
    return `${budgetBadges(budgets.policies)}<div class="cards">${badge}
      ${card("Requests", c.requests, c.requests, p.requests, num, false, "requests")}
      ${card("Error rate", c.error_rate, c.error_rate, p.error_rate, pct, true, "error-rate")}
      ${card(`Total cost <small data-testid="cost-basis">(${costBasis(o)})</small>`, c.cost_usd, c.cost_usd, p.cost_usd, usd, true, "cost")}
      ${card("p95 latency", c.p95_latency_ms, c.p95_latency_ms, p.p95_latency_ms, ms, true, "p95-latency")}
      ${card("p95 TTFT", c.p95_ttft_ms, c.p95_ttft_ms, p.p95_ttft_ms, ms, true, "p95-ttft")}
      ${card("Cache hit rate", c.cache_hit_rate, c.cache_hit_rate, p.cache_hit_rate, pct, false, "cache-hit-rate")}
      ${card("Cost coverage", c.cost_coverage, null, null, pct, false, "cost-coverage")}
    </div><div class="grid2">${panel("Requests", chart(req))}${panel("Cost by model", chart(cost, { stack: true, fmt: usd }))}</div>
    <div class="grid2">${panel("Every endpoint <small>(the figures above cover " + esc(params().get("endpoint") || "billable") + " calls)</small>",
        table(["endpoint", "#calls", "#errors", "#cost", "#p50", "#p95"], endpoints.map(g => `<tr data-testid="endpoint-row"><td>${esc(g.key)}</td><td class="num">${num(g.calls)}</td><td class="num">${num(g.errors)}</td><td class="num">${usd(g.cost_usd)}</td><td class="num">${ms(g.latency_p50_ms)}</td><td class="num">${ms(g.latency_p95_ms)}</td></tr>`)), "endpoints")}
      ${panel("Message Batches", batches.gaps.length === 0 ? `<p data-testid="batch-gaps">${num(batches.batches.length)} batches followed; every ended batch's results were read through the gateway.</p>`
        : `<ul class="error" data-testid="batch-gaps">${batches.gaps.map(g => `<li>${esc(g)}</li>`).join("")}</ul><p>Their spend is not in the cost above: their results were read around the gateway.</p>`, "batches")}</div>`;
  },
  async cost() {
    const by = params().get("by") || "model";
    const [byClass, byFeature, top, rows] = await Promise.all([api("/api/timeseries", { metric: "cost", by: "token_class" }), api("/api/timeseries", { metric: "cost", by: "feature" }),
      api("/api/calls", { order: "cost", limit: 10 }), api("/api/breakdown", { by, limit: 25 })]);
    const [budget, perSession, o] = await Promise.all([api("/api/budget", { range: params().get("range") === "1h" ? "24h" : (params().get("range") || "24h") }), api("/api/sessions/costs"), api("/api/overview")]);
    const rec = await api("/api/reconcile");
    const most = Math.max(1, ...perSession.bins.map(b => b.sessions));
    const bins = perSession.bins.map(b => `<tr data-testid="session-cost-bin"><td>${usd(b.from_usd)} – ${b.to_usd == null ? "" : usd(b.to_usd)}</td><td class="num">${num(b.sessions)}</td>
      <td><svg width="200" height="10"><rect width="${(200 * b.sessions / most).toFixed(1)}" height="10" fill="#4f7cc9"/></svg></td></tr>`);
    return `<p class="basis" data-testid="cost-basis">Costs ${costBasis(o)}.</p><div class="grid2">${panel("Cost by token class", chart(byClass, { stack: true, fmt: usd }))}${panel("Cost by feature", chart(byFeature, { stack: true, fmt: usd }))}</div>
      ${panel(`Cost by <select id="cost-by">${["model", "feature", "user", "tenant"].map(b => `<option ${b === by ? "selected" : ""}>${b}</option>`).join("")}</select>`,
        table([by, "#calls", "#errors", "#cost"], rows.map(g => `<tr data-testid="cost-by-row"><td>${esc(g.key)}</td><td class="num">${num(g.calls)}</td><td class="num">${num(g.errors)}</td><td class="num">${usd(g.cost_usd)}</td></tr>`)), "cost-by")}
      ${panel(budget.daily_budget_usd == null ? "Spend per day (no daily budget set: claudit serve --daily-budget USD)" : `Spend per day vs the daily budget of ${usd(budget.daily_budget_usd)}`,
        table(["day (UTC)", "#calls", "#cost", "#of budget"], budget.days.map(d => `<tr data-testid="budget-row"><td>${esc(d.date)}</td><td class="num">${num(d.calls)}</td><td class="num">${usd(d.cost_usd)}</td>
          <td class="num ${d.share_of_budget > 1 ? "error" : ""}">${pct(d.share_of_budget)}</td></tr>`)), "budget")}
      ${panel(`Cost per session: ${num(perSession.sessions)} sessions, median ${usd(perSession.p50_usd)}, p90 ${usd(perSession.p90_usd)}, p99 ${usd(perSession.p99_usd)}, max ${usd(perSession.max_usd)}`,
        table(["cost per session", "#sessions", ""], bins), "session-costs")}
      ${reconcilePanel(rec)}
      ${panel("Most expensive calls", table(CALL_HEAD, callRows(top)), "top-calls")}`;
  },
  async latency() {
    const [lat, ttft, byModel, tps] = await Promise.all([api("/api/timeseries", { metric: "latency" }), api("/api/timeseries", { metric: "ttft" }),
      api("/api/timeseries", { metric: "latency", by: "model", stat: "p95" }), api("/api/timeseries", { metric: "tokens_per_second" })]);
    return `<div class="grid2">${panel("Latency p50/p95/p99", chart(lat, { fmt: ms }))}${panel("TTFT p50/p95/p99", chart(ttft, { fmt: ms }))}
      ${panel("p95 latency by model", chart(byModel, { fmt: ms }))}${panel("Output tokens/s", chart(tps))}</div>`;
  },
  async errors() {
    const [byType, recent] = await Promise.all([api("/api/timeseries", { metric: "errors", by: "error_type" }), api("/api/calls", { status: "error", limit: 25 })]);
    return panel("Errors by type", chart(byType, { stack: true })) + panel("Recent errors", table(["time", "model", "type", "#http", "message", "request id"],
      recent.map(c => `<tr data-testid="error-row"><td>${time(c.start_time)}</td><td>${esc(c.model)}</td><td>${esc(c.error_type)}</td><td class="num">${c.http_status ?? "–"}</td><td>${esc(c.error_message)}</td><td>${callLink(c.id, c.request_id || c.id)}</td></tr>`)), "recent-errors");
  },
  async quality() {
    const q = await api("/api/quality");
    const counts = rows => table(["", "#calls", "#share"], rows.map(s => `<tr><td>${esc(s.key)}</td><td class="num">${num(s.count)}</td><td class="num">${pct(s.share)}</td></tr>`));
    return `<div class="cards">${card("Answered calls", q.answered, null, null, num, false, "answered")}${card("max_tokens truncation", q.max_tokens_truncation_rate, null, null, pct, true, "truncation")}
      ${card("Tool calls per call", q.tool_calls_per_call, null, null, v => v == null ? "–" : v.toFixed(2), false, "tools-per-call")}</div>
      <div class="grid2">${panel("Stop reasons", counts(q.stop_reasons))}${panel("Quality flags", counts(q.quality_flags))}</div>`;
  },
  async models() {
    const rows = await api("/api/breakdown", { by: "model", limit: 100 });
    return panel("Calls and cost per model", table(["model", "#calls", "#errors", "#cost", "#p50 latency", "#p95 latency"], rows.map(g =>
      `<tr data-testid="model-row"><td>${esc(g.key)}</td><td class="num">${num(g.calls)}</td><td class="num">${num(g.errors)}</td><td class="num">${usd(g.cost_usd)}</td><td class="num">${ms(g.latency_p50_ms)}</td><td class="num">${ms(g.latency_p95_ms)}</td></tr>`)));
  },
  async sessions() {
    const s = await api("/api/sessions", { limit: 100 });
    return panel("Sessions", table(["session", "#turns", "#errors", "#cost", "#duration", "#tool calls", "models", "user", "feature"], s.map(x =>
      `<tr data-testid="session-row"><td>${sessionLink(x.id)}</td><td class="num">${x.calls}</td><td class="num">${x.errors}</td><td class="num">${usd(x.cost_usd)}</td><td class="num">${ms(x.duration_ms)}</td><td class="num">${x.tool_calls}</td><td>${esc(x.models.join(", "))}</td><td>${esc(x.user)}</td><td>${esc(x.feature)}</td></tr>`)));
  },
  async budgets() {
    const b = await api("/api/budgets");
    if (b.policies.length === 0) return `<p data-testid="no-policies">No budgets or rate limits: start the gateway with <code>claudit serve --policies FILE</code> (docs/budgets.md), or create a virtual key with a budget.</p>`;
    return b.policies.map(p => panel(`${esc(p.name)} <small>${esc(describePolicy(p))}</small>`,
      `<p class="usage" data-testid="policy-usage">${usageBar(p)} <b>${amount(p, p.used)}</b> of ${amount(p, p.limit)}${unitName(p)} (${pct(p.ratio)})` +
      `${p.scope_value ? ` for ${esc(p.scope)} ${esc(p.scope_value)}${p.scopes > 1 ? `, the fullest of ${num(p.scopes)}` : ""}` : ""}` +
      `${p.reserved > 0 ? `; ${amount(p, p.reserved)} held by calls in flight` : ""}; ${p.resets_at ? "resets " + time(p.resets_at) + " UTC" : "nothing counted yet"}</p>` +
      (p.top.length === 0 ? "<p>No recorded calls in this window yet.</p>" : table(["top spenders since " + time(p.window_start), "#" + (p.unit === "usd" ? "cost" : p.unit), "#of limit", "#calls"],
        p.top.map(t => `<tr data-testid="spender-row"><td>${esc(t.name ? `${t.name} (${t.scope})` : t.scope)}</td><td class="num">${amount(p, t.amount)}</td><td class="num">${pct(t.share)}</td><td class="num">${num(t.requests)}</td></tr>`))),
      "policy-" + esc(p.name))).join("");
  },
  async session(id) {
    const d = await getJson("/api/sessions/" + encodeURIComponent(id));
    const s = d.session, t0 = Date.parse(s.start), span = Math.max(1, Date.parse(s.end) - t0), W = 800;
    const bars = d.calls.map((c, i) => { const x = W * (Date.parse(c.start_time) - t0) / span, w = Math.max(2, W * c.latency_ms / span);
      return `<rect class="bar ${c.status === "error" ? "error" : ""}" x="${x.toFixed(1)}" y="${i * 16}" width="${w.toFixed(1)}" height="12"><title>${esc(c.model)} ${ms(c.latency_ms)}</title></rect>`; }).join("");
    return `<h2 data-testid="session-title">Session ${esc(s.id)}</h2><div class="cards">${card("Turns", s.calls, null, null, num, false, "session-calls")}${card("Cost", s.cost_usd, null, null, usd, true, "session-cost")}
      ${card("Duration", s.duration_ms, null, null, ms, true, "session-duration")}${card("Tool calls", s.tool_calls, null, null, num, false, "session-tools")}</div>
      ${panel("Timeline", `<svg class="timeline" viewBox="0 0 ${W} ${d.calls.length * 16}" width="100%">${bars}</svg>`)}
      ${panel("Calls", table(CALL_HEAD, callRows(d.calls)), "session-calls-table")}`;
  },
  async alerts() {
    const id = params().get("alert");
    if (id) {
      const a = await alertsApi("/api/alerts/" + encodeURIComponent(id));
      const calls = await alertsApi("/api/calls?" + alertCallsQuery(a));
      return `<h2 data-testid="alert-title">${esc(a.rule)}: <span class="status-${esc(a.status)}">${esc(a.status)}</span></h2>
        <p data-testid="alert-summary">${esc(a.summary)}</p>
        <div class="cards">${card("Started", a.started_at, null, null, time, false, "alert-started")}${card("Fired", a.fired_at, null, null, v => v ? time(v) : "–", false, "alert-fired")}
          ${card("Ended", a.ended_at, null, null, v => v ? time(v) : "–", false, "alert-ended")}${card("Calls in its window", a.calls, null, null, num, false, "alert-calls")}</div>
        <p><a href="${esc(href(a.dashboard_url))}">Open the ${esc(a.metric)} view over its time</a> · <a href="${esc(a.runbook_url)}" target="_blank" rel="noopener">Runbook: ${esc(a.metric)}</a> · <a class="link" data-goto="alerts">All alerts</a></p>
        ${panel(`The calls behind it (${esc(groupText(a.group))})`, table(CALL_HEAD, callRows(calls)), "alert-calls-table")}`;
    }

    const all = await alertsApi("/api/alerts?limit=100");
    await refreshAlertsBadge();
    const head = ["status", "rule", "group", "what", "since"], rules = all.rules.map(r => `<tr data-testid="rule-row"><td>${esc(r.name)}${r.built_in ? "" : " *"}</td><td>${esc(r.metric)}</td>
      <td>${esc(r.comparison.replace("_", " "))} ${esc(r.threshold)}</td><td>${esc(r.window ?? "–")}</td><td>${esc(r.for)}</td><td class="num">${num(r.min_calls)}</td><td>${esc(r.group_by.join(", ") || (r.metric.startsWith("budget") ? "budget" : "–"))}</td>
      <td class="num">${num(r.groups)}</td><td><a href="${esc(r.runbook_url)}" target="_blank" rel="noopener">runbook</a></td></tr>`);
    return `<p class="basis">Evaluated every ${esc(all.evaluate_every)}${all.evaluated_at ? ", last at " + time(all.evaluated_at) : ""}; notifications sent ${num(all.notifications.sent)}, failed ${num(all.notifications.failed)} (${num(all.notifications.targets)} targets).</p>
      ${panel(`Firing now (${all.firing.length})`, all.firing.length ? table(head.concat([""]), alertRows(all.firing, false)) : `<p data-testid="no-firing">Nothing is firing.</p>`, "alerts-firing-table")}
      ${all.pending.length ? panel(`Pending (${all.pending.length}): the condition holds, not yet for the rule's "for"`, table(head.concat([""]), alertRows(all.pending, false)), "alerts-pending-table") : ""}
      ${panel("History", all.history.length ? table(head.concat(["ended", ""]), alertRows(all.history, true)) : "<p>No alert has fired yet.</p>", "alerts-history-table")}
      ${panel("Rules", table(["rule", "metric", "condition", "window", "for", "#min calls", "group by", "#groups", ""], rules), "alerts-rules-table")}`;
  },
  async call(id) {
    const c = await getJson("/api/calls/" + encodeURIComponent(id));
    const rows = [];
    (function walk(prefix, v) {
      if (v !== null && typeof v === "object" && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(prefix ? prefix + "." + k : k, x);
      else rows.push(`<dt>${esc(prefix)}</dt><dd>${esc(Array.isArray(v) ? JSON.stringify(v) : v)}</dd>`);
    })("", c);
    return `<h2 data-testid="call-title">Call ${esc(c.id)}</h2>${panel("Every field", `<dl class="fields" data-testid="call-fields">${rows.join("")}</dl>`)}`;
  },
};

async function render() {
  const p = params(), form = document.getElementById("filters");
  for (const f of FILTERS) form.elements[f].value = p.get(f) || (f === "range" ? "24h" : "");
  form.classList.toggle("custom", form.elements.range.value === "custom");
  const view = p.get("call") ? "call" : p.get("session") ? "session" : p.get("view") || "overview";
  document.querySelectorAll("#views a").forEach(a => a.classList.toggle("active", a.dataset.view === view));
  if (view !== "overview" && view !== "alerts") refreshAlertsBadge();
  const status = document.getElementById("status");
  try {
    const html = await views[view](p.get("call") || p.get("session"));
    main.innerHTML = html;
    main.dataset.view = view;
    status.textContent = "updated " + new Date().toLocaleTimeString("en-GB");
  } catch (e) { main.innerHTML = `<p class="error" data-testid="error">${esc(e.message)}</p>`; }
  clearTimeout(refreshTimer);
  // Live ranges move with the clock: refresh them; a custom range or one call does not change.
  if (form.elements.range.value !== "custom" && view !== "call") refreshTimer = setTimeout(render, 10000);
}

document.getElementById("views").addEventListener("click", e => { const v = e.target.closest("a")?.dataset.view; if (v) go({ view: v, session: null, call: null, alert: null }); });
document.getElementById("filters").addEventListener("submit", e => {
  e.preventDefault(); const changes = {};
  for (const f of FILTERS) changes[f] = e.target.elements[f].value.trim();
  go(changes);
});
document.getElementById("filters").elements.range.addEventListener("change", e => e.target.form.classList.toggle("custom", e.target.value === "custom"));
main.addEventListener("click", e => {
  const to = e.target.closest("[data-goto]"); if (to) { go({ view: to.dataset.goto, alert: null, session: null, call: null }); return; }
  const a = e.target.closest("a.link"); if (!a) return;
  if (a.dataset.call) go({ call: a.dataset.call });
  else if (a.dataset.session) go({ session: a.dataset.session, call: null });
  else if (a.dataset.alert) go({ view: "alerts", alert: a.dataset.alert, session: null, call: null });
});
main.addEventListener("change", e => { if (e.target.id === "cost-by") go({ by: e.target.value }); });
window.addEventListener("popstate", render);
// Who is looking: a logged-in session shows its token's name and scope, and a way out.
getJson("/api/whoami").then(w => {
  if (!w.session) return;
  document.getElementById("whoami-name").textContent = w.name + " (" + w.role + (w.tenants ? ": " + w.tenants.join(", ") : "") + ")";
  document.getElementById("whoami").hidden = false;
}).catch(() => {});
render();
