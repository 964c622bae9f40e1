// The Claudit dashboard: vanilla JS over the JSON API (docs/api.md), charts drawn as SVG here, so
// the page works offline and loads nothing but this gateway's own files. All state is in the URL.
// Each view is one request (/api/views/{view}); every chart point and table row opens the calls behind it.
"use strict";
const FILTERS = ["range", "since", "until", "model", "feature", "user", "tenant", "endpoint", "cost"];
// The drill-down filters of the Calls view, beyond the shared filter (and property.NAME).
const CALL_FILTERS = ["status", "error_type", "stop_reason", "request_id", "trace_id", "q", "order", "dir", "offset"];
const VIEW_PARAMS = { cost: ["by"], errors: ["offset"], sessions: ["q", "offset"], calls: CALL_FILTERS };
const main = document.getElementById("main");
let refreshTimer = null;
let shown = { now: Date.now(), since: null, until: null, bucket_seconds: 60 };

function params() { return new URLSearchParams(location.search); }
function filterQuery(extra, view) {
  const p = params(), q = new URLSearchParams();
  for (const f of FILTERS) if (p.get(f)) q.set(f, p.get(f));
  if (!q.get("range")) q.set("range", "auto");
  if (q.get("range") !== "custom") { q.delete("since"); q.delete("until"); }
  for (const f of VIEW_PARAMS[view] || []) if (p.get(f)) q.set(f, p.get(f));
  if (view === "calls") for (const [k, v] of p) if (k.startsWith("property.") && v) q.set(k, v);
  for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
  return q.toString();
}
function go(changes) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) { if (v === null || v === "" || v === undefined) p.delete(k); else p.set(k, v); }
  history.pushState(null, "", "?" + p.toString());
  render();
}
// A view with the shared filter only: what the last drill-down narrowed is let go.
function leave(view) {
  const clear = { view, session: null, call: null, alert: null, offset: null, by: null };
  for (const f of CALL_FILTERS) clear[f] = null;
  for (const k of params().keys()) if (k.startsWith("property.")) clear[k] = null;
  return clear;
}
// Opens the calls behind a chart point or table row: the shared filter, narrowed by what was clicked.
function drill(changes) { go(Object.assign(leave("calls"), changes)); }
async function getJson(url) {
  const r = await fetch(url);
  // Not logged in (or the session ended): the login page brings the user back here.
  // Several requests may fail at once (a view and the alerts badge): navigate once.
  if (r.status === 401) { if (!getJson.leaving) { getJson.leaving = true; location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search)); } throw new Error("not logged in"); }
  const body = await r.json();
  if (!r.ok) throw new Error(typeof body.error === "string" ? body.error : body.error?.message || r.statusText);
  return body;
}
// The first view's request, started by the page itself (<link rel="preload" id="view-data">) before this script ran.
const preloaded = document.getElementById("view-data");
async function viewData(view, extra) {
  const first = preloaded && !extra && !viewData.done ? preloaded.getAttribute("href") : null;
  viewData.done = true;
  const v = await getJson(first && first.startsWith(`/api/views/${view}?`) ? first : `/api/views/${view}?` + filterQuery(extra, view));
  shown = { now: Date.parse(v.now), since: Date.parse(v.since), until: Date.parse(v.until), bucket_seconds: v.bucket_seconds, range: v.range };
  return v;
}
function esc(s) { return String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c])); }

