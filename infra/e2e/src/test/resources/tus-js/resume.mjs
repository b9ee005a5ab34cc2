// A large upload with tus-js-client through the front door, as a creator's browser would make it, that must outlive
// an ingest restart. Usage: node resume.mjs <endpoint> <file> <api key> <title> <chunk bytes> <pause ms per PATCH>
// Prints "patch <offset> <total>" as each PATCH goes out, "progress <acknowledged> <total>" after it, "head <status>"
// for each resume, and on success
// "done <upload url> creations=<POSTs> sent=<bytes sent in PATCH bodies, failed ones included>"; exits 1 on error.
import { readFileSync } from 'node:fs';
import * as tus from 'tus-js-client';

const [endpoint, file, apiKey, title, chunkArg, pauseArg] = process.argv.slice(2);
const bytes = readFileSync(file);
const chunkSize = Number(chunkArg);
const pause = Number(pauseArg);
let creations = 0;
let sent = 0;
const upload = new tus.Upload(bytes, {
  endpoint,
  chunkSize,
  // a restart takes a few seconds: keep retrying for about a minute, as an uploader on a slow link would
  retryDelays: [0, 500, 1000, 2000, 2000, 3000, 3000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000],
  headers: { Authorization: `Bearer ${apiKey}` },
  metadata: { filename: 'large.mp4', filetype: 'video/mp4', title },
  onBeforeRequest: async (req) => {
    const method = req.getMethod();
    if (method === 'POST') {
      creations++;
    }
    if (method === 'PATCH') {
      const offset = Number(req.getHeader('Upload-Offset'));
      sent += Math.min(chunkSize, bytes.length - offset);
      await new Promise((resolve) => setTimeout(resolve, pause)); // a slow link
      console.log(`patch ${offset} ${bytes.length}`); // its body is about to go out
    }
  },
  onAfterResponse: (req, res) => {
    if (req.getMethod() === 'HEAD') {
      console.log(`head ${res.getStatus()}`);
    }
  },
  onChunkComplete: (chunk, accepted, total) => console.log(`progress ${accepted} ${total}`),
  onError: (error) => { console.error(`tus-js-client failed: ${error}`); process.exit(1); },
  onSuccess: () => { console.log(`done ${upload.url} creations=${creations} sent=${sent}`); },
});
upload.start();
