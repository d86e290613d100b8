// The status page: reads the web process's API (/api/…) every few seconds and draws it with Chart.js.
// Every text from the journal goes in with textContent, never as HTML.
'use strict';

const REFRESH_MS = 5000;
const STEPS = ['full', 'incremental', 'learning-content', 'notification'];
const COLORS = ['#1a5fb4', '#26a269', '#c64600', '#813d9c', '#986a44', '#e5a50a', '#5e5c64', '#c01c28'];
const charts = {};
const drawn = {};

// The API's URL on the page's origin. A page opened as http://user:password@host/ resolves a relative path with the
// credentials in it, which fetch refuses; location.origin never holds them, and the browser still sends the ones it
// was given for this origin.
function apiUrl(path) {
  return location.origin + path;
}

async function api(path) {
  const response = await fetch(apiUrl(path), { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error || ('HTTP ' + response.status + ' on ' + path));
  }
  return body;
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '' : String(text);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function fill(tableId, rows, render) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren();
  rows.forEach(item => {
    const row = document.createElement('tr');
    render(row, item);
    body.appendChild(row);
  });
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const s = Math.round(seconds);
  return s >= 3600 ? Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min'
    : s >= 60 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s' : s + ' s';
}

// draws a chart again only when its data changed (no flicker every refresh)
function chart(id, config) {
  const key = JSON.stringify(config.data);
  if (drawn[id] === key) return;
  drawn[id] = key;
  if (charts[id]) charts[id].destroy();
  config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
  charts[id] = new Chart(document.getElementById(id), config);
}

async function showProgress() {
  const progress = await api('/api/progress');
  const running = document.getElementById('running');
  if (progress.running) {
    running.textContent = 'run #' + progress.running.id + ' (' + progress.running.trigger + '): ' + progress.running.plan
      + ', started ' + when(progress.running.started_at) + ' by ' + progress.running.host;
    running.className = 'status-running';
  } else {
    running.textContent = 'none';
    running.className = 'muted';
  }
  // the progress shown is the latest run's that recorded some: say which, it may not be the one running
  const runOfProgress = progress.items.length ? progress.items[0].run_id : null;
  const caption = document.getElementById('progress-of');
  caption.textContent = runOfProgress === null ? 'no progress recorded yet'
    : 'progress of run #' + runOfProgress + (progress.running && progress.running.id === runOfProgress ? '' : ' (the last run that recorded some)');
  fill('progress', progress.items, (row, p) => {
    cell(row, p.step);
    cell(row, p.item);
    cell(row, p.state, 'status-' + (p.state === 'done' ? 'succeeded' : p.state));
    cell(row, p.done.toLocaleString() + ' ' + p.unit, 'number');
    cell(row, p.total === null ? '?' : p.total.toLocaleString(), 'number');
    const bar = document.createElement('progress');
    // an item done is full, even with nothing to do (0 of 0); otherwise no total leaves the bar indeterminate
    if (p.state === 'done') { bar.max = 1; bar.value = 1; } else if (p.total) { bar.max = p.total; bar.value = Math.min(p.done, p.total); }
    row.appendChild(document.createElement('td')).appendChild(bar);
    cell(row, p.rate === null ? '' : Number(p.rate).toLocaleString(), 'number');
    cell(row, p.eta_seconds === null ? '' : duration(p.eta_seconds));
  });
}

async function showRequests() {
  const requests = await api('/api/requests');
  fill('requests', requests, (row, q) => {
    cell(row, q.id);
    cell(row, q.plan + (q.step ? ' ' + q.step : ''));
    cell(row, q.origin);
    cell(row, when(q.requested_at));
    cell(row, q.state, 'status-' + q.state);
    cell(row, q.run_id ? '#' + q.run_id : '');
    cell(row, q.message);
  });
}

async function showRuns() {
  const runs = await api('/api/runs');
  fill('runs', runs, (row, r) => {
    cell(row, r.id);
    cell(row, r.trigger + (r.resumes_run_id ? ' (night of #' + r.resumes_run_id + ')' : ''));
    cell(row, r.plan);
    cell(row, r.status, 'status-' + r.status);
    cell(row, when(r.started_at));
    cell(row, duration(r.seconds));
    cell(row, r.error);
  });
  const ordered = runs.slice().reverse();
  chart('runs-chart', {
    type: 'bar',
    data: {
      labels: ordered.map(r => '#' + r.id + ' ' + r.trigger + (r.status === 'succeeded' ? '' : ' (' + r.status + ')')),
      datasets: STEPS.map((step, i) => ({
        label: step,
        backgroundColor: COLORS[i],
        data: ordered.map(r => r.attempts.filter(a => a.step === step).reduce((sum, a) => sum + Number(a.seconds), 0)),
      })),
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'seconds' } } } },
  });
  const errors = document.getElementById('errors');
  errors.replaceChildren();
  if (!runs.some(r => r.error)) {
    const none = document.createElement('li');
    none.textContent = 'none in the last 30 runs';
    errors.appendChild(none);
  }
  runs.filter(r => r.error).forEach(r => {
    const item = document.createElement('li');
    item.textContent = 'run #' + r.id + ' (' + when(r.started_at) + '): ' + r.error;
    errors.appendChild(item);
  });
}

