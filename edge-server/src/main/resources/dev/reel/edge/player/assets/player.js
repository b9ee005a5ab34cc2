// The Reel watch page: hls.js on the edge's own URLs, a quality menu (Auto + each level), a subtitles menu (Off + each
// text track of the master playlist's SUBTITLES group) with the cues drawn by the page, the view count from the catalog
// API through the front door, and a quality-of-experience beacon to the edge.
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
  const sessionId = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^A-Za-z0-9_-]/g, '');
  const query = '?session=' + sessionId + (token ? '&token=' + encodeURIComponent(token) : '');
  const source = '/v/' + encodeURIComponent(videoId) + '/master.m3u8' + query;
  const qoe = { startupMillis: null, stalls: 0, stallMillis: 0, rendition: null, playRequestedAt: performance.now(), stallStart: 0 };
  window.reel = { fatalError: null, levelsLoaded: 0, sessionId: sessionId };

  function showError(message) {
    errorLine.textContent = message;
    errorLine.hidden = false;
  }

  fetch('/api/catalog/videos/' + encodeURIComponent(videoId) + '/views')
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (body) { document.getElementById('views').textContent = body ? Number(body.views).toLocaleString() : '–'; })
    .catch(function () { document.getElementById('views').textContent = '–'; });

  video.addEventListener('playing', function () {
    if (qoe.startupMillis === null) {
      qoe.startupMillis = Math.round(performance.now() - qoe.playRequestedAt);
      sendBeacon();
    }
    if (qoe.stallStart) {
      qoe.stallMillis += Math.round(performance.now() - qoe.stallStart);
      qoe.stallStart = 0;
    }
  });
  video.addEventListener('waiting', function () {
    if (qoe.startupMillis !== null && !qoe.stallStart) {
      qoe.stalls += 1;
      qoe.stallStart = performance.now();
    }
  });

  function sendBeacon() {
    const body = JSON.stringify({ videoId: videoId, sessionId: sessionId, startupMillis: qoe.startupMillis,
      stalls: qoe.stalls, stallMillis: qoe.stallMillis, rendition: qoe.rendition });
    if (navigator.sendBeacon) {
      navigator.sendBeacon('/api/beacon', new Blob([body], { type: 'application/json' }));
    } else {
      fetch('/api/beacon', { method: 'POST', body: body, headers: { 'Content-Type': 'application/json' }, keepalive: true });
    }
  }
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') { sendBeacon(); } });
  setInterval(sendBeacon, 30000);

  // A video still being processed has nothing to play yet: show its state, ask the catalog again every 2 s, and start the
  // player once a rendition is ready (PLAYABLE while transcoding, or READY).
  const processing = document.getElementById('processing');
  function whenPlayable(start) {
    const playable = ['PLAYABLE', 'READY'];
    if (playable.indexOf(main.dataset.state) >= 0) {
      start();
      return;
    }
    processing.hidden = false;
    (function poll() {
      fetch('/api/catalog/videos/' + encodeURIComponent(videoId))
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (record) {
          if (record && playable.indexOf(record.state) >= 0) {
            processing.hidden = true;
            start();
          } else if (record && record.state === 'FAILED') {
            processing.textContent = 'Processing failed: ' + (record.failureReason || 'unknown reason');
          } else {
            processing.textContent = 'Processing… ' + (record ? record.state.toLowerCase() + ', '
              + Math.round(record.progressPercent || 0) + '%' : '');
            setTimeout(poll, 2000);
          }
        })
        .catch(function () { setTimeout(poll, 2000); });
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

  function startPlayer() {
    if (window.Hls && Hls.isSupported()) {
      // startPosition 0: a video still being transcoded has EVENT playlists, which hls.js would otherwise join near
      // their live edge; a viewer of an on-demand video starts at the beginning
      const hls = new Hls({ enableWorker: true, startPosition: 0 });
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
        const level = hls.levels[data.level];
        qoe.rendition = level && level.height ? level.height + 'p' : null;
      });
      hls.on(Hls.Events.ERROR, function (event, data) {
        if (data.fatal) {
          window.reel.fatalError = data.type + ': ' + data.details;
          showError('Playback failed (' + data.details + ').');
          if (data.type === Hls.ErrorTypes.NETWORK_ERROR) { hls.startLoad(); }
          else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) { hls.recoverMediaError(); }
        }
      });
      menu.addEventListener('change', function () { hls.currentLevel = Number(menu.value); });
      hls.loadSource(source);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = source; // Safari plays HLS natively; its own menus pick the quality and the subtitles
      menu.parentElement.hidden = true;
    } else {
      showError('This browser cannot play HLS.');
    }
  }
  whenPlayable(startPlayer);
})();
