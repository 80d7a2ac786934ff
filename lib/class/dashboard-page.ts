/**
 * The instructor dashboard: one static page, a stylesheet and a small script
 * that polls /api/grades and redraws the learners x scenarios grid. No
 * framework: the page is a table that changes every few seconds, and the
 * DOM is built with textContent only, so nothing a learner names can inject
 * markup.
 */

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>breakfix class</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header>
  <h1>breakfix class</h1>
  <p id="status" role="status">Waiting for the first grading…</p>
  <p id="counts"></p>
</header>
<main>
  <table id="grid" aria-label="learners by scenarios">
    <thead><tr><th scope="col">learner</th></tr></thead>
    <tbody></tbody>
  </table>
</main>
<footer>
  <span class="legend fixed">fixed</span>
  <span class="legend not-fixed">not yet</span>
  <span class="legend error">error</span>
  <span class="legend not-deployed">not deployed</span>
</footer>
<script src="/app.js"></script>
</body>
</html>
`;

export const DASHBOARD_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
header p { margin: .1rem 0; color: #555; }
table { border-collapse: collapse; margin-top: 1rem; }
th, td { border: 1px solid #ddd; padding: .35rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #f5f5f7; font-weight: 600; }
tbody th { font-weight: 600; white-space: nowrap; }
td.cell { min-width: 9rem; }
.label { font-weight: 600; display: block; }
.meta { color: #444; font-size: 12px; display: block; }
.fixed { background: #e3f6e5; }
.not-fixed { background: #fff4d6; }
.error { background: #fde2e1; }
.not-deployed { background: #f2f2f2; color: #777; }
footer { margin-top: 1rem; }
.legend { padding: .15rem .5rem; margin-right: .4rem; border-radius: 3px; font-size: 12px; }
`;

export const DASHBOARD_JS = `'use strict';
(function () {
  var LABEL = { 'fixed': 'fixed', 'not-fixed': 'not yet', 'error': 'error', 'not-deployed': 'not deployed' };
  var POLL_MS = 2000;

  function ago(iso, now) {
    if (!iso) return '';
    var m = Math.floor(Math.max(0, now - Date.parse(iso)) / 60000);
    if (m < 1) return '<1m';
    if (m < 60) return m + 'm';
    var h = Math.floor(m / 60);
    if (h < 24) return h + 'h' + String(m % 60).padStart(2, '0') + 'm';
    return Math.floor(h / 24) + 'd' + (h % 24) + 'h';
  }

  // How old a grade is, to the second under a minute: rounds come every few seconds.
  function age(iso, now) {
    var s = Math.floor(Math.max(0, now - Date.parse(iso)) / 1000);
    return s < 60 ? s + 's' : ago(iso, now);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function cellFor(c, now) {
    var td = el('td', 'cell ' + c.status);
    td.dataset.learner = c.learner;
    td.dataset.scenario = c.scenario;
    td.dataset.status = c.status;
    td.title = c.message;
    td.appendChild(el('span', 'label', LABEL[c.status] || c.status));
    if (c.status !== 'not-deployed' || c.hints.seen.length) {
      var n = c.hints.seen.length;
      var hints = el('span', 'meta hints', n === 0 ? 'no hints' : n + (n === 1 ? ' hint' : ' hints') + ' (-' + c.hints.cost + ')' + (c.solutionSeen ? ', solution' : ''));
      td.appendChild(hints);
    }
    if (c.deployedAt) td.appendChild(el('span', 'meta deployed', 'deployed ' + ago(c.deployedAt, now) + ' ago'));
    if (c.firstFixedAt && c.deployedAt) td.appendChild(el('span', 'meta fixed-after', 'fixed after ' + ago(c.deployedAt, Date.parse(c.firstFixedAt))));
    if (c.status === 'error') td.appendChild(el('span', 'meta message', c.message));
    if (c.gradedAt) {
      td.dataset.gradedAt = c.gradedAt;
      td.appendChild(el('span', 'meta age', 'checked ' + age(c.gradedAt, now) + ' ago'));
    }
    // Graded without this machine's record of arming the lab: say where the variant came from.
    if (c.evidence && c.evidence.note && c.evidence.source !== 'missing') td.appendChild(el('span', 'meta evidence', 'evidence: ' + c.evidence.note));
    return td;
  }

  // The grid is the newest grade of each cell: during a round, cells change one by one as they are graded,
  // and each says how long ago it was checked.
  function render(state) {
    var status = document.getElementById('status');
    var r = state.report;
    var round = state.round;
    if (!r && !state.cells.length) {
      status.textContent = state.error ? 'Grading failed: ' + state.error : round ? 'Grading… ' + round.done + ' of ' + round.total + ' cells' : 'Waiting for the first grading…';
      return;
    }
    var now = Date.now();
    status.textContent = (r ? 'Graded ' + new Date(r.generatedAt).toLocaleTimeString() + ' in ' + (r.durationMs / 1000).toFixed(1) + 's' : 'First round') +
      (round ? ' · grading: ' + round.done + ' of ' + round.total + ' cells' : '') + (state.error ? ' · last attempt failed: ' + state.error : '');
    var k = { 'fixed': 0, 'not-fixed': 0, 'error': 0, 'not-deployed': 0 };
    state.cells.forEach(function (c) { k[c.status]++; });
    document.getElementById('counts').textContent = state.learners.length + ' learners · ' + k['fixed'] + ' fixed · ' + k['not-fixed'] + ' not yet · ' + k['error'] + ' error · ' + k['not-deployed'] + ' not deployed';
    var grid = document.getElementById('grid');
    var head = el('tr');
    head.appendChild(el('th', null, 'learner'));
    state.scenarios.forEach(function (s) { var th = el('th', null, s); th.scope = 'col'; head.appendChild(th); });
    var body = document.createElement('tbody');
    var byKey = {};
    state.cells.forEach(function (c) { byKey[c.learner + '\\u0000' + c.scenario] = c; });
    state.learners.forEach(function (l) {
      var tr = el('tr');
      tr.dataset.learner = l;
      var th = el('th', null, l);
      th.scope = 'row';
      tr.appendChild(th);
      state.scenarios.forEach(function (s) { var c = byKey[l + '\\u0000' + s]; tr.appendChild(c ? cellFor(c, now) : el('td')); });
      body.appendChild(tr);
    });
    grid.tHead.replaceChildren(head);
    grid.replaceChild(body, grid.tBodies[0]);
    if (r) document.body.dataset.generatedAt = r.generatedAt;
  }

  function poll() {
    fetch('/api/grades', { cache: 'no-store' })
      .then(function (res) { return res.json(); })
      .then(render)
      .catch(function (err) { document.getElementById('status').textContent = 'The dashboard server is not answering (' + err.message + ').'; })
      .finally(function () { setTimeout(poll, POLL_MS); });
  }
  poll();
})();
`;