async function showIncremental() {
  const results = await api('/api/incremental');
  const runIds = [...new Set(results.map(r => r.run_id))];
  const tables = [...new Set(results.map(r => r.table_name))];
  chart('incremental-chart', {
    type: 'bar',
    data: {
      labels: runIds.map(id => '#' + id + ' ' + when(results.find(r => r.run_id === id).started_at)),
      datasets: tables.map((table, i) => ({
        label: table,
        backgroundColor: COLORS[i % COLORS.length],
        data: runIds.map(id => (results.find(r => r.run_id === id && r.table_name === table) || { rows: 0 }).rows),
      })),
    },
    options: { scales: { y: { title: { display: true, text: 'rows' } } } },
  });
}

// each item on the first lane free at its start: the lanes are the step's workers
function lanes(items) {
  const ends = [];
  return items.map(item => {
    const start = Date.parse(item.started_at);
    let lane = ends.findIndex(end => end <= start);
    if (lane < 0) { lane = ends.length; ends.push(0); }
    ends[lane] = Date.parse(item.ended_at);
    return lane;
  });
}

async function showFull() {
  const full = await api('/api/full');
  const items = full.items || [];
  const origin = items.length ? Math.min(...items.map(i => Date.parse(i.started_at))) : 0;
  const laneOf = lanes(items);
  const categories = [...new Set(items.map(i => i.category))];
  const laneCount = Math.max(0, ...laneOf.map(l => l + 1));
  chart('timeline-chart', {
    type: 'bar',
    data: {
      labels: Array.from({ length: laneCount }, (_, i) => 'worker ' + (i + 1)),
      datasets: categories.map((category, c) => ({
        label: category,
        backgroundColor: COLORS[c % COLORS.length],
        data: items.map((item, i) => item.category !== category ? null : {
          x: [(Date.parse(item.started_at) - origin) / 1000, (Date.parse(item.ended_at) - origin) / 1000],
          y: 'worker ' + (laneOf[i] + 1),
          name: item.name,
        }).filter(point => point),
        grouped: false,
      })),
    },
    options: {
      indexAxis: 'y',
      scales: { x: { title: { display: true, text: 'seconds since run #' + full.run_id + "'s full step began" } } },
      plugins: { tooltip: { callbacks: { label: ctx => ctx.raw.name + ': ' + (ctx.raw.x[1] - ctx.raw.x[0]).toFixed(1) + ' s' } } },
    },
  });
  const slowest = [];
  categories.forEach(category => slowest.push(...items.filter(i => i.category === category)
    .sort((a, b) => b.seconds - a.seconds).slice(0, 5)));
  fill('slowest', slowest, (row, i) => {
    cell(row, i.category);
    cell(row, i.name);
    // under a second in milliseconds (a demo's items would all read 0.0)
    cell(row, i.seconds < 1 ? Math.round(i.seconds * 1000) + ' ms' : Number(i.seconds).toFixed(1) + ' s', 'number');
    // no rows for an index or a constraint (null: and null >= 0 is true in JavaScript)
    cell(row, i.rows === null ? '' : Number(i.rows).toLocaleString(), 'number');
  });
}

async function refresh() {
  const parts = [showProgress, showRequests, showRuns, showIncremental, showFull];
  const results = await Promise.allSettled(parts.map(part => part()));
  const failed = results.filter(r => r.status === 'rejected').map(r => r.reason.message);
  const updated = document.getElementById('updated');
  updated.textContent = failed.length ? 'cannot read the journal: ' + failed[0] : 'updated ' + new Date().toLocaleTimeString();
  updated.className = failed.length ? 'status-failed' : 'muted';
}

document.getElementById('replay').addEventListener('submit', async event => {
  event.preventDefault();
  const form = new FormData(event.target);
  const plan = form.get('plan');
  const answer = document.getElementById('replay-answer');
  const response = await fetch(apiUrl('/api/replay'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(plan === 'all' ? { plan } : { plan, step: form.get('step') }),
  });
  const body = await response.json();
  answer.textContent = response.ok ? 'request #' + body.id + ' recorded' : body.error;
  refresh();
});

refresh();
setInterval(refresh, REFRESH_MS);
