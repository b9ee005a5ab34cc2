// The Reel watch page: hls.js on the edge's own URLs (with CMCD), a quality menu (Auto + each level), a subtitles menu
// (Off + each text track of the master playlist's SUBTITLES group) with the cues drawn by the page, a seek bar that
// shows the storyboard's thumbnail under the pointer, the view count from the catalog API through the front door, quality-of-experience beacons to the edge, and a link to the video's
// analytics.
(function () {
  'use strict';
  const main = document.getElementById('watch');
  const video = document.getElementById('video');
  const menu = document.getElementById('quality');
  const errorLine = document.getElementById('error');
  const captionsMenu = document.getElementById('captions');
  const captionLine = document.getElementById('caption');
  const videoId = main.dataset.videoId;
  const token = main.dataset.token;
  // The session id: 128 random bits as 22 base64url characters. getRandomValues works on plain http too (randomUUID
  // only in a secure context), and the id rides on every request of the session (CMCD sid): 14 characters fewer than
  // a UUID, which the edge reads on each
  const sessionId = btoa(String.fromCharCode.apply(null, crypto.getRandomValues(new Uint8Array(16))))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const query = '?session=' + sessionId + (token ? '&token=' + encodeURIComponent(token) : '');
  const source = '/v/' + encodeURIComponent(videoId) + '/master.m3u8' + query;
  // Quality of experience, measured here and sent to the edge as playback.beacon snapshots of the whole session (the
  // analytics service keeps the one with the highest sequence). Times are from the play request: this script asking
  // for the video, which plays as soon as it can.
  const MAX_STALL_EVENTS = 50;
  const PERIODIC_MILLIS = 10000;
  let playRequestedAt = performance.now();
  const qoe = { startupMillis: null, stalls: 0, stallMillis: 0, stallStart: 0, stallEvents: [], watchMillis: 0,
    playingSince: 0, rendition: null, renditionSwitches: 0, fatalError: null, exitedBeforeStart: false, sequence: 0,
    lastSent: null };
  window.reel = { fatalError: null, levelsLoaded: 0, sessionId: sessionId, qoe: snapshot, beaconsSent: [] };
  // The video's analytics link opens the dashboard in this tab; it sends the token as a header (the analytics API
  // takes it there, so it stays out of logged URLs), read from this tab's session storage.
  if (token) {
    try { sessionStorage.setItem('reel.playbackToken.' + videoId, token); } catch (e) { /* storage off: no figures */ }
  }

  function showError(message) {
    errorLine.textContent = message;
    errorLine.hidden = false;
  }

  fetch('/api/catalog/videos/' + encodeURIComponent(videoId) + '/views' + (token ? '?token=' + encodeURIComponent(token) : ''))
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (body) { document.getElementById('views').textContent = body ? Number(body.views).toLocaleString() : '–'; })
    .catch(function () { document.getElementById('views').textContent = '–'; });

  function now() { return performance.now(); }

  /** The session so far, a stall or a stretch of playing still going on included. */
  function snapshot() {
    const t = now();
    const stalled = qoe.stallStart ? Math.round(t - qoe.stallStart) : 0;
    const events = qoe.stallEvents.map(function (s) { return { atMillis: s.atMillis, durationMillis: s.durationMillis }; });
    if (qoe.stallStart && events.length < MAX_STALL_EVENTS) {
      events.push({ atMillis: Math.round(qoe.stallStart - playRequestedAt), durationMillis: stalled });
    }
    return { videoId: videoId, sessionId: sessionId, startupMillis: qoe.startupMillis, stalls: qoe.stalls,
      stallMillis: qoe.stallMillis + stalled,
      watchMillis: Math.round(qoe.watchMillis + (qoe.playingSince ? t - qoe.playingSince : 0)),
      stallEvents: events, rendition: qoe.rendition, renditionSwitches: qoe.renditionSwitches,
      fatalError: qoe.fatalError, exitedBeforeStart: qoe.exitedBeforeStart };
  }

  function stopPlayingClock() {
    if (qoe.playingSince) {
      qoe.watchMillis += now() - qoe.playingSince;
      qoe.playingSince = 0;
    }
  }

  function sendBeacon(trigger) {
    const state = snapshot();
    const unchanged = JSON.stringify(state);
    if (trigger === 'periodic' && unchanged === qoe.lastSent) {
      return;
    }
    qoe.lastSent = unchanged;
    qoe.sequence += 1;
    state.sequence = qoe.sequence;
    state.trigger = trigger;
    const body = JSON.stringify(state);
    window.reel.beaconsSent.push(state);
    if (navigator.sendBeacon && navigator.sendBeacon('/api/beacon', new Blob([body], { type: 'application/json' }))) {
      return;
    }
    fetch('/api/beacon', { method: 'POST', body: body, headers: { 'Content-Type': 'application/json' }, keepalive: true })
      .catch(function () { /* the next beacon carries the same numbers */ });
  }

  video.addEventListener('playing', function () {
    if (!qoe.playingSince) {
      qoe.playingSince = now();
    }
    if (qoe.startupMillis === null) {
      qoe.startupMillis = Math.round(now() - playRequestedAt);
      window.reel.playingAt = Date.now(); // wall clock, for the end-to-end suite's time to first play
      sendBeacon('first-frame');
    }
    if (endStall()) {
      sendBeacon('stall-end');
    }
  });

  /** Ends the stall going on, if any; true if there was one. */
  function endStall() {
    if (!qoe.stallStart) {
      return false;
    }
    const duration = Math.round(now() - qoe.stallStart);
    qoe.stallMillis += duration;
    if (qoe.stallEvents.length < MAX_STALL_EVENTS) {
      qoe.stallEvents.push({ atMillis: Math.round(qoe.stallStart - playRequestedAt), durationMillis: duration });
    }
    qoe.stallStart = 0;
    return true;
  }
  video.addEventListener('waiting', function () {
    stopPlayingClock();
    // a wait after the first frame that no seek asked for is a stall
    if (qoe.startupMillis !== null && !qoe.stallStart && !video.seeking) {
      qoe.stalls += 1;
      qoe.stallStart = now();
    }
  });
  // a pause ends a stall going on: time the viewer chose not to play is neither watch time nor rebuffering
  video.addEventListener('pause', function () {
    stopPlayingClock();
    endStall();
    if (qoe.startupMillis !== null && !video.ended) {
      sendBeacon('pause');
    }
  });
  video.addEventListener('ended', stopPlayingClock);

  function leaving() {
    if (qoe.startupMillis === null && !qoe.fatalError) {
      qoe.exitedBeforeStart = true;
    }
    sendBeacon('page-hide');
  }
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') { leaving(); } });
  window.addEventListener('pagehide', leaving);
  setInterval(function () { sendBeacon('periodic'); }, PERIODIC_MILLIS);

  /** The rendition's name, as the edge and the catalog spell it: the folder of its playlist. */
  function renditionOf(level) {
    const named = level && /(?:^|\/)([A-Za-z0-9_-]{1,128})\/index\.m3u8/.exec(level.url || '');
    if (named) {
      return named[1];
    }
    return level && level.height ? level.height + 'p' : null;
  }

  // A video still being processed has nothing to play yet: the page shows its state from the catalog (every 2 s) and
  // asks the edge for the master playlist with Prefer: wait, which the edge holds until the video has a rendition to
  // play (PLAYABLE while transcoding, or READY), up to 20 s a request: playback starts the moment it can, not at a poll.
  // The player is made and attached meanwhile, so only the playlist and segment requests remain. A HEAD counts no view.
  const processing = document.getElementById('processing');
  const HELD_SECONDS = 20;

  function whenPlayable(start) {
    const playable = ['PLAYABLE', 'READY'];
    if (playable.indexOf(main.dataset.state) >= 0) {
      start();
      return;
    }
    processing.hidden = false;
    let settled = false;
    (function untilEdgeServes() {
      const asked = Date.now();
      fetch(source, { method: 'HEAD', headers: { Prefer: 'wait=' + HELD_SECONDS } })
        .then(function (r) { return r.ok; }, function () { return false; })
        .then(function (ok) {
          if (settled) { return; }
          if (ok) {
            settled = true;
            processing.hidden = true;
            playRequestedAt = now(); // startup is timed from the moment the video could play, not from the upload
            start();
          } else {
            // an edge that does not hold the request (or a network error) is asked again after a second, not in a loop
            setTimeout(untilEdgeServes, Math.max(0, 1000 - (Date.now() - asked)));
          }
        });
    })();
    (function showProgress() {
      // a private video's record answers only with its token, as its views do
      fetch('/api/catalog/videos/' + encodeURIComponent(videoId) + (token ? '?token=' + encodeURIComponent(token) : ''))
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (record) {
          if (settled) { return; }
          if (record && record.state === 'FAILED') {
            settled = true;
            processing.textContent = 'Processing failed: ' + (record.failureReason || 'unknown reason');
            return;
          }
          if (!record || playable.indexOf(record.state) < 0) {
            processing.textContent = 'Processing… ' + (record ? record.state.toLowerCase() + ', '
              + Math.round(record.progressPercent || 0) + '%' : '');
          }
          setTimeout(showProgress, 2000);
        })
        .catch(function () { setTimeout(showProgress, 2000); });
    })();
  }

  // The selected text track is 'hidden' (hls.js loads its cues, the browser draws nothing): the page draws the active
  // cues, so they look the same in every browser and are part of the page (the end-to-end test reads them there).
  let drawing = false; // only under hls.js: Safari's native player draws its own
  function drawCues() {
    if (!drawing) { return; }
    const lines = [];
    for (let i = 0; i < video.textTracks.length; i++) {
      const track = video.textTracks[i];
      if (track.mode === 'disabled' || !track.activeCues) { continue; }
      for (let j = 0; j < track.activeCues.length; j++) {
        const span = document.createElement('span');
        span.appendChild(track.activeCues[j].getCueAsHTML());
        lines.push(span);
      }
    }
    captionLine.replaceChildren.apply(captionLine, lines.flatMap(function (line, index) {
      return index === 0 ? [line] : [document.createElement('br'), line];
    }));
  }
  video.textTracks.addEventListener('addtrack', function (event) { event.track.addEventListener('cuechange', drawCues); });
  video.textTracks.addEventListener('change', drawCues);

  /** Makes the player and attaches it to the page's video; returns what starts loading the video. */
  function preparePlayer() {
    if (window.Hls && Hls.isSupported()) {
      // startPosition 0: a video still being transcoded has EVENT playlists, which hls.js would otherwise join near
      // their live edge; a viewer of an on-demand video starts at the beginning
      // cmcd: every playlist and segment request carries Common Media Client Data (CTA-5004) as the CMCD query
      // argument: this session's id (so the edge's segment.served joins this page's beacons), the video id, buffer
      // length, measured throughput, bit rate, object type and the startup flag. Only the keys the edge keeps: the
      // others (next object, deadline, duration, ...) would tell the edge nothing it uses, and every one costs each
      // request bytes on the wire and in the edge's parser
      const hls = new Hls({ enableWorker: true, startPosition: 0, cmcd: { sessionId: sessionId, contentId: videoId,
        includeKeys: ['bl', 'br', 'cid', 'mtp', 'ot', 'sid', 'su'] } });
      window.reel.hls = hls;
      hls.subtitleDisplay = false; // cues load into a 'hidden' track and drawCues shows them
      drawing = true;
      hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, function (event, data) {
        captionsMenu.length = 1;
        data.subtitleTracks.forEach(function (track, index) {
          const option = document.createElement('option');
          option.value = String(index);
          option.textContent = track.name;
          option.lang = track.lang || '';
          captionsMenu.appendChild(option);
        });
        captionsMenu.value = String(hls.subtitleTrack);
        captionsMenu.parentElement.hidden = data.subtitleTracks.length === 0;
      });
      captionsMenu.addEventListener('change', function () {
        hls.subtitleTrack = Number(captionsMenu.value);
        drawCues();
      });
      hls.on(Hls.Events.MANIFEST_PARSED, function (event, data) {
        data.levels.forEach(function (level, index) {
          const option = document.createElement('option');
          option.value = String(index);
          option.textContent = (level.height ? level.height + 'p' : Math.round(level.bitrate / 1000) + ' kbit/s');
          menu.appendChild(option);
        });
        video.play().catch(function () { /* autoplay may be refused; the controls remain */ });
      });
      hls.on(Hls.Events.LEVEL_LOADED, function () { window.reel.levelsLoaded += 1; });
      hls.on(Hls.Events.LEVEL_SWITCHED, function (event, data) {
        const rendition = renditionOf(hls.levels[data.level]);
        if (qoe.rendition !== null && rendition !== qoe.rendition) {
          qoe.renditionSwitches += 1;
        }
        qoe.rendition = rendition;
      });
      hls.on(Hls.Events.ERROR, function (event, data) {
        if (data.fatal) {
          window.reel.fatalError = data.type + ': ' + data.details;
          if (!qoe.fatalError) {
            qoe.fatalError = String(window.reel.fatalError).slice(0, 200);
            stopPlayingClock();
            sendBeacon('error');
          }
          showError('Playback failed (' + data.details + ').');
          if (data.type === Hls.ErrorTypes.NETWORK_ERROR) { hls.startLoad(); }
          else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) { hls.recoverMediaError(); }
        }
      });
      menu.addEventListener('change', function () { hls.currentLevel = Number(menu.value); });
      hls.attachMedia(video);
      return function () { hls.loadSource(source); };
    }
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      menu.parentElement.hidden = true;
      // Safari plays HLS natively; its own menus pick the quality and the subtitles
      return function () { video.src = source; };
    }
    showError('This browser cannot play HLS.');
    return function () { };
  }

  // The storyboard: hls.js draws no thumbnails, so the page does. Its WebVTT file (one cue per tile: a time range and
  // `storyboard.jpg#xywh=x,y,w,h`) is read once; hovering or dragging on the seek bar shows the tile whose cue holds
  // the time under the pointer, as a window onto the sprite, at the pointer, with the time. A video still being
  // transcoded has none yet: it is asked for again until it comes (READY) or a few minutes have passed.
  const seekbar = document.getElementById('seekbar');
  const played = document.getElementById('seek-played');
  const preview = document.getElementById('storyboard');
  const tile = document.getElementById('storyboard-tile');
  const previewTime = document.getElementById('storyboard-time');
  const storyboardUrl = new URL('/v/' + encodeURIComponent(videoId) + '/storyboard.vtt'
    + (token ? '?token=' + encodeURIComponent(token) : ''), location.href);
  let cues = [];
  window.reel.storyboard = { cues: 0, shown: null };

  function seconds(stamp) {
    const parts = stamp.trim().split(':').map(Number);
    return parts.reduce(function (total, part) { return total * 60 + part; }, 0);
  }

  function parseStoryboard(text) {
    const parsed = [];
    text.replace(/\r/g, '').split(/\n\n+/).forEach(function (block) {
      const lines = block.split('\n');
      const timing = lines.findIndex(function (line) { return line.indexOf('-->') >= 0; });
      if (timing < 0 || !lines[timing + 1]) { return; }
      const range = lines[timing].split('-->');
      const ref = new URL(lines[timing + 1].trim(), storyboardUrl);
      const xywh = /^#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(ref.hash);
      if (!xywh) { return; }
      ref.hash = '';
      parsed.push({ start: seconds(range[0]), end: seconds(range[1].trim().split(/\s/)[0]), url: ref.href,
        x: Number(xywh[1]), y: Number(xywh[2]), w: Number(xywh[3]), h: Number(xywh[4]) });
    });
    return parsed;
  }

  function loadStoryboard(attempt) {
    fetch(storyboardUrl.href)
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (text) {
          cues = parseStoryboard(text);
          window.reel.storyboard.cues = cues.length;
        } else if (attempt < 60) {
          setTimeout(function () { loadStoryboard(attempt + 1); }, 5000);
        }
      })
      .catch(function () { if (attempt < 60) { setTimeout(function () { loadStoryboard(attempt + 1); }, 5000); } });
  }

  function clock(time) {
    const whole = Math.max(0, Math.floor(time));
    const s = String(whole % 60).padStart(2, '0');
    const m = Math.floor(whole / 60);
    return m >= 60 ? Math.floor(m / 60) + ':' + String(m % 60).padStart(2, '0') + ':' + s : m + ':' + s;
  }

  // the time under the pointer: the seek bar spans the whole video
  function timeAt(clientX) {
    const box = seekbar.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
    return { fraction: fraction, time: fraction * (video.duration || 0), left: fraction * box.width };
  }

  function showTile(clientX) {
    const at = timeAt(clientX);
    const cue = cues.find(function (c) { return at.time >= c.start && at.time < c.end; })
      || (cues.length && at.time >= cues[cues.length - 1].start ? cues[cues.length - 1] : null);
    if (!cue || !video.duration) {
      preview.hidden = true;
      window.reel.storyboard.shown = null;
      return;
    }
    tile.style.width = cue.w + 'px';
    tile.style.height = cue.h + 'px';
    tile.style.backgroundImage = 'url("' + cue.url + '")';
    tile.style.backgroundPosition = '-' + cue.x + 'px -' + cue.y + 'px';
    previewTime.textContent = clock(at.time);
    // centred on the pointer, kept inside the bar
    const box = seekbar.getBoundingClientRect();
    const half = cue.w / 2 + 2;
    preview.style.left = Math.min(box.width - half, Math.max(half, at.left)) + 'px';
    preview.hidden = false;
    preview.dataset.time = String(at.time);
    preview.dataset.cueStart = String(cue.start);
    preview.dataset.cueEnd = String(cue.end);
    window.reel.storyboard.shown = { time: at.time, start: cue.start, end: cue.end, x: cue.x, y: cue.y };
  }

  let dragging = false;
  seekbar.addEventListener('pointermove', function (event) {
    showTile(event.clientX);
    if (dragging && video.duration) { video.currentTime = timeAt(event.clientX).time; }
  });
  seekbar.addEventListener('pointerdown', function (event) {
    dragging = true;
    seekbar.setPointerCapture(event.pointerId);
    showTile(event.clientX);
  });
  seekbar.addEventListener('pointerup', function (event) {
    if (dragging && video.duration) { video.currentTime = timeAt(event.clientX).time; }
    dragging = false;
  });
  seekbar.addEventListener('pointerleave', function () {
    if (!dragging) { preview.hidden = true; }
  });
  seekbar.addEventListener('keydown', function (event) {
    const step = event.key === 'ArrowRight' ? 5 : event.key === 'ArrowLeft' ? -5 : 0;
    if (step && video.duration) { video.currentTime = Math.min(video.duration, Math.max(0, video.currentTime + step)); }
  });
  video.addEventListener('timeupdate', function () {
    played.style.width = video.duration ? (100 * video.currentTime / video.duration) + '%' : '0';
    seekbar.setAttribute('aria-valuemax', String(Math.round(video.duration || 0)));
    seekbar.setAttribute('aria-valuenow', String(Math.round(video.currentTime)));
  });

  const load = preparePlayer();
  whenPlayable(function () {
    load();
    loadStoryboard(0);
  });
})();
