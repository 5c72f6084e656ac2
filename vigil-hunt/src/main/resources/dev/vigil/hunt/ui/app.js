// Vigil hunt UI: plain DOM, no framework. Every call is same-origin; the session cookie authenticates GETs,
// POSTs also send X-Vigil-UI (a header a cross-site form cannot set).
'use strict';

const $ = (id) => document.getElementById(id);
const EVENT_COLUMNS = ['ts', 'kind', 'workload', 'pid', 'proc_name', 'cmdline', 'exe_sha256', 'path', 'remote_address',
  'remote_port', 'remote_names', 'dns_names', 'dns_answers', 'res'];
const ALERT_COLUMNS = ['ts', 'priority', 'rule', 'proc_name', 'pid', 'container_id'];

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Vigil-UI': '1' },
    body: JSON.stringify(body),
  };
  const res = await fetch(path, opts);
  const data = await res.json().catch(() => ({ error: 'HTTP ' + res.status }));
  if (!res.ok) throw new Error(data.error || ('HTTP ' + res.status));
  return data;
}

function status(msg, isError) {
  const s = $('status');
  s.textContent = msg || '';
  s.className = isError ? 'error' : '';
}

function cell(v) {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// Renders a QueryResult ({columns, rows}) as a table; onRow(rowObject) makes rows clickable; pick, when
// given, lists the columns to show (the row object handed to onRow keeps them all).
function table(result, onRow, pick) {
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  const shown = pick ? result.columns.map((c, i) => [c, i]).filter(([c]) => pick.includes(c)) : result.columns.map((c, i) => [c, i]);
  for (const [c] of shown) {
    const th = document.createElement('th');
    th.textContent = c;
    head.appendChild(th);
  }
  const body = t.createTBody();
  for (const r of result.rows) {
    const tr = body.insertRow();
    const obj = {};
    result.columns.forEach((c, i) => { obj[c] = r[i]; });
    for (const [c, i] of shown) {
      const td = tr.insertCell();
      td.textContent = cell(r[i]);
      if (c === 'priority') td.className = 'prio-' + String(r[i]).toLowerCase();
    }
    if (onRow) { tr.classList.add('clickable'); tr.addEventListener('click', () => onRow(obj)); }
  }
  const wrap = document.createElement('div');
  wrap.appendChild(t);
  const note = document.createElement('div');
  note.className = 'note';
  note.textContent = result.rows.length + ' row(s)' + (result.truncated ? ' (truncated at the row limit)' : '')
    + (result.timed_out ? ' (stopped at the time limit)' : '');
  wrap.appendChild(note);
  return wrap;
}

function eventClick(row) {
  if (row.id) showTree({ event: row.id });
  else if (row.first_event_id) showTree({ event: row.first_event_id });
}

async function search(text) {
  const q = text.trim();
  if (!q) return;
  const results = $('results');
  results.replaceChildren();
  status('searching…');
  try {
    if (/^\s*(select|with)\b/i.test(q)) {
      const r = await api('/api/query', { sql: q, limit: 1000 });
      $('result-title').textContent = 'SQL results';
      results.appendChild(table(r, eventClick));
    } else {
      const r = await api('/api/ioc?q=' + encodeURIComponent(q));
      $('result-title').textContent = 'IOC sweep (' + r.elapsed_ms + ' ms)';
      for (const [name, part] of [['Processes', r.processes], ['Connections', r.connections], ['DNS', r.dns]]) {
        const h = document.createElement('h3');
        h.textContent = name + ': ' + part.rows.length;
        results.appendChild(h);
        if (part.rows.length) results.appendChild(table(part, eventClick));
      }
    }
    status('');
  } catch (e) {
    status(e.message, true);
  }
}

function treeNode(n, cls) {
  const li = document.createElement('li');
  if (cls) li.className = cls;
  li.textContent = '[' + n.pid + '] ' + (n.cmdline || n.name || '?') + (n.exe_path ? '  (' + n.exe_path + ')' : '')
    + (n.event_count ? '  · ' + n.event_count + ' events: ' + cell(n.kinds) : '');
  if (n.children && n.children.length) {
    const ul = document.createElement('ul');
    ul.className = 'tree';
    for (const c of n.children) ul.appendChild(treeNode(c));
    li.appendChild(ul);
  }
  return li;
}

async function showTree(params) {
  const box = $('tree');
  box.replaceChildren();
  try {
    const t = await api('/api/tree?' + new URLSearchParams(params));
    // ancestors are nearest first: build from the farthest down to the process itself
    let root = document.createElement('ul');
    root.className = 'tree';
    let parent = root;
    for (const a of [...t.ancestors].reverse()) {
      const li = treeNode(a, 'ancestor');
      const ul = document.createElement('ul');
      ul.className = 'tree';
      li.appendChild(ul);
      parent.appendChild(li);
      parent = ul;
    }
    const me = treeNode(t.process, 'node-root');
    me.id = 'tree-root';
    parent.appendChild(me);
    box.appendChild(root);
    if (t.process.events) box.appendChild(table(t.process.events, null, EVENT_COLUMNS));
    if (t.process.workload || t.process.container_id) showTimeline(t.process.workload || t.process.container_id);
  } catch (e) {
    status(e.message, true);
  }
}

async function showTimeline(workload) {
  const box = $('timeline');
  box.replaceChildren();
  try {
    const t = await api('/api/timeline?' + new URLSearchParams({ workload, limit: 500 }));
    $('timeline-title').textContent = 'Timeline: ' + workload;
    if (t.alerts.rows.length) box.appendChild(table(t.alerts, (r) => showTree({ alert: r.id }), ALERT_COLUMNS));
    box.appendChild(table(t.events, eventClick, EVENT_COLUMNS));
  } catch (e) {
    status(e.message, true);
  }
}

async function refresh() {
  try {
    const [alerts, workloads, stats] = await Promise.all([
      api('/api/alerts?limit=100'), api('/api/workloads?limit=100'), api('/api/stats')]);
    $('alerts').replaceChildren(table(alerts, (r) => showTree({ alert: r.id }), ALERT_COLUMNS));
    $('workloads').replaceChildren(table(workloads, (r) => showTimeline(r.workload || r.container_id),
      ['workload', 'container_id', 'events', 'last_seen']));
    $('stats').textContent = stats.events + ' events · ' + stats.alerts + ' alerts';
  } catch (e) {
    status(e.message, true);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('search-form').addEventListener('submit', (ev) => { ev.preventDefault(); search($('search').value); });
  refresh();
});
