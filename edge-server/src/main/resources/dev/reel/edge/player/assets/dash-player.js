// The Reel DASH page: dash.js on the edge's MPEG-DASH manifest, which lists the same fMP4 segments HLS plays.
(function () {
  'use strict';
  const main = document.getElementById('watch');
  const video = document.getElementById('video');
  const errorLine = document.getElementById('error');
  const videoId = main.dataset.videoId;
  const token = main.dataset.token;
  // 128 random bits as 22 base64url characters, as the watch page's
  const sessionId = btoa(String.fromCharCode.apply(null, crypto.getRandomValues(new Uint8Array(16))))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const source = '/v/' + encodeURIComponent(videoId) + '/manifest.mpd?session=' + sessionId
    + (token ? '&token=' + encodeURIComponent(token) : '');
  window.reel = { fatalError: null, representations: [], sessionId: sessionId };

  fetch('/api/catalog/videos/' + encodeURIComponent(videoId) + '/views')
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (body) { document.getElementById('views').textContent = body ? Number(body.views).toLocaleString() : '–'; })
    .catch(function () { document.getElementById('views').textContent = '–'; });

  const player = dashjs.MediaPlayer().create();
  window.reel.dash = player;
  // Reel's segments carry audio and video together, so each representation's codecs name both. The Media
  // Capabilities API judges a video configuration by one codec and says no; MSE's isTypeSupported judges the pair, and
  // Chromium's MSE plays muxed fMP4.
  player.updateSettings({ streaming: { capabilities: { useMediaCapabilitiesApi: false } } });
  player.on(dashjs.MediaPlayer.events.STREAM_INITIALIZED, function () {
    window.reel.representations = player.getRepresentationsByType('video').map(function (r) { return r.height; });
  });
  player.on(dashjs.MediaPlayer.events.ERROR, function (event) {
    const error = event.error || {};
    window.reel.fatalError = String(error.code) + ': ' + (error.message || 'error');
    errorLine.textContent = 'Playback failed (' + window.reel.fatalError + ').';
    errorLine.hidden = false;
  });
  player.initialize(video, source, true);
})();
