// Cachet dashboard: plain JavaScript, no dependencies. Every call goes to the admin API next to
// this page (relative URLs), with the admin token from sessionStorage as a bearer header.
'use strict';

(function () {
  const TOKEN_KEY = 'cachet.admin.token';
  const POLL_MS = 1000;
  /** While the admin API does not answer, polls back off up to this. */
  const MAX_BACKOFF_MS = 30000;
  const WINDOW_MS = window.CachetCharts.WINDOW_MS;
  const drawChart = window.CachetCharts.draw;
  const { count, percent, axisMs, ms, bytes, duration, ago, el } = window.CachetFormat;
  const $ = (id) => document.getElementById(id);

  let token = sessionStorage.getItem(TOKEN_KEY);
  let timer = null;
  let running = false;
  let polling = false; // a poll in flight: the next is scheduled once it ends, never on top of it
  let failures = 0; // polls failed in a row: one toast per outage, and the backoff
  let failingSince = null;
  let paused = false;
  let previous = null;
  let polls = 0;
  let cursor = null;
  const history = { hitRate: [], hitP95: [], hitP50: [], missP95: [], missP50: [] };
  let snapshots = [];

  // ---- API -------------------------------------------------------------------------------

  class AuthError extends Error {}

  // Spring Security's CSRF token for writes, when no XSRF-TOKEN cookie carries it (its default,
  // session-stored token): asked of the admin API once, and again after a write is refused.
  let csrf = null;

  async function csrfToken() {
    if (csrf === null) {
      try { csrf = await api('csrf'); } catch (e) { csrf = {}; }
    }
    return csrf;
  }

  async function api(path, options, retried) {
    const opts = Object.assign({ method: 'GET', credentials: 'same-origin', cache: 'no-store' }, options || {});
    const headers = Object.assign({ Accept: 'application/json' }, opts.headers || {});
    if (token) headers.Authorization = 'Bearer ' + token;
    if (opts.method !== 'GET') {
      const xsrf = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
      const fromApi = xsrf ? null : await csrfToken();
      if (xsrf) headers['X-XSRF-TOKEN'] = decodeURIComponent(xsrf[1]);
      else if (fromApi && fromApi.headerName) headers[fromApi.headerName] = fromApi.token;
    }
    opts.headers = headers;
    const response = await fetch(path, opts);
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (response.status === 403 && opts.method !== 'GET' && !retried) {
      csrf = null; // a new session has a new token
      return api(path, options, true);
    }
    if (response.status === 401) throw new AuthError((body && body.message) || 'Not signed in');
    if (!response.ok) throw new Error((body && body.message) || ('HTTP ' + response.status));
    return body;
  }

  function post(path, json) {
    const opts = { method: 'POST' };
    if (json !== undefined) {
      opts.headers = { 'Content-Type': 'application/json' };
      opts.body = JSON.stringify(json);
    }
    return api(path, opts);
  }

  function setText(id, text) { $(id).textContent = text; }
  let toastTimer = null;
  // kind: true or 'bad' for a failure, 'warn' for done but not as asked (queued, wider).
  function toast(message, kind) {
    const t = $('toast');
    t.textContent = message;
    t.className = kind === 'warn' ? 'toast warn' : kind ? 'toast bad' : 'toast';
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, kind === 'warn' ? 8000 : 4000);
  }

  // An invalidation the store did not take now: Cachet keeps it and applies it once it answers.
  const QUEUED = ' The store does not answer: this is kept and applied once it does.';

  // ---- sign-in ---------------------------------------------------------------------------

  function showLogin(message) {
    stop();
    $('app').hidden = true;
    $('logout').hidden = true;
    $('pause').hidden = true;
    $('store-status').hidden = true;
    $('login').hidden = false;
    const error = $('login-error');
    error.textContent = message || '';
    error.hidden = !message;
    $('token').focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const candidate = $('token').value.trim();
    if (!candidate) return;
    token = candidate;
    try {
      await api('stats');
      sessionStorage.setItem(TOKEN_KEY, token);
      $('token').value = '';
      start();
    } catch (e) {
      token = null;
      showLogin(e instanceof AuthError ? 'That token was not accepted.' : e.message);
    }
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    token = null;
    showLogin();
  }

  function failed(e) {
    if (e instanceof AuthError) {
      sessionStorage.removeItem(TOKEN_KEY);
      token = null;
      showLogin('Your session has ended: sign in again.');
    } else {
      toast(e.message, true);
    }
  }

  // ---- live figures ----------------------------------------------------------------------

  function start() {
    $('login').hidden = true;
    $('app').hidden = false;
    $('logout').hidden = !token;
    $('pause').hidden = false;
    previous = null;
    snapshots = [];
    polls = 0;
    stop();
    running = true;
    poll();
    loadKeys(false);
  }

  function stop() {
    running = false;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function schedule(delay) {
    if (timer) clearTimeout(timer);
    timer = running ? setTimeout(poll, delay) : null;
  }

  async function poll() {
    timer = null;
    if (polling) return;
    if (paused) return schedule(POLL_MS);
    polling = true;
    let ok = false;
    try {
      const stats = await api('stats');
      render(stats);
      if (polls++ % 3 === 0) renderHealth(await api('health'));
      ok = true;
    } catch (e) {
      if (e instanceof AuthError) return failed(e);
      if (failures++ === 0) {
        failingSince = new Date(Date.now());
        toast('The admin API does not answer (' + e.message + '): retrying.', true);
      }
    } finally {
      polling = false;
    }
    if (ok && failures > 0) {
      failures = 0;
      toast('The admin API answers again.');
    }
    // While it fails, wait longer each time (2 s, 4 s, … 30 s): a struggling server is not hammered.
    const delay = ok ? POLL_MS : Math.min(MAX_BACKOFF_MS, POLL_MS * Math.pow(2, failures));
    if (!ok) {
      setText('updated', 'no answer since ' + failingSince.toLocaleTimeString() + ' · next try in ' + Math.round(delay / 1000) + ' s');
    }
    schedule(delay);
  }

  function render(s) {
    const now = Date.now();
    setText('namespace', s.namespace);
    setText('kpi-hit-rate', percent(s.hitRate));
    setText('kpi-hits', count(s.hits));
    setText('kpi-misses', count(s.misses));
    setText('kpi-stale', count(s.staleHits));
    setText('kpi-loads', count(s.loads));
    setText('kpi-load-failures', s.loadFailures === 0 ? 'none failed' : count(s.loadFailures) + ' failed');
    setText('kpi-store-errors', count(s.storeErrors));
    setText('kpi-corrupt', s.corruptEntries === 0 ? 'no corrupt entries' : count(s.corruptEntries) + ' corrupt');
    setText('kpi-evictions', count(s.evictions));
    setText('kpi-invalidations', count(s.invalidations));
    setText('kpi-requests', count(s.requests) + ' lookups in all');

    if (previous) {
      const seconds = Math.max(0.001, (s.timestamp - previous.timestamp) / 1000);
      const lookups = s.requests - previous.requests;
      const served = s.hits + s.staleHits - previous.hits - previous.staleHits;
      setText('kpi-rate', (lookups / seconds).toFixed(lookups / seconds >= 100 ? 0 : 1));
      const interval = lookups > 0 ? served / lookups : null;
      push(history.hitRate, now, interval);
      setText('kpi-hit-rate-sub', interval === null ? 'since start · idle now' : 'since start · ' + percent(interval) + ' now');
    }
    previous = s;
    snapshots.push({ t: s.timestamp, served: s.hits + s.staleHits, requests: s.requests });
    while (snapshots.length && snapshots[0].t < s.timestamp - WINDOW_MS - POLL_MS) snapshots.shift();
    renderRateTable(s);

    const hit = s.latency.hit || null;
    const miss = s.latency.miss || null;
    push(history.hitP95, now, hit ? hit.p95 : null);
    push(history.hitP50, now, hit ? hit.p50 : null);
    push(history.missP95, now, miss ? miss.p95 : null);
    push(history.missP50, now, miss ? miss.p50 : null);

    drawChart($('chart-hit-rate'), now, [
      { points: history.hitRate, color: 'var(--accent)', area: true }
    ], { max: 1, format: (v) => Math.round(v * 100) + '%', empty: 'Waiting for lookups…' });
    drawChart($('chart-latency'), now, [
      { points: history.hitP50, color: 'var(--hit)', dashed: true },
      { points: history.missP50, color: 'var(--miss)', dashed: true },
      { points: history.hitP95, color: 'var(--hit)' },
      { points: history.missP95, color: 'var(--miss)' }
    ], { format: axisMs, empty: 'No HTTP timings yet' });

    renderLatencyTable(s.latency);
    renderRoutes(s.routes);
    setText('updated', 'updated ' + new Date(s.timestamp).toLocaleTimeString());
  }

  function push(series, t, v) {
    series.push({ t: t, v: v });
    while (series.length && series[0].t < t - WINDOW_MS) series.shift();
  }

  function renderHealth(h) {
    $('store-status').hidden = false;
    const dot = $('store-dot');
    dot.className = 'dot ' + (h.status === 'UP' ? 'up' : h.status === 'DOWN' ? 'down' : '');
    let text = (h.store || 'store') + ' · ' + h.status.toLowerCase();
    if (h.circuit) text += ' · circuit ' + h.circuit.toLowerCase().replace('_', '-');
    if (h.pendingInvalidations > 0) {
      text += ' · ' + count(h.pendingInvalidations) + (h.pendingInvalidations === 1 ? ' invalidation' : ' invalidations') + ' queued';
    }
    $('store-text').textContent = text;
    $('store-status').title = h.error || '';
    // Without a scan the store cannot delete by pattern: the form would only ever fail.
    $('clear-pattern-section').hidden = !(h.capabilities || []).includes('PATTERN_SCAN');
    setText('kpi-entries', h.entries === null ? '–' : count(h.entries));
    setText('kpi-bytes', h.bytes === null ? 'size unknown for this store' : bytes(h.bytes) + ' in memory');
  }

  /** Hit rate and lookup rate over the last 10 s, 1 min and 5 min (as far as this page has seen), and since start. */
  function renderRateTable(s) {
    const rates = [];
    const speeds = [];
    for (const seconds of [10, 60, 300]) {
      const since = s.timestamp - seconds * 1000;
      let base = snapshots[0];
      for (const snap of snapshots) if (snap.t <= since) base = snap;
      const lookups = s.requests - base.requests;
      const elapsed = (s.timestamp - base.t) / 1000;
      rates.push(lookups > 0 ? percent((s.hits + s.staleHits - base.served) / lookups) : '–');
      speeds.push(elapsed > 0 ? (lookups / elapsed).toFixed(1) + ' /s' : '–');
    }
    const body = $('rate-table');
    body.replaceChildren(
      el('tr', null, [el('td', { text: 'hit rate' })].concat(rates.map((r) => el('td', { text: r })), [el('td', { text: percent(s.hitRate) })])),
      el('tr', null, [el('td', { text: 'lookups' })].concat(speeds.map((r) => el('td', { text: r })), [el('td', { text: count(s.requests) + ' in all' })])));
  }

  function renderLatencyTable(latency) {
    const body = $('latency-table');
    body.replaceChildren();
    for (const result of ['hit', 'stale', 'miss']) {
      const l = latency[result];
      if (!l) continue;
      body.appendChild(el('tr', null, [
        el('td', { text: result }), el('td', { text: count(l.count) }), el('td', { text: ms(l.p50) }),
        el('td', { text: ms(l.p95) }), el('td', { text: ms(l.p99) }), el('td', { text: ms(l.meanMillis) })
      ]));
    }
    if (!body.children.length) {
      body.appendChild(el('tr', null, [el('td', { colspan: '6', className: 'muted', text: 'No cached HTTP route has been requested yet.' })]));
    }
  }

  function renderRoutes(routes) {
    const body = $('routes-body');
    body.replaceChildren();
    for (const r of routes.slice(0, 10)) {
      const n = (k) => r.results[k] || 0;
      const latency = (k, p) => (r.latency[k] ? ms(r.latency[k][p]) : '–');
      const rate = r.hitRate;
      const fill = el('div', { className: 'fill' });
      fill.style.width = rate === null ? '0' : (rate * 100).toFixed(1) + '%';
      body.appendChild(el('tr', null, [
        el('td', { className: 'mono', text: r.route }),
        el('td', { className: 'num', text: count(r.requests) }),
        el('td', null, [el('div', { className: 'rate' }, [el('div', { className: 'track' }, [fill]), el('span', { className: 'pct', text: percent(rate) })])]),
        el('td', { className: 'num', text: count(n('hit')) }),
        el('td', { className: 'num', text: count(n('miss')) }),
        el('td', { className: 'num', text: count(n('stale')) }),
        el('td', { className: 'num', text: count(n('skip') + n('bypass')), title: 'skipped or bypassed' }),
        el('td', { className: 'num', text: latency('hit', 'p95') }),
        el('td', { className: 'num', text: latency('miss', 'p95') })
      ]));
    }
    if (!routes.length) {
      body.appendChild(el('tr', null, [el('td', { colspan: '9', className: 'empty', text: 'No cached route has been requested yet.' })]));
    }
  }

  // ---- charts (inline SVG) ---------------------------------------------------------------

  // ---- key browser -----------------------------------------------------------------------

  let keysLoading = false;
  let keysAgain = null; // a load asked for while one was in flight: run once it ends

  async function loadKeys(more) {
    if (keysLoading) {
      keysAgain = keysAgain === false ? false : more;
      return;
    }
    keysLoading = true;
    try {
      await loadKeysNow(more);
    } finally {
      keysLoading = false;
      if (keysAgain !== null) {
        const again = keysAgain;
        keysAgain = null;
        loadKeys(again);
      }
    }
  }

  async function loadKeysNow(more) {
    const pattern = $('key-pattern').value.trim() || '*';
    let path = 'keys?limit=100&pattern=' + encodeURIComponent(pattern);
    if (more && cursor) path += '&cursor=' + encodeURIComponent(cursor);
    const error = $('keys-error');
    try {
      const page = await api(path);
      error.hidden = true;
      const body = $('keys-body');
      if (!more) body.replaceChildren();
      body.querySelectorAll('tr:not([data-key])').forEach((row) => row.remove()); // a previous "no entry" row
      const now = Date.now();
      const showInvalid = $('show-invalid').checked;
      for (const k of page.keys) {
        if (k.state === 'invalid' && !showInvalid) continue;
        body.appendChild(keyRow(k, now));
      }
      cursor = page.nextCursor;
      $('keys-more').hidden = !cursor;
      const rows = body.querySelectorAll('tr[data-key]').length;
      if (!rows) {
        // A page may be empty and still have more to read: the listing reads the store in bounded steps.
        const text = cursor ? 'No entry matches ' + pattern + ' yet: read on with More' : 'No entry matches ' + pattern;
        body.replaceChildren(el('tr', null, [el('td', { colspan: '7', className: 'empty', text })]));
      }
      setText('keys-count', rows + (rows === 1 ? ' entry' : ' entries') + (cursor ? ' so far' : ''));
    } catch (e) {
      if (e instanceof AuthError) return failed(e);
      error.textContent = e.message;
      error.hidden = false;
      $('keys-body').replaceChildren();
      setText('keys-count', '');
      $('keys-more').hidden = true;
    }
  }

  function keyRow(k, now) {
    // A tag may be long (a path): cut with an ellipsis, whole in its title.
    const tags = el('td', { className: 'tags' }, k.tags.map((t) => el('span', { className: 'tag', text: t, title: t })));
    const remove = el('button', { type: 'button', className: 'small danger', text: 'Delete', title: 'Delete this key' });
    remove.addEventListener('click', async () => {
      try {
        const result = await api('keys?key=' + encodeURIComponent(k.key), { method: 'DELETE' });
        if (result.queued) toast('Delete of ' + k.key + ' queued.' + QUEUED, 'warn');
        else toast('Deleted ' + k.key);
        loadKeys(false);
      } catch (e) {
        failed(e);
      }
    });
    const ttl = el('td', { className: 'num' });
    if (k.ttlMillis !== null && k.ttlMillis !== undefined) ttl.dataset.expiresAt = String(now + k.ttlMillis);
    else ttl.textContent = duration(null);
    const stored = el('td', { className: 'muted', title: k.storedAt || 'unreadable: when it was stored is unknown' });
    if (k.storedAt) stored.dataset.storedAt = String(Date.parse(k.storedAt));
    else stored.textContent = '–';
    const row = el('tr', null, [
      el('td', { className: 'key mono', text: k.key, title: k.contentType }),
      el('td', null, [el('span', { className: 'badge ' + k.state, text: k.state,
        title: k.state === 'corrupt' ? 'Stored bytes that are no readable entry: every lookup misses. Delete them.' : '' })]),
      ttl,
      el('td', { className: 'num', text: bytes(k.sizeBytes) }),
      tags,
      stored,
      el('td', { className: 'num' }, [remove])
    ]);
    tickRow(row, now);
    row.dataset.key = k.key;
    row.dataset.state = k.state;
    return row;
  }

  /** "TTL left" and "Stored … ago" of a key row, as of {@code now}: they tick, between loads too. */
  function tickRow(row, now) {
    const ttl = row.querySelector('td[data-expires-at]');
    if (ttl) {
      const left = Number(ttl.dataset.expiresAt) - now;
      ttl.textContent = left > 0 ? duration(left) : 'expired';
    }
    const stored = row.querySelector('td[data-stored-at]');
    if (stored) stored.textContent = ago(Math.max(0, now - Number(stored.dataset.storedAt)));
  }

  function tickKeys() {
    const now = Date.now();
    for (const row of document.querySelectorAll('#keys-body tr[data-key]')) tickRow(row, now);
  }

  // ---- purges ----------------------------------------------------------------------------

  async function purge(event) {
    event.preventDefault();
    const tags = $('purge-tags').value.split(',').map((t) => t.trim()).filter((t) => t);
    if (!tags.length) return;
    const soft = $('purge-soft').checked;
    try {
      const result = await post('invalidate', { tags: tags, soft: soft });
      const done = (soft ? 'Soft-purged ' : 'Purged ') + tags.join(', ');
      if (result.queued) toast(done + '.' + QUEUED, 'warn');
      else toast(done);
      $('purge-tags').value = '';
      loadKeys(false);
    } catch (e) {
      failed(e);
    }
  }

  async function clearPattern(event) {
    event.preventDefault();
    const pattern = $('clear-pattern').value.trim();
    if (!pattern || !window.confirm('Delete every key matching ' + pattern + '?')) return;
    try {
      const result = await post('clear?pattern=' + encodeURIComponent(pattern));
      if (result.namespaceInvalidated) {
        toast('The store could not be searched for ' + pattern + ', so the whole cache (every entry of this namespace)'
          + ' was invalidated instead.' + (result.queued ? QUEUED : ''), 'warn');
      } else if (result.queued) {
        toast('Deleted ' + result.deleted + (result.deleted === 1 ? ' key.' : ' keys.') + QUEUED, 'warn');
      } else {
        toast('Deleted ' + result.deleted + (result.deleted === 1 ? ' key' : ' keys'));
      }
      loadKeys(false);
    } catch (e) {
      failed(e);
    }
  }

  async function clearAll() {
    if (!window.confirm('Invalidate every entry of this namespace?')) return;
    try {
      const result = await post('clear');
      if (result.queued) toast('Cleared every entry.' + QUEUED, 'warn');
      else toast('Cleared every entry');
      loadKeys(false);
    } catch (e) {
      failed(e);
    }
  }

  // ---- wiring ----------------------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', async () => {
    $('login-form').addEventListener('submit', signIn);
    $('logout').addEventListener('click', signOut);
    $('pause').addEventListener('click', () => {
      paused = !paused;
      $('pause').textContent = paused ? 'Resume' : 'Pause';
    });
    $('key-form').addEventListener('submit', (e) => { e.preventDefault(); loadKeys(false); });
    $('keys-more').addEventListener('click', () => loadKeys(true));
    $('show-invalid').addEventListener('change', () => loadKeys(false));
    $('purge-form').addEventListener('submit', purge);
    $('clear-pattern-form').addEventListener('submit', clearPattern);
    $('clear-all').addEventListener('click', clearAll);
    setInterval(tickKeys, 1000);
    // Signed in already (a token in this tab, or a Spring Security session): go straight in.
    try {
      await api('stats');
      start();
    } catch (e) {
      if (e instanceof AuthError) {
        // Only a refusal signs out: a server that does not answer now may well accept the token later.
        token = null;
        sessionStorage.removeItem(TOKEN_KEY);
        showLogin('');
      } else {
        // Polls, backing off, until the admin API answers (or refuses: then the sign-in shows).
        start();
      }
    }
  });
})();
