// The Reel viewer-experience dashboard: the analytics API through the front door (/api/analytics/overview, or
// /api/analytics/videos/{id} with ?video=, with the owner's credentials as headers), charted with uPlot (served by the
// edge, no CDN), refreshed every 5 s.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const videoId = params.get('video');
  const windowSelect = document.getElementById('window');
  const errorLine = document.getElementById('error');
  const charts = {};
  const REFRESH_MILLIS = 5000;
  const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];
  if (params.get('window')) { windowSelect.value = params.get('window'); }
  if (videoId) {
    document.querySelectorAll('.overview-only').forEach(function (e) { e.hidden = true; });
  }
  window.reelAnalytics = { last: null, refreshes: 0 };

  // A private video's figures are its owner's: the page sends what the analytics API accepts, as headers (never in a
  // URL, which the front door logs): the playback token the watch page left in this tab's session storage, and an API
  // key the owner types in, kept in session storage only (this tab, until it closes).
  const API_KEY = 'reel.apiKey';
  const tokenKey = videoId ? 'reel.playbackToken.' + videoId : null;
  const keyForm = document.getElementById('owner-key');
  const keyInput = document.getElementById('api-key');
  function stored(name) {
    try { return name ? sessionStorage.getItem(name) : null; } catch (e) { return null; }
  }
  function credentials() {
    const headers = {};
    const key = stored(API_KEY);
    const token = stored(tokenKey);
    if (key) { headers.Authorization = 'Bearer ' + key; }
    if (token) { headers['X-Reel-Playback-Token'] = token; }
    return headers;
  }
  if (videoId) {
    keyForm.hidden = false;
    keyInput.value = stored(API_KEY) || '';
    keyForm.addEventListener('submit', function (event) {
      event.preventDefault();
      const key = keyInput.value.trim();
      try {
        if (key) { sessionStorage.setItem(API_KEY, key); } else { sessionStorage.removeItem(API_KEY); }
      } catch (e) { /* storage off: the key is not kept */ }
      refresh();
    });
  }

  const TILES = [
    ['plays', 'Plays', number], ['uniqueSessions', 'Unique sessions', number], ['watchMillis', 'Watch time', duration],
    ['startupMillisP50', 'Startup p50', millis], ['startupMillisP95', 'Startup p95', millis],
    ['rebufferPercent', 'Rebuffering', percent], ['playbackFailurePercent', 'Playback failures', percent],
    ['exitsBeforeStart', 'Exits before start', number], ['averageBitrateKbps', 'Average bit rate', kbps],
    ['cacheHitRatio', 'Cache hit ratio', ratio], ['bytesServed', 'Bytes served', bytes],
    ['edgeLatencyMillisP99', 'Edge latency p99', millis]];

  function number(v) { return v === null || v === undefined ? '–' : Number(v).toLocaleString(); }
  function millis(v) { return v === null || v === undefined ? '–' : Math.round(v).toLocaleString() + ' ms'; }
  function percent(v) { return v === null || v === undefined ? '–' : v.toFixed(2) + ' %'; }
  function ratio(v) { return v === null || v === undefined ? '–' : (100 * v).toFixed(1) + ' %'; }
  function kbps(v) { return v === null || v === undefined ? '–' : Math.round(v).toLocaleString() + ' kbit/s'; }
  function bytes(v) { return v === null || v === undefined ? '–' : (v / 1e6).toFixed(1) + ' MB'; }
  function duration(v) {
    if (v === null || v === undefined) { return '–'; }
    const s = Math.round(v / 1000);
    return s >= 3600 ? (s / 3600).toFixed(1) + ' h' : s >= 60 ? Math.round(s / 60) + ' min' : s + ' s';
  }
  function text(tag, content) { const e = document.createElement(tag); e.textContent = content; return e; }

  function tiles(totals) {
    const box = document.getElementById('tiles');
    box.replaceChildren();
    TILES.forEach(function (tile) {
      if (videoId && tile[0] === 'edgeLatencyMillisP99') {
        return; // the latency sketch is kept per edge: a video has no latency of its own
      }
      const div = document.createElement('div');
      div.className = 'tile';
      const value = text('strong', tile[2](totals[tile[0]]));
      value.id = 'total-' + tile[0];
      value.dataset.value = totals[tile[0]] === null ? '' : String(totals[tile[0]]);
      div.append(value, text('span', tile[1]));
      box.append(div);
    });
  }

  /** Draws or updates one chart: x = bucket starts (seconds), one line per series. */
  function chart(id, xs, series) {
    const target = document.getElementById(id);
    const data = [xs].concat(series.map(function (s) { return s.values; }));
    const key = id + ':' + series.map(function (s) { return s.label; }).join('|');
    if (charts[id] && charts[id].key === key) {
      charts[id].plot.setData(data);
      return;
    }
    if (charts[id]) { charts[id].plot.destroy(); }
    const opts = { width: Math.max(280, Math.min(560, target.clientWidth || 520)), height: 200,
      series: [{}].concat(series.map(function (s, i) {
        return { label: s.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: false };
      })), axes: [{ stroke: '#ccc', grid: { stroke: '#333' } }, { size: 60, stroke: '#ccc', grid: { stroke: '#333' } }], scales: { x: { time: true } } };
    charts[id] = { key: key, plot: new uPlot(opts, data, target) };
  }

  function seriesOf(points, field) { return points.map(function (p) { return p[field]; }); }
  function xsOf(points) { return points.map(function (p) { return Date.parse(p.start) / 1000; }); }

  function draw(answer) {
    const points = answer.series;
    const xs = xsOf(points);
    tiles(answer.totals);
    chart('chart-sessions', xs, [{ label: 'plays', values: seriesOf(points, 'plays') },
      { label: 'unique sessions', values: seriesOf(points, 'uniqueSessions') }]);
    chart('chart-startup', xs, [{ label: 'p50', values: seriesOf(points, 'startupMillisP50') },
      { label: 'p95', values: seriesOf(points, 'startupMillisP95') }]);
    chart('chart-rebuffer', xs, [{ label: 'rebuffer %', values: seriesOf(points, 'rebufferPercent') }]);
    chart('chart-failures', xs, [{ label: 'failures', values: seriesOf(points, 'playbackFailures') },
      { label: 'exits before start', values: seriesOf(points, 'exitsBeforeStart') }]);
    if (videoId) {
      document.getElementById('heading').textContent = 'Viewer experience: ' + answer.title;
      return;
    }
    const edges = answer.edges || [];
    if (edges.length) {
      const edgeXs = xsOf(edges[0].series);
      chart('chart-hits', edgeXs, edges.map(function (e) { return { label: e.edge, values: seriesOf(e.series, 'cacheHitRatio') }; }));
      chart('chart-egress', edgeXs, edges.map(function (e) {
        return { label: e.edge, values: e.series.map(function (p) { return p.bytesServed / 1e6; }) };
      }));
    }
    const top = document.querySelector('#top-videos tbody');
    top.replaceChildren();
    answer.topVideos.forEach(function (v) {
      const row = document.createElement('tr');
      const link = text('a', v.title || v.videoId);
      link.href = '/analytics?video=' + encodeURIComponent(v.videoId) + '&window=' + windowSelect.value;
      const name = document.createElement('td');
      name.append(link);
      row.append(name, text('td', duration(v.watchMillis)), text('td', number(v.plays)), text('td', millis(v.startupMillisP50)),
        text('td', percent(v.rebufferPercent)), text('td', percent(v.playbackFailurePercent)));
      top.append(row);
    });
    const renditions = document.querySelector('#renditions tbody');
    renditions.replaceChildren();
    answer.renditions.forEach(function (r) {
      const row = document.createElement('tr');
      row.append(text('td', r.rendition), text('td', number(r.segmentRequests)), text('td', duration(r.watchMillis)),
        text('td', kbps(r.averageBitrateKbps)), text('td', ratio(r.cacheHitRatio)));
      renditions.append(row);
    });
  }

  function refresh() {
    const path = videoId
      ? '/api/analytics/videos/' + encodeURIComponent(videoId) + '?window=' + windowSelect.value
      : '/api/analytics/overview?window=' + windowSelect.value;
    return fetch(path, { cache: 'no-store', headers: credentials() })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body.error || ('HTTP ' + r.status)); }
          return body;
        });
      })
      .then(function (answer) {
        errorLine.hidden = true;
        window.reelAnalytics.last = answer;
        window.reelAnalytics.refreshes += 1;
        draw(answer);
        document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      })
      .catch(function (error) {
        errorLine.textContent = 'No figures: ' + error.message;
        errorLine.hidden = false;
      });
  }

  windowSelect.addEventListener('change', refresh);
  refresh();
  setInterval(refresh, REFRESH_MILLIS);
})();
