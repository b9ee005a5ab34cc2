// The Reel upload page: tus-js-client (tus 1.0, served by the edge) against ingest's /api/uploads through the front
// door. The API key stays in this browser (localStorage). An upload interrupted by a reload, a closed tab or a dropped
// connection resumes where the server has it: tus-js-client keeps the upload's URL under the file's fingerprint
// (name, type, size, modification time), so choosing the same file again continues it instead of starting over.
(function () {
  'use strict';
  const $ = function (id) { return document.getElementById(id); };
  const KEY_STORE = 'reel.apiKey';
  const state = { phase: 'idle', resumedFromOffset: null, bytesSent: 0, videoId: null, error: null };
  window.reelUpload = state;
  let file = null;

  $('apiKey').value = localStorage.getItem(KEY_STORE) || '';

  function choose(chosen) {
    if (!chosen) { return; }
    file = chosen;
    $('fileName').textContent = chosen.name + ' (' + megabytes(chosen.size) + ' MB)';
    if (!$('title').value) { $('title').value = chosen.name.replace(/\.[^.]+$/, ''); }
  }
  $('file').addEventListener('change', function (event) { choose(event.target.files[0]); });
  const drop = $('drop');
  ['dragenter', 'dragover'].forEach(function (type) {
    drop.addEventListener(type, function (event) { event.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    drop.addEventListener(type, function (event) { event.preventDefault(); drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (event) { choose(event.dataTransfer.files[0]); });

  function megabytes(bytes) { return (bytes / 1048576).toFixed(1); }
  function clock(seconds) {
    if (!isFinite(seconds)) { return '…'; }
    const s = Math.round(seconds);
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }
  function fail(message) {
    state.phase = 'error';
    state.error = message;
    $('error').textContent = message;
    $('error').hidden = false;
    $('start').disabled = false;
  }

  // speed over the last 5 s of progress reports
  const samples = [];
  function report(sent, total) {
    const now = performance.now();
    samples.push([now, sent]);
    while (samples.length > 1 && now - samples[0][0] > 5000) { samples.shift(); }
    const span = (now - samples[0][0]) / 1000;
    const speed = span > 0 ? (sent - samples[0][1]) / span : 0;
    state.bytesSent = sent;
    $('bar').value = total ? (sent / total) * 100 : 0;
    $('status').textContent = megabytes(sent) + ' of ' + megabytes(total) + ' MB (' + Math.floor((sent / total) * 100)
      + '%) · ' + (speed / 1048576).toFixed(2) + ' MB/s · ' + clock(speed > 0 ? (total - sent) / speed : Infinity) + ' left';
  }

  // The edges learn of a new video from the catalog a moment after ingest accepted it: wait until the watch page exists.
  function openWatchPage(url, since) {
    fetch(url, { method: 'HEAD', cache: 'no-store' }).then(function (response) {
      if (response.ok || Date.now() - since > 60000) {
        window.location.assign(url);
      } else {
        setTimeout(function () { openWatchPage(url, since); }, 500);
      }
    }).catch(function () { setTimeout(function () { openWatchPage(url, since); }, 1000); });
  }

  $('form').addEventListener('submit', function (event) {
    event.preventDefault();
    $('error').hidden = true;
    const apiKey = $('apiKey').value.trim();
    if (!file) { fail('Choose a video file first.'); return; }
    if (!apiKey) { fail('Enter your API key.'); return; }
    localStorage.setItem(KEY_STORE, apiKey);
    $('start').disabled = true;
    $('progress').hidden = false;
    state.phase = 'uploading';
    const upload = new tus.Upload(file, {
      endpoint: '/api/uploads',
      chunkSize: 4 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
      headers: { Authorization: 'Bearer ' + apiKey },
      metadata: { filename: file.name, filetype: file.type || 'application/octet-stream', title: $('title').value,
        description: $('description').value, visibility: $('visibility').value },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onAfterResponse: function (request, response) {
        const id = response.getHeader('Reel-Video-Id');
        if (id) { state.videoId = id; }
        const offset = response.getHeader('Upload-Offset');
        if (request.getMethod() === 'HEAD' && offset !== undefined && state.resumedFromOffset === null) {
          state.resumedFromOffset = Number(offset); // where the server has this upload: a resume, not a restart
        }
      },
      onProgress: report,
      onError: function (error) {
        const status = error.originalResponse ? error.originalResponse.getStatus() : 0;
        const body = error.originalResponse ? error.originalResponse.getBody() : '';
        let reason = String(error.message || error);
        try { reason = JSON.parse(body).error || reason; } catch (ignored) { /* not JSON */ }
        fail(status === 401 ? 'The API key was refused.' : 'Upload failed: ' + reason);
      },
      onSuccess: function () {
        state.phase = 'done';
        $('status').textContent = 'Uploaded. Opening the watch page…';
        openWatchPage('/watch/' + encodeURIComponent(state.videoId), Date.now());
      },
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length > 0) {
        upload.resumeFromPreviousUpload(previous[0]);
        $('status').textContent = 'Resuming the earlier upload of this file…';
      }
      upload.start();
    });
  });
})();