// Numbers chosen by magnitude: dollars with separators (4 decimals below $1, 3 significant digits below $0.0001),
// durations in ms, s, min or h, counts with separators, rates with one decimal.
const EN = "en-US";
function usd(v) {
  if (v == null) return "–";
  const a = Math.abs(v), sign = v < 0 ? "-" : "";
  if (a === 0) return "$0.00";
  if (a >= 1) return sign + "$" + a.toLocaleString(EN, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (a >= 0.0001) return sign + "$" + a.toFixed(4);
  return sign + "$" + a.toPrecision(3);
}
function ms(v) {
  if (v == null) return "–";
  const a = Math.abs(v);
  if (a < 1000) return Math.round(v).toLocaleString(EN) + " ms";
  if (a < 60_000) return (v / 1000).toFixed(a < 10_000 ? 2 : 1) + " s";
  if (a < 3_600_000) return (v / 60_000).toFixed(1) + " min";
  return (v / 3_600_000).toLocaleString(EN, { maximumFractionDigits: 1 }) + " h";
}
function pct(v) { return v == null ? "–" : (v * 100).toFixed(Math.abs(v) < 0.001 && v !== 0 ? 2 : 1) + "%"; }
function num(v) { return v == null ? "–" : Number(v).toLocaleString(EN, { maximumFractionDigits: Number.isInteger(v) ? 0 : 1 }); }
function count(v) { return v == null ? "–" : Math.round(v).toLocaleString(EN); }
function tps(v) { return v == null ? "–" : v.toLocaleString(EN, { maximumFractionDigits: 1 }) + " tok/s"; }
function time(t) { return new Date(t).toISOString().replace("T", " ").slice(0, 19); }
function change(cur, prev, higherIsWorse) {
  if (prev == null || cur == null) return "";
  if (prev === 0) return cur === 0 ? "no change" : "new";
  const d = (cur - prev) / Math.abs(prev);
  return `<span class="change ${(d > 0) === higherIsWorse ? "up" : "down"}">${d >= 0 ? "▲" : "▼"} ${Math.abs(d * 100).toFixed(1)}%</span>`;
}

// Which cost the numbers are: as recorded (each call priced when captured, with the tables it names) or re-priced with the gateway's table.
function costBasis(o) { return `${o.cost_mode === "recomputed" ? "re-priced" : "as recorded"}${o.price_tables ? ", prices of " + esc(o.price_tables) : ""}`; }

// The Cost view's "Recorded vs billed" panel: the gateway's reconciliation of finished days with the Admin API (docs/reconcile.md).
function reconcilePanel(r) {
  if (!r.status.enabled) return panel("Recorded vs billed", `<p>Off: start the gateway with <code>claudit serve --admin-key-env NAME</code> to compare each finished day with Anthropic's bill.</p>`, "reconcile");
  const side = x => `<td class="num">${count(x.uncached_input_tokens + x.cache_write_5m_tokens + x.cache_write_1h_tokens + x.cache_read_input_tokens + x.output_tokens)}</td><td class="num">${usd(x.cost_usd)}</td>`;
  const rows = r.rows.map(x => `<tr data-testid="reconcile-row"><td>${esc(x.bucket.slice(0, 10))}</td><td>${esc(x.model)}</td><td>${esc(x.service_tier)}</td>${side(x.recorded)}${side(x.billed)}
    <td class="num">${usd(x.difference.cost_usd)}</td><td class="${x.verdict === "match" ? "" : "error"}" data-testid="reconcile-verdict">${esc(x.verdict)}</td></tr>`);
  const note = r.status.last_error ? `<p class="error">Last pass failed: ${esc(r.status.last_error)}</p>` : r.status.last_run ? `<p>Reconciled ${esc(time(r.status.last_run))} UTC; unrecorded spend ${pct(r.totals.unrecorded_share)} of billed.</p>` : `<p>First pass running.</p>`;
  return panel("Recorded vs billed", note + table(["day (UTC)", "model", "tier", "#recorded tokens", "#recorded cost", "#billed tokens", "#billed cost", "#difference", "verdict"], rows), "reconcile");
}

function card(label, value, cur, prev, fmt, higherIsWorse, testid, extra) {
  const c = change(cur, prev, higherIsWorse);
  return `<div class="card" data-testid="${testid}"><div class="label">${label}</div><div class="value">${fmt(value)}</div><div class="change">${c ? c + " vs previous" : ""}${extra || ""}</div></div>`;
}

// A chart of a /api/timeseries answer as SVG drawn at the panel's width in pixels, so its text keeps its size.
// Each bucket is a column that shows every line's value on hover and opens the calls behind it on click or Enter;
// a bucket not yet over (it ends after now) is shaded and says so.
function chart(ts, opts = {}) {
  const n = ts.buckets.length;
  if (!ts.series.length || n === 0) return `<p>No data.</p>`;
  const W = Math.max(320, Math.floor((main.clientWidth - 32) / (opts.full ? 1 : 2)) - 40), H = 190, L = 64, B = 22, T = 8, fmt = opts.fmt || num;
  const series = ts.series.slice(0, 8), starts = ts.buckets.map(Date.parse), width = ts.bucket_seconds * 1000;
  const partial = i => starts[i] + width > shown.now || starts[i] < shown.since;
  let max = 0;
  if (opts.stack) for (let i = 0; i < n; i++) max = Math.max(max, series.reduce((s, l) => s + (l.values[i] || 0), 0));
  else for (const l of series) for (const v of l.values) if (v != null) max = Math.max(max, v);
  if (max === 0) max = 1;
  const cw = (W - L - 4) / n, x = i => L + cw * (i + 0.5), y = v => H - B - (H - B - T) * v / max;
  let svg = `<svg width="${W}" height="${H}" role="img" aria-label="${esc(opts.title || ts.metric)}">`;
  for (const f of [0, 0.5, 1]) svg += `<line class="grid" x1="${L}" x2="${W}" y1="${y(max * f)}" y2="${y(max * f)}"/><text x="${L - 6}" y="${y(max * f) + 4}" text-anchor="end">${esc(fmt(max * f))}</text>`;
  const ticks = Math.min(n, Math.max(2, Math.floor((W - L) / 110)));
  for (let t = 0; t < ticks; t++) { const i = Math.round(t * (n - 1) / Math.max(1, ticks - 1)); svg += `<text x="${x(i)}" y="${H - 6}" text-anchor="middle">${axisTime(starts[i])}</text>`; }
  for (let i = 0; i < n; i++) if (partial(i)) svg += `<rect class="partial" x="${L + cw * i}" y="${T}" width="${cw}" height="${H - B - T}"/>`;
  if (opts.stack) {
    const base = new Array(n).fill(0);
    series.forEach((l, si) => l.values.forEach((v, i) => { if (!v) return; const y0 = y(base[i]), y1 = y(base[i] + v); base[i] += v;
      svg += `<rect class="s${si % 8}" x="${L + cw * i + 0.5}" y="${y1}" width="${Math.max(1, cw - 1)}" height="${Math.max(0.5, y0 - y1)}"/>`; }));
  } else {
    series.forEach((l, si) => { let d = "", pen = false;
      l.values.forEach((v, i) => { if (v == null) { pen = false; return; } d += (pen ? "L" : "M") + x(i).toFixed(1) + " " + y(v).toFixed(1); pen = true; });
      svg += `<path class="line s${si % 8}" d="${d}"/>`; });
  }
  // Hover and click targets, one per bucket, over everything.
  for (let i = 0; i < n; i++) {
    const lines = series.map(l => `${l.key}: ${l.values[i] == null ? "–" : fmt(l.values[i])}`).join("\n");
    const drillTo = opts.drill ? opts.drill(i, starts[i], starts[i] + width) : null;
    svg += `<rect class="hit" x="${L + cw * i}" y="${T}" width="${cw}" height="${H - B - T}"${drillTo ? ` tabindex="0" data-drill="${esc(new URLSearchParams(drillTo).toString())}"` : ""}><title>${esc(time(starts[i]).slice(0, 16))}${partial(i) ? " (partial: the bucket is not over)" : ""}\n${esc(lines)}${drillTo ? "\nclick: the calls" : ""}</title></rect>`;
  }
  svg += `</svg><div class="legend">${series.map((l, i) => `<span><i class="c${i % 8}"></i>${esc(l.key)}</span>`).join("")}${ts.buckets.some((_, i) => partial(i)) ? `<span class="hint">shaded: partial bucket</span>` : ""}</div>`;
  return svg;
}
function axisTime(t) {
  const d = new Date(t), span = (shown.until || t) - (shown.since || t);
  return span > 2 * 86400_000 ? d.toISOString().slice(5, 16).replace("T", " ") : d.toISOString().slice(11, 16);
}
// The calls of one bucket, narrowed by extra filters.
function bucketCalls(extra) { return (i, from, to) => Object.assign({ range: "custom", since: new Date(from).toISOString(), until: new Date(Math.min(to, shown.until)).toISOString() }, extra || {}); }
function panel(title, body, testid) { return `<div class="panel" data-testid="${testid || ""}"><h2>${title}</h2>${body}</div>`; }
function table(head, rows) {
  // A heading is text ("#" before it: a number column), or markup of this page's own (a sort link) when it starts with "<".
  return `<table><thead><tr>${head.map(h => `<th class="${h.startsWith("#") || h.includes("data-order=\"cost\"") || h.includes("data-order=\"latency\"") ? "num" : ""}">${h.startsWith("<") ? h : esc(h.replace(/^#/, ""))}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
function callLink(id, text) { return `<a class="link" href="?call=${encodeURIComponent(id)}" data-call="${esc(id)}">${esc(text)}</a>`; }
// A session's messages per turn, when content capture stored them (redacted by the gateway before storing):
// the prompt's last user message, the answer, and the whole prompt folded away. Otherwise, why there are none.
function conversation(turns, capture) {
  const shown = turns.map((turn, i) => ({ i, c: [...turn.attempts].reverse().find(a => a.content)?.content })).filter(t => t.c);
  if (!shown.length) {
    return capture === "on"
      ? `<p class="hint" data-testid="content-none">Content capture is on, but none of this session's calls has stored content (made before it was turned on, or not Messages calls).</p>`
      : `<p class="hint" data-testid="content-off">Content capture is off: prompts and answers are not stored, only records (which hold no text). Start the gateway with <code>--capture-content</code>
        (or <code>CLAUDIT_CAPTURE_CONTENT=true</code>, or <code>"CaptureContent": true</code> in appsettings.json) to see each turn's messages here, redacted.</p>`;
  }
  const said = (role, text, id) => `<div class="msg ${esc(role)}"${id ? ` data-testid="${id}"` : ""}><span class="role">${esc(role)}</span><pre>${esc(text)}</pre></div>`;
  const items = shown.map(({ i, c }) => {
    const lastUser = [...c.messages].reverse().find(m => m.role === "user");
    return `<div class="turn-content" data-testid="turn-content"><h3>Turn ${i + 1}</h3>
      ${lastUser ? said("user", lastUser.text, "turn-prompt") : ""}${said("assistant", c.output ?? "–", "turn-output")}
      <details data-testid="turn-full-prompt"><summary>full prompt (${count(c.messages.length)} messages)</summary>${c.messages.map(m => said(m.role, m.text)).join("")}</details></div>`;
  });
  return panel(`Messages <span class="redacted" data-testid="content-redacted" title="e-mails, phone and card numbers, API keys and tokens were replaced before storing">redacted</span>`, items.join(""), "session-content");
}

function sessionLink(id) { return id ? `<a class="link" href="?session=${encodeURIComponent(id)}" data-session="${esc(id)}">${esc(id)}</a>` : "–"; }
// A row that opens the calls behind it: data-drill holds the filters to add.
function drillRow(testid, filters, cells) { return `<tr data-testid="${testid}" class="drill" tabindex="0" data-drill="${esc(new URLSearchParams(filters).toString())}">${cells}</tr>`; }
function tokens(c) {
  const cached = (c.cache_read_tokens || 0) + (c.cache_write_tokens || 0);
  return c.input_tokens == null ? "–" : `${count(c.input_tokens)}${cached ? ` + ${count(cached)} cached` : ""} / ${count(c.output_tokens)}`;
}
function callRows(calls) {
  return calls.map(c => `<tr data-testid="call-row"><td>${callLink(c.id, time(c.start_time))}</td><td>${esc(c.model)}</td><td class="${c.status === "error" ? "error" : ""}">${esc(c.status)}${c.error_type ? " · " + esc(c.error_type) : ""}${c.attempt ? ` · retry ${c.attempt}` : ""}</td>
    <td class="num">${usd(c.cost_usd)}</td><td class="num">${ms(c.latency_ms)}</td><td class="num">${tokens(c)}</td><td>${esc(c.tools.join(", "))}</td><td>${esc(c.request_id)}</td><td>${sessionLink(c.session)}</td></tr>`);
}
const CALL_HEAD = ["time", "model", "status", "#cost", "#latency", "#in (+cached) / out tokens", "tools", "request id", "session"];
function pager(offset, limit, hasMore, testid) {
  const o = Number(offset || 0);
  return `<div class="pager" data-testid="${testid}"><button type="button" data-offset="${Math.max(0, o - limit)}" ${o === 0 ? "disabled" : ""}>← newer</button>
    <span>${count(o + 1)}–${count(o + limit)}</span><button type="button" data-offset="${o + limit}" ${hasMore ? "" : "disabled"} data-testid="${testid}-next">older →</button></div>`;
}

// A policy's amounts in its unit: dollars, or whole requests or tokens.
function amount(p, v) { return p.unit === "usd" ? usd(v) : count(Math.ceil(v)); }
function unitName(p) { return p.unit === "usd" ? "" : " " + p.unit; }
// How full a policy is, as a bar: used, then what calls in flight hold, against the limit (red past it).
function usageBar(p) {
  const W = 300, used = Math.min(1, p.used / p.limit), held = Math.min(1 - used, p.reserved / p.limit);
  return `<svg width="${W}" height="12" role="img"><rect class="track" width="${W}" height="12"/><rect class="${p.ratio >= 1 ? "s3" : p.ratio >= 0.8 ? "s1" : "s0"}" width="${(W * used).toFixed(1)}" height="12"/>` +
    `<rect class="held" x="${(W * used).toFixed(1)}" width="${(W * held).toFixed(1)}" height="12"/></svg>`;
}
function describePolicy(p) {
  const match = p.match ? " where " + Object.entries(p.match).map(([k, v]) => `${k} ${v}`).join(", ") : "";
  return `${p.kind === "budget" ? "budget" : "rate limit"} · ${p.scope === "global" ? "all calls" : "per " + p.scope}${match} · ${p.window} · ${p.action}${p.reserve === "strict" ? " · strict" : ""}`;
}
// Policies at or past 80% of their limit, as badges that open the Budgets view.
function budgetBadges(policies) {
  return policies.length === 0 ? "" : `<div class="badges">${policies.map(p => `<a class="badge ${p.ratio >= 1 ? "over" : ""}" href="?view=budgets" data-testid="budget-badge" data-goto="budgets">${esc(p.name)} ${Math.floor(p.ratio * 100)}%</a>`).join("")}</div>`;
}

// Alerts (docs/alerts.md): /api/alerts takes no filter, so it is fetched as is.
function alertsApi(path) { return getJson(path); }
function groupText(g) { const e = Object.entries(g || {}); return e.length ? e.map(([k, v]) => `${k}=${v ?? "(none)"}`).join(" ") : "(all calls)"; }
// A link of the gateway's own, followed inside the page; one elsewhere (a dashboard_url of the rules file) opens as it is.
function href(url) { try { const u = new URL(url, location.href); return u.origin === location.origin ? u.pathname + u.search + u.hash : u.href; } catch { return url; } }
function alertRows(list, withEnd) {
  return list.map(a => `<tr data-testid="alert-row" data-alert="${esc(a.alert_id)}"><td class="status-${esc(a.status)}">${esc(a.status)}</td><td>${esc(a.rule)}</td><td>${esc(groupText(a.group))}</td>
    <td>${esc(a.summary)}</td><td>${time(a.started_at)}</td>${withEnd ? `<td>${a.ended_at ? time(a.ended_at) : "–"}</td>` : ""}
    <td class="links"><a class="link" href="?view=alerts&alert=${encodeURIComponent(a.alert_id)}" data-alert="${esc(a.alert_id)}">calls</a><a href="${esc(href(a.dashboard_url))}">view</a><a href="${esc(a.runbook_url)}" target="_blank" rel="noopener">runbook</a></td></tr>`);
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
function setAlertsBadge(firing) {
  const badge = document.getElementById("alerts-badge");
  badge.textContent = firing; badge.hidden = !firing;
}
async function refreshAlertsBadge() {
  try { const a = await alertsApi("/api/alerts?limit=0"); setAlertsBadge(a.firing.length); return a; } catch { return null; }
}

// "Who": a key's share of the range's cost and its change against the range before.
function whoRows(rows, previous, total, dim) {
  const before = new Map(previous.map(r => [r.key, r.cost_usd]));
  return rows.map(r => drillRow("who-row", r.key === "(none)" ? {} : { [dim]: r.key }, `<td>${esc(r.key)}</td><td class="num">${usd(r.cost_usd)}</td><td class="num">${pct(total ? r.cost_usd / total : null)}</td>
    <td class="num">${change(r.cost_usd, before.get(r.key) ?? 0, true) || "–"}</td><td class="num">${count(r.calls)}</td>`));
}
const TOKEN_CLASS = { input: "input", cache_write_5m: "cache writes (5 min)", cache_write_1h: "cache writes (1 h)", cache_read: "cache reads", output: "output", web_search: "web search" };
function totals(ts) { const m = new Map(); for (const l of ts.series) m.set(l.key, l.values.reduce((s, v) => s + (v || 0), 0)); return m; }

const views = {
  async overview() {
    const [v, batches] = await Promise.all([viewData("overview"), getJson("/api/batches?limit=100").catch(() => ({ batches: [], gaps: [] }))]);
    const o = v.overview, c = o.current, p = o.previous, h = v.health, firing = h.alerts_firing;
    setAlertsBadge(firing.length);
    const upstreamErrors = v.error_groups.filter(g => !["budget_exceeded", "rate_limited_by_policy"].includes(g.error_type)).reduce((s, g) => s + g.count, 0);
    const up = `<div class="cards" data-testid="health">
      <div class="card ${h.status === "ready" ? "quiet" : "firing"}" data-testid="gateway-status"><div class="label">Gateway</div><div class="value">${esc(h.status)}</div>
        <div class="change">upstream ${esc(h.upstream)}${h.upstream_failures ? ` (${h.upstream_failures} failures in a row)` : ""}${h.journal_problem ? " · journal: " + esc(h.journal_problem) : ""}${h.store_problem ? " · store: " + esc(h.store_problem) : ""}</div></div>
      <div class="card" data-testid="store-lag"><div class="label">Store behind the journal</div><div class="value">${count(h.store_lag_records)} records</div><div class="change">${h.store_lag_records ? ms(h.store_lag_seconds * 1000) + " behind" : "caught up"}</div></div>
      <div class="card" data-testid="upstream-errors" data-drill="${esc(new URLSearchParams({ status: "error" }).toString())}" tabindex="0"><div class="label">Errors in range (top causes)</div><div class="value">${count(upstreamErrors)}</div><div class="change">${esc(v.error_groups.slice(0, 2).map(g => g.error_type).join(", ") || "none")}</div></div>
      <a class="card ${firing.length ? "firing" : "quiet"}" href="?view=alerts" data-testid="alerts-firing" data-goto="alerts"><div class="label">Alerts firing</div><div class="value">${firing.length}</div>
        <div class="change">${firing.length ? esc(firing.slice(0, 3).map(a => a.rule + (a.group ? " · " + a.group : "")).join("; ")) : "none"}</div></a>
      <a class="card ${h.budgets_near_limit.length ? "firing" : "quiet"}" href="?view=budgets" data-testid="budgets-near-limit" data-goto="budgets"><div class="label">Budgets at 80% or more</div><div class="value">${h.budgets_near_limit.length}</div>
        <div class="change">${h.budgets_near_limit.length ? esc(h.budgets_near_limit.slice(0, 3).map(b => `${b.name} ${Math.floor(b.ratio * 100)}%`).join("; ")) : "none"}</div></a></div>`;
    const sla = (value, objective) => objective == null ? "" : ` · <span class="${value > objective ? "error" : ""}" data-testid="sla">objective ${ms(objective)}</span>`;
    const cards = `<div class="cards">
      ${card("Requests", c.requests, c.requests, p.requests, count, false, "requests")}
      ${card("Error rate <small>(per attempt)</small>", c.error_rate, c.error_rate, p.error_rate, pct, true, "error-rate")}
      ${card("Failed after retries", c.failure_rate_after_retries, c.failure_rate_after_retries, p.failure_rate_after_retries, pct, true, "failure-rate", ` · ${count(c.retries)} retries`)}
      ${card(`Total cost <small data-testid="cost-basis">(${costBasis(o)})</small>`, c.cost_usd, c.cost_usd, p.cost_usd, usd, true, "cost")}
      ${card("p95 latency", c.p95_latency_ms, c.p95_latency_ms, p.p95_latency_ms, ms, true, "p95-latency", sla(c.p95_latency_ms, h.sla_p95_latency_ms))}
      ${card("p95 TTFT", c.p95_ttft_ms, c.p95_ttft_ms, p.p95_ttft_ms, ms, true, "p95-ttft", sla(c.p95_ttft_ms, h.sla_p95_ttft_ms))}
      ${card("Cache hit rate", c.cache_hit_rate, c.cache_hit_rate, p.cache_hit_rate, pct, false, "cache-hit-rate")}
      ${card("Cost coverage", c.cost_coverage, null, null, pct, false, "cost-coverage")}</div>`;
    // What broke: the error rate per bucket beside the requests.
    const rate = { metric: "error_rate", buckets: v.requests.buckets, bucket_seconds: v.requests.bucket_seconds,
      series: [{ key: "error rate (attempts)", values: v.requests.series[0].values.map((r, i) => r ? (v.errors.series[0]?.values[i] || 0) / r : null) }] };
    const classes = totals(v.cost_by_class), before = totals(v.cost_by_class_previous), total = c.cost_usd;
    const why = table(["token class", "#cost", "#share", "#change"], Object.keys(TOKEN_CLASS).filter(k => classes.get(k) || before.get(k)).map(k =>
      `<tr data-testid="cost-class-row"><td>${TOKEN_CLASS[k]}</td><td class="num">${usd(classes.get(k) || 0)}</td><td class="num">${pct(total ? (classes.get(k) || 0) / total : null)}</td><td class="num">${change(classes.get(k) || 0, before.get(k) || 0, true) || "–"}</td></tr>`));
    const who = dim => table([dim, "#cost", "#share", "#vs previous", "#calls"], whoRows(v[dim + "s"], v[dim + "s_previous"], total, dim));
    return `${budgetBadges(h.budgets_near_limit)}${up}${cards}
      <div class="grid2">${panel("Requests", chart(v.requests, { drill: bucketCalls(), fmt: count, title: "requests" }), "requests-chart")}${panel("Error rate per attempt", chart(rate, { fmt: pct, drill: bucketCalls({ status: "error" }), title: "error rate" }), "error-rate-chart")}</div>
      <div class="grid2">${panel("Cost by model", chart(v.cost_by_model, { stack: true, fmt: usd, drill: bucketCalls({ order: "cost" }) }), "cost-chart")}
        ${panel("Cost and why <small>by token class, against the range before</small>", why, "cost-why")}</div>
      <div class="grid2">${panel("Cost by model", table(["model", "#cost", "#share", "#vs previous", "#calls"], whoRows(v.models, v.models_previous, total, "model")), "cost-models")}
        ${panel("Cost by feature", who("feature"), "cost-features")}</div>
      <div class="grid2">${panel("Who: top users", who("user"), "who-users")}${panel("Who: top tenants", who("tenant"), "who-tenants")}</div>
      <div class="grid2">${panel("What broke: errors by cause", v.error_groups.length === 0 ? "<p>No errors.</p>" : table(["type", "#http", "message", "#calls", "#on a retry"], v.error_groups.map(g =>
          drillRow("error-group-row", { status: "error", error_type: g.error_type }, `<td>${esc(g.error_type)}</td><td class="num">${g.http_status ?? "–"}</td><td>${esc(g.message)}</td><td class="num">${count(g.count)}</td><td class="num">${count(g.on_retry)}</td>`))), "error-groups")}
        ${panel("Every endpoint <small>(the figures above cover " + esc(params().get("endpoint") || "billable") + " calls)</small>",
        table(["endpoint", "#calls", "#errors", "#cost", "#p50", "#p95"], v.endpoints.map(g => drillRow("endpoint-row", { endpoint: g.key }, `<td>${esc(g.key)}</td><td class="num">${count(g.calls)}</td><td class="num">${count(g.errors)}</td><td class="num">${usd(g.cost_usd)}</td><td class="num">${ms(g.latency_p50_ms)}</td><td class="num">${ms(g.latency_p95_ms)}</td>`))), "endpoints")}</div>
      ${panel("Message Batches", batches.gaps.length === 0 ? `<p data-testid="batch-gaps">${count(batches.batches.length)} batches followed; every ended batch's results were read through the gateway.</p>`
        : `<ul class="error" data-testid="batch-gaps">${batches.gaps.map(g => `<li>${esc(g)}</li>`).join("")}</ul><p>Their spend is not in the cost above: their results were read around the gateway.</p>`, "batches")}`;
  },
  async cost() {
    const by = params().get("by") || "model";
    const [v, rec] = await Promise.all([viewData("cost"), getJson("/api/reconcile").catch(e => ({ error: e.message }))]);
    const perSession = v.session_costs, budget = v.budget, most = Math.max(1, ...perSession.bins.map(b => b.sessions));
    const bins = perSession.bins.map(b => `<tr data-testid="session-cost-bin"><td>${usd(b.from_usd)} – ${b.to_usd == null ? "" : usd(b.to_usd)}</td><td class="num">${count(b.sessions)}</td>
      <td><svg width="200" height="10"><rect class="s0" width="${(200 * b.sessions / most).toFixed(1)}" height="10"/></svg></td></tr>`);
    const day = d => ({ range: "custom", since: d + "T00:00:00Z", until: new Date(Date.parse(d + "T00:00:00Z") + 86400_000).toISOString(), order: "cost" });
    return `<p class="basis" data-testid="cost-basis">Costs ${costBasis(v.overview)}.</p><div class="grid2">${panel("Cost by token class", chart(v.by_class, { stack: true, fmt: usd, drill: bucketCalls({ order: "cost" }) }))}${panel("Cost by feature", chart(v.by_feature, { stack: true, fmt: usd, drill: bucketCalls({ order: "cost" }) }))}</div>
      ${panel(`Cost by <select id="cost-by" aria-label="cost by">${["model", "feature", "user", "tenant"].map(b => `<option ${b === by ? "selected" : ""}>${b}</option>`).join("")}</select>`,
        table([by, "#calls", "#errors", "#cost", "#share"], v.breakdown.map(g => drillRow("cost-by-row", g.key === "(none)" ? { order: "cost" } : { [by]: g.key, order: "cost" }, `<td>${esc(g.key)}</td><td class="num">${count(g.calls)}</td><td class="num">${count(g.errors)}</td><td class="num">${usd(g.cost_usd)}</td><td class="num">${pct(v.overview.current.cost_usd ? g.cost_usd / v.overview.current.cost_usd : null)}</td>`))), "cost-by")}
      ${panel(budget.daily_budget_usd == null ? "Spend per day (no daily budget set: claudit serve --daily-budget USD)" : `Spend per day vs the daily budget of ${usd(budget.daily_budget_usd)}`,
        table(["day (UTC)", "#calls", "#cost", "#of budget"], budget.days.map(d => drillRow("budget-row", day(d.date), `<td>${esc(d.date)}</td><td class="num">${count(d.calls)}</td><td class="num">${usd(d.cost_usd)}</td>
          <td class="num ${d.share_of_budget > 1 ? "error" : ""}">${pct(d.share_of_budget)}</td>`))), "budget")}
      ${panel(`Cost per session: ${count(perSession.sessions)} sessions, median ${usd(perSession.p50_usd)}, p90 ${usd(perSession.p90_usd)}, p99 ${usd(perSession.p99_usd)}, max ${usd(perSession.max_usd)}`,
        table(["cost per session", "#sessions", ""], bins), "session-costs")}
      ${rec.error ? panel("Recorded vs billed", `<p class="error">${esc(rec.error)}</p>`, "reconcile") : reconcilePanel(rec)}
      ${panel("Most expensive calls", table(CALL_HEAD, callRows(v.top_calls)), "top-calls")}`;
  },
  async latency() {
    const v = await viewData("latency"), h = v.health;
    // Tokens per second: higher is better, so only its median is drawn (its p95/p99 would be the fastest calls).
    const median = Object.assign({}, v.tokens_per_second, { series: v.tokens_per_second.series.filter(s => s.key === "p50").map(s => Object.assign({}, s, { key: "median" })) });
    const objective = (label, value) => value == null ? "" : ` <small data-testid="sla">objective: p95 ${ms(value)} (the alert rule's)</small>`;
    return `<div class="grid2">${panel("Latency p50/p95/p99" + objective("latency", h.sla_p95_latency_ms), chart(v.latency, { fmt: ms, drill: bucketCalls({ order: "latency" }) }), "latency-chart")}
      ${panel("TTFT p50/p95/p99" + objective("ttft", h.sla_p95_ttft_ms), chart(v.ttft, { fmt: ms, drill: bucketCalls({ order: "latency" }) }))}
      ${panel("p95 latency by model", chart(v.latency_by_model, { fmt: ms, drill: bucketCalls({ order: "latency" }) }))}${panel("Output tokens/s (median)", chart(median, { fmt: tps, drill: bucketCalls() }))}</div>`;
  },
  async errors() {
    const v = await viewData("errors"), c = v.overview.current, offset = Number(params().get("offset") || 0);
    return `<div class="cards">${card("Error rate <small>(per attempt)</small>", c.error_rate, c.error_rate, v.overview.previous.error_rate, pct, true, "error-rate")}
        ${card("Failed after retries", c.failure_rate_after_retries, c.failure_rate_after_retries, v.overview.previous.failure_rate_after_retries, pct, true, "failure-rate", ` · ${count(c.retries)} retries`)}
        ${card("Errors", c.errors, c.errors, v.overview.previous.errors, count, true, "errors")}</div>
      ${panel("Errors by type", chart(v.by_type, { stack: true, fmt: count, full: true, drill: bucketCalls({ status: "error" }) }), "errors-chart")}
      ${panel("Errors by cause", v.groups.length === 0 ? "<p>No errors.</p>" : table(["type", "#http", "message", "#calls", "#on a retry", "first", "last"], v.groups.map(g =>
        drillRow("error-group-row", { status: "error", error_type: g.error_type }, `<td>${esc(g.error_type)}</td><td class="num">${g.http_status ?? "–"}</td><td>${esc(g.message)}</td><td class="num">${count(g.count)}</td><td class="num">${count(g.on_retry)}</td><td>${time(g.first_seen)}</td><td>${time(g.last_seen)}</td>`))), "error-groups")}
      ${panel("Recent errors", table(["time", "model", "type", "#http", "message", "request id"],
      v.recent.map(c => `<tr data-testid="error-row"><td>${time(c.start_time)}</td><td>${esc(c.model)}</td><td>${esc(c.error_type)}${c.attempt ? ` · retry ${c.attempt}` : ""}</td><td class="num">${c.http_status ?? "–"}</td><td>${esc(c.error_message)}</td><td>${callLink(c.id, c.request_id || c.id)}</td></tr>`)) + pager(offset, 25, v.has_more, "errors-pager"), "recent-errors")}`;
  },
  async quality() {
    const q = (await viewData("quality")).quality;
    const counts = (rows, filter) => rows.length === 0 ? "<p>None in this range.</p>" : table(["", "#calls", "#share"], rows.map(s => filter
      ? drillRow("stop-row", filter(s.key), `<td>${esc(s.key)}</td><td class="num">${count(s.count)}</td><td class="num">${pct(s.share)}</td>`)
      : `<tr data-testid="flag-row"><td>${esc(s.key)}</td><td class="num">${count(s.count)}</td><td class="num">${pct(s.share)}</td></tr>`));
    return `<div class="cards">${card("Answered calls", q.answered, null, null, count, false, "answered")}${card("max_tokens truncation", q.max_tokens_truncation_rate, null, null, pct, true, "truncation")}
      ${card("Tool calls per call", q.tool_calls_per_call, null, null, v => v == null ? "–" : v.toFixed(2), false, "tools-per-call")}</div>
      <div class="grid2">${panel("Stop reasons", counts(q.stop_reasons, k => ({ status: "ok", stop_reason: k })), "stop-reasons")}${panel("Quality flags (heuristic)", counts(q.quality_flags), "quality-flags")}</div>`;
  },
  async models() {
    const rows = (await viewData("models")).models;
    return panel("Calls and cost per model", table(["model", "#calls", "#errors", "#error rate", "#cost", "#p50 latency", "#p95 latency"], rows.map(g =>
      drillRow("model-row", g.key === "(none)" ? {} : { model: g.key }, `<td>${esc(g.key)}</td><td class="num">${count(g.calls)}</td><td class="num">${count(g.errors)}</td><td class="num">${pct(g.error_rate)}</td><td class="num">${usd(g.cost_usd)}</td><td class="num">${ms(g.latency_p50_ms)}</td><td class="num">${ms(g.latency_p95_ms)}</td>`))), "models");
  },
  async sessions() {
    const v = await viewData("sessions"), offset = Number(params().get("offset") || 0);
    return panel(`Sessions <input type="search" id="session-search" data-testid="session-search" placeholder="search id, user, feature, tenant" value="${esc(params().get("q") || "")}" aria-label="search sessions">`,
      table(["session", "#calls", "#errors", "#cost", "#duration", "#tool calls", "models", "user", "feature"], v.sessions.map(x =>
      `<tr data-testid="session-row"><td>${sessionLink(x.id)}</td><td class="num">${count(x.calls)}</td><td class="num">${count(x.errors)}</td><td class="num">${usd(x.cost_usd)}</td><td class="num">${ms(x.duration_ms)}</td><td class="num">${count(x.tool_calls)}</td><td>${esc(x.models.join(", "))}</td><td>${esc(x.user)}</td><td>${esc(x.feature)}</td></tr>`)) + pager(offset, 50, v.has_more, "sessions-pager"), "sessions");
  },
  async calls() {
    const p = params(), v = await viewData("calls"), offset = Number(p.get("offset") || 0), order = p.get("order") || "recent", dir = p.get("dir") || "desc";
    const chips = [...CALL_FILTERS.filter(f => !["order", "dir", "offset", "q"].includes(f)), ...[...p.keys()].filter(k => k.startsWith("property."))].filter(f => p.get(f))
      .map(f => `<button type="button" class="chip" data-unset="${esc(f)}" data-testid="chip">${esc(f.replace("property.", "Claudit-Property-"))}: ${esc(p.get(f))} ✕</button>`).join("");
    const sort = (key, label) => `<a class="link sort" href="#" data-order="${key}" data-dir="${order === key && dir === "desc" ? "asc" : "desc"}">${label}${order === key ? (dir === "asc" ? " ▲" : " ▼") : ""}</a>`;
    const head = [sort("recent", "time"), "model", "status", sort("cost", "cost"), sort("latency", "latency"), "in (+cached) / out tokens", "tools", "request id", "session"];
    return panel(`Calls <small>${shown.since ? esc(time(shown.since)) + " – " + esc(time(shown.until)) + " UTC" : ""}</small>`,
      `<div class="drillbar">${chips}<input type="search" id="call-search" data-testid="call-search" placeholder="search request id, model, message, session, user…" value="${esc(p.get("q") || "")}" aria-label="search calls">
        <input id="property-filter" data-testid="property-filter" placeholder="property name=value" aria-label="filter on a Claudit-Property tag">
        <select id="status-filter" aria-label="status"><option value="">any status</option><option value="error" ${p.get("status") === "error" ? "selected" : ""}>errors</option><option value="ok" ${p.get("status") === "ok" ? "selected" : ""}>answered</option></select></div>` +
      table(head, callRows(v.calls)) + pager(offset, 50, v.has_more, "calls-pager"), "calls-table");
  },
  async budgets() {
    const b = await getJson("/api/budgets");
    if (b.policies.length === 0) return `<p data-testid="no-policies">No budgets or rate limits: start the gateway with <code>claudit serve --policies FILE</code> (docs/budgets.md), or create a virtual key with a budget.</p>`;
    return b.policies.map(p => panel(`${esc(p.name)} <small>${esc(describePolicy(p))}</small>`,
      `<p class="usage" data-testid="policy-usage">${usageBar(p)} <b>${amount(p, p.used)}</b> of ${amount(p, p.limit)}${unitName(p)} (${pct(p.ratio)})` +
      `${p.scope_value ? ` for ${esc(p.scope)} ${esc(p.scope_value)}${p.scopes > 1 ? `, the fullest of ${count(p.scopes)}` : ""}` : ""}` +
      `${p.reserved > 0 ? `; ${amount(p, p.reserved)} held by calls in flight` : ""}; ${p.resets_at ? "resets " + time(p.resets_at) + " UTC" : "nothing counted yet"}</p>` +
      (p.top.length === 0 ? "<p>No recorded calls in this window yet.</p>" : table(["top spenders since " + time(p.window_start), "#" + (p.unit === "usd" ? "cost" : p.unit), "#of limit", "#calls"],
        p.top.map(t => drillRow("spender-row", Object.assign({ range: "custom", since: p.window_start, until: b.now }, ["user", "tenant", "feature"].includes(p.scope) ? { [p.scope]: t.scope } : {}),
          `<td>${esc(t.name ? `${t.name} (${t.scope})` : t.scope)}</td><td class="num">${amount(p, t.amount)}</td><td class="num">${pct(t.share)}</td><td class="num">${count(t.requests)}</td>`)))),
      "policy-" + esc(p.name))).join("");
  },
  async session(id) {
    const d = await getJson("/api/sessions/" + encodeURIComponent(id));
    const s = d.session, t0 = Date.parse(s.start), span = Math.max(1, Date.parse(s.end) - t0);
    // Turns: a retry is folded under the attempt it repeats (tags.parent_id); the turn's outcome is its last attempt's.
    const turns = [], byId = new Map();
    for (const c of d.calls) {
      const parent = c.parent_id && byId.get(c.parent_id);
      if (parent) { parent.attempts.push(c); continue; }
      const turn = { first: c, attempts: [c] }; turns.push(turn); byId.set(c.id, turn);
    }
    let running = 0;
    const W = Math.max(480, main.clientWidth - 120), L = 40, rowH = 18, H = turns.length * rowH + 24;
    let svg = `<svg class="timeline" width="${W + L}" height="${H}" role="img" aria-label="session timeline">`;
    for (let t = 0; t <= 4; t++) { const xx = L + W * t / 4; svg += `<line class="grid" x1="${xx}" x2="${xx}" y1="0" y2="${H - 16}"/><text x="${xx}" y="${H - 4}" text-anchor="middle">+${ms(span * t / 4)}</text>`; }
    const rows = turns.map((turn, i) => {
      const last = turn.attempts[turn.attempts.length - 1], cost = turn.attempts.reduce((sum, c) => sum + (c.cost_usd || 0), 0); running += cost;
      for (const c of turn.attempts) {
        const x = L + W * (Date.parse(c.start_time) - t0) / span, w = Math.max(2, W * c.latency_ms / span);
        svg += `<rect class="bar ${c.status === "error" ? "error" : ""}" x="${x.toFixed(1)}" y="${i * rowH}" width="${w.toFixed(1)}" height="${rowH - 5}"><title>turn ${i + 1}${c.attempt ? ", retry " + c.attempt : ""}: ${esc(c.model)} ${ms(c.latency_ms)} ${esc(c.status)}</title></rect>`;
      }
      svg += `<text x="${L - 6}" y="${i * rowH + 11}" text-anchor="end">${i + 1}</text>`;
      const tools = last.tools.length ? esc(last.tools.join(", ")) : "–";
      const results = last.tool_results ? ` · ${count(last.tool_results)} tool results${last.tool_result_errors ? `, <span class="error">${count(last.tool_result_errors)} is_error</span>` : ""}` : "";
      const retries = turn.attempts.length > 1 ? `<details><summary>${turn.attempts.length - 1} ${turn.attempts.length > 2 ? "retries" : "retry"}</summary>${turn.attempts.map(c => `<div>${callLink(c.id, "attempt " + (c.attempt ?? 0))} ${esc(c.status)}${c.error_type ? " · " + esc(c.error_type) : ""} · ${ms(c.latency_ms)}</div>`).join("")}</details>` : "";
      return `<tr data-testid="turn-row"><td class="num">${i + 1}</td><td>${callLink(turn.first.id, "+" + ms(Date.parse(turn.first.start_time) - t0))}</td><td>${esc(last.model)}</td><td class="${last.status === "error" ? "error" : ""}">${esc(last.status)}${last.error_type ? " · " + esc(last.error_type) : ""}${retries}</td>
        <td class="num">${tokens(last)}</td><td>${tools}${results}</td><td class="num">${ms(last.latency_ms)}</td><td class="num">${usd(cost)}</td><td class="num" data-testid="running-cost">${usd(running)}</td></tr>`;
    });
    svg += "</svg>";
    return `<h2 data-testid="session-title">Session ${esc(s.id)}</h2><div class="cards">${card("Calls", s.calls, null, null, count, false, "session-calls")}${card("Turns <small>(retries folded)</small>", turns.length, null, null, count, false, "session-turns")}
      ${card("Cost", s.cost_usd, null, null, usd, true, "session-cost")}${card("Duration", s.duration_ms, null, null, ms, true, "session-duration")}${card("Tool calls", s.tool_calls, null, null, count, false, "session-tools")}</div>
      ${panel("Timeline <small>(from " + esc(time(s.start)) + " UTC)</small>", svg, "session-timeline")}
      ${panel("The conversation, turn by turn", table(["#turn", "at", "model", "status", "#in (+cached) / out tokens", "tools", "#latency", "#cost", "#cost so far"], rows), "session-turns-table")}
      ${conversation(turns, d.content_capture)}`;
  },
  async alerts() {
    const id = params().get("alert");
    if (id) {
      const a = await alertsApi("/api/alerts/" + encodeURIComponent(id));
      const calls = await alertsApi("/api/calls?" + alertCallsQuery(a));
      return `<h2 data-testid="alert-title">${esc(a.rule)}: <span class="status-${esc(a.status)}">${esc(a.status)}</span></h2>
        <p data-testid="alert-summary">${esc(a.summary)}</p>
        <div class="cards">${card("Started", a.started_at, null, null, time, false, "alert-started")}${card("Fired", a.fired_at, null, null, v => v ? time(v) : "–", false, "alert-fired")}
          ${card("Ended", a.ended_at, null, null, v => v ? time(v) : "–", false, "alert-ended")}${card("Calls in its window", a.calls, null, null, count, false, "alert-calls")}</div>
        <p><a href="${esc(href(a.dashboard_url))}">Open the ${esc(a.metric)} view over its time</a> · <a href="${esc(a.runbook_url)}" target="_blank" rel="noopener">Runbook: ${esc(a.metric)}</a> · <a class="link" href="?view=alerts" data-goto="alerts">All alerts</a></p>
        ${panel(`The calls behind it (${esc(groupText(a.group))})`, table(CALL_HEAD, callRows(calls)), "alert-calls-table")}`;
    }

    const all = await alertsApi("/api/alerts?limit=100");
    setAlertsBadge(all.firing.length);
    const head = ["status", "rule", "group", "what", "since"], rules = all.rules.map(r => `<tr data-testid="rule-row"><td>${esc(r.name)}${r.built_in ? "" : " *"}</td><td>${esc(r.metric)}</td>
      <td>${esc(r.comparison.replace("_", " "))} ${esc(r.threshold)}</td><td>${esc(r.window ?? "–")}</td><td>${esc(r.for)}</td><td class="num">${count(r.min_calls)}</td><td>${esc(r.group_by.join(", ") || (r.metric.startsWith("budget") ? "budget" : "–"))}</td>
      <td class="num">${count(r.groups)}</td><td><a href="${esc(r.runbook_url)}" target="_blank" rel="noopener">runbook</a></td></tr>`);
    return `<p class="basis">Evaluated every ${esc(all.evaluate_every)}${all.evaluated_at ? ", last at " + time(all.evaluated_at) : ""}; notifications sent ${count(all.notifications.sent)}, failed ${count(all.notifications.failed)} (${count(all.notifications.targets)} targets).</p>
      ${panel(`Firing now (${all.firing.length})`, all.firing.length ? table(head.concat([""]), alertRows(all.firing, false)) : `<p data-testid="no-firing">Nothing is firing.</p>`, "alerts-firing-table")}
      ${all.pending.length ? panel(`Pending (${all.pending.length}): the condition holds, not yet for the rule's "for"`, table(head.concat([""]), alertRows(all.pending, false)), "alerts-pending-table") : ""}
      ${panel("History", all.history.length ? table(head.concat(["ended", ""]), alertRows(all.history, true)) : "<p>No alert has fired yet.</p>", "alerts-history-table")}
      ${panel("Rules", table(["rule", "metric", "condition", "window", "for", "#min calls", "group by", "#groups", ""], rules), "alerts-rules-table")}`;
  },
  async call(id) {
    const c = await getJson("/api/calls/" + encodeURIComponent(id));
    const u = c.usage || {}, cost = c.cost || {}, t = c.tags || {}, e = c.error;
    const fact = (label, value) => `<dt>${esc(label)}</dt><dd>${value}</dd>`;
    const facts = [
      fact("started", esc(time(c.start_time)) + " UTC"), fact("model", esc(c.model_used || c.model_requested) + (c.model_used && c.model_requested && c.model_used !== c.model_requested ? ` (asked for ${esc(c.model_requested)})` : "")),
      fact("status", `<span class="${c.status === "error" ? "error" : ""}">${esc(c.status)}</span>${c.http_status ? " · HTTP " + c.http_status : ""}${e ? ` · ${esc(e.type)}: ${esc(e.message)}${e.retryable ? " (retryable)" : ""}` : ""}`),
      fact("latency", `${ms(c.latency_ms)}${c.ttft_ms != null ? " · first token " + ms(c.ttft_ms) : ""}${c.output_tokens_per_second != null ? " · " + tps(c.output_tokens_per_second) : ""}`),
      fact("tokens", u.input_tokens == null ? "–" : `${count(u.input_tokens)} input · ${count(u.cache_creation_input_tokens || 0)} cache writes · ${count(u.cache_read_input_tokens || 0)} cache reads · ${count(u.output_tokens)} output`),
      fact("cost", cost.priced ? `${usd(cost.total_usd)} (prices of ${esc(cost.price_table_version || "?")})` : esc(cost.unpriced_reason ? "unpriced: " + cost.unpriced_reason : "–")),
      fact("stop reason", esc(c.stop_reason || "–")), fact("request id", esc(c.request_id || "–")),
      fact("session", sessionLink(t.session || t.conversation)),
      fact("retry of", t.parent_id ? callLink(t.parent_id, t.parent_id) + ` (attempt ${t.attempt ?? "?"})` : t.attempt ? `attempt ${t.attempt}` : "–"),
      fact("trace", t.trace_id ? `<a class="link" href="#" data-trace="${esc(t.trace_id)}">${esc(t.trace_id)}</a>` : "–"),
      fact("tags", esc(["user", "tenant", "feature"].filter(k => t[k]).map(k => `${k}=${t[k]}`).join(" · ") || "–")),
      fact("properties", t.properties ? Object.entries(t.properties).map(([k, v]) => `<a class="link" href="#" data-property="${esc(k)}" data-value="${esc(v)}">${esc(k)}=${esc(v)}</a>`).join(" · ") : "–"),
    ];
    const rows = [];
    (function walk(prefix, v) {
      if (v !== null && typeof v === "object" && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(prefix ? prefix + "." + k : k, x);
      else rows.push(`<dt>${esc(prefix)}</dt><dd>${esc(Array.isArray(v) ? JSON.stringify(v) : v)}</dd>`);
    })("", c);
    return `<h2 data-testid="call-title">Call ${esc(c.id)}</h2>${panel("What happened", `<dl class="fields" data-testid="call-facts">${facts.join("")}</dl>`, "call-summary")}
      ${panel("Every field", `<details open><summary>the record as stored</summary><dl class="fields" data-testid="call-fields">${rows.join("")}</dl></details>`)}`;
  },
};

// Renders overlap (a click while the last view still loads, the 10 s refresh): only the newest may draw,
// or a slow earlier view would overwrite the one the user asked for last.
let renderSeq = 0;
async function render() {
  const seq = ++renderSeq;
  clearTimeout(refreshTimer);
  const p = params(), form = document.getElementById("filters");
  for (const f of FILTERS) form.elements[f].value = p.get(f) || (f === "range" ? "auto" : "");
  form.classList.toggle("custom", form.elements.range.value === "custom");
  const view = p.get("call") ? "call" : p.get("session") ? "session" : p.get("view") || "overview";
  document.querySelectorAll("#views a").forEach(a => a.classList.toggle("active", a.dataset.view === view));
  if (!["overview", "alerts"].includes(view)) refreshAlertsBadge();
  const status = document.getElementById("status");
  try {
    const html = await views[view](p.get("call") || p.get("session"));
    if (seq !== renderSeq) return;
    main.innerHTML = html;
    main.dataset.view = view;
    status.textContent = "updated " + new Date().toLocaleTimeString("en-GB") + (shown.range === "auto" && shown.since ? ` · showing ${time(shown.since).slice(0, 16)} – ${time(shown.until).slice(11, 16)} UTC (fits the data)` : "");
  } catch (e) {
    if (seq !== renderSeq) return;
    main.innerHTML = `<p class="error" data-testid="error">${esc(e.message)}</p>`;
  }
  clearTimeout(refreshTimer);
  // Live ranges move with the clock: refresh them; a custom range or one call does not change.
  if (form.elements.range.value !== "custom" && view !== "call") refreshTimer = setTimeout(render, 10000);
}

document.getElementById("views").addEventListener("click", e => { const a = e.target.closest("a"); const v = a?.dataset.view; if (v) { e.preventDefault(); go(leave(v)); } });
document.getElementById("filters").addEventListener("submit", e => {
  e.preventDefault(); const changes = { offset: null };
  for (const f of FILTERS) changes[f] = e.target.elements[f].value.trim();
  if (changes.range === "auto") changes.range = null;
  go(changes);
});
document.getElementById("filters").elements.range.addEventListener("change", e => e.target.form.classList.toggle("custom", e.target.value === "custom"));
// Find one call by its call id or Anthropic request id, or a trace's calls by its trace id.
document.getElementById("find").addEventListener("submit", e => {
  e.preventDefault(); const x = e.target.elements.find.value.trim(); if (!x) return;
  if (/^[0-9a-f]{32}$/i.test(x)) drill({ trace_id: x, range: "30d" });
  else go({ call: x, session: null });
});
function activate(e) {
  const to = e.target.closest("[data-goto]"); if (to) { e.preventDefault(); go({ view: to.dataset.goto, alert: null, session: null, call: null, offset: null }); return true; }
  const d = e.target.closest("[data-drill]");
  if (d && !e.target.closest("a.link, button, summary")) { drill(Object.fromEntries(new URLSearchParams(d.dataset.drill))); return true; }
  const a = e.target.closest("a.link"); if (!a) return false;
  e.preventDefault();
  if (a.dataset.call) go({ call: a.dataset.call });
  else if (a.dataset.session) go({ session: a.dataset.session, call: null });
  else if (a.dataset.alert) go({ view: "alerts", alert: a.dataset.alert, session: null, call: null });
  else if (a.dataset.trace) drill({ trace_id: a.dataset.trace, range: "30d" });
  else if (a.dataset.property) drill({ ["property." + a.dataset.property]: a.dataset.value, range: "30d" });
  else if (a.dataset.order) go({ order: a.dataset.order, dir: a.dataset.dir, offset: null });
  else if (a.dataset.goto) go({ view: a.dataset.goto, alert: null });
  return true;
}
main.addEventListener("click", e => {
  if (activate(e)) return;
  const b = e.target.closest("button[data-offset]"); if (b) go({ offset: b.dataset.offset === "0" ? null : b.dataset.offset });
  const u = e.target.closest("button[data-unset]"); if (u) go({ [u.dataset.unset]: null, offset: null });
});
main.addEventListener("keydown", e => { if ((e.key === "Enter" || e.key === " ") && e.target.matches("[data-drill], [data-goto]")) { e.preventDefault(); activate(e); } });
main.addEventListener("change", e => {
  if (e.target.id === "cost-by") go({ by: e.target.value });
  else if (e.target.id === "status-filter") go({ status: e.target.value, offset: null });
  else if (e.target.id === "session-search" || e.target.id === "call-search") go({ q: e.target.value.trim(), offset: null });
  else if (e.target.id === "property-filter") { const [k, ...rest] = e.target.value.split("="); if (k.trim() && rest.length) go({ ["property." + k.trim()]: rest.join("=").trim(), offset: null }); }
});
window.addEventListener("popstate", render);
// Who is looking: a logged-in session shows its token's name and scope, and a way out.
getJson("/api/whoami").then(w => {
  if (!w.session) return;
  document.getElementById("whoami-name").textContent = w.name + " (" + w.role + (w.tenants ? ": " + w.tenants.join(", ") : "") + ")";
  document.getElementById("whoami").hidden = false;
}).catch(() => {});
render();
