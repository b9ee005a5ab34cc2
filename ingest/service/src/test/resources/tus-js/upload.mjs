// Uploads a file to Reel's ingest with tus-js-client, the tus reference client that Uppy and browsers use.
// Usage: node upload.mjs <endpoint> <file> <api key> <title>; prints the upload URL on success, exits 1 on error.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as tus from 'tus-js-client';

const [endpoint, file, apiKey, title] = process.argv.slice(2);
const upload = new tus.Upload(readFileSync(file), {
  endpoint,
  chunkSize: 256 * 1024,
  retryDelays: [0, 500, 1000],
  headers: { Authorization: `Bearer ${apiKey}` },
  metadata: { filename: basename(file), filetype: 'video/mp4', title },
  onError: (error) => { console.error(`tus-js-client failed: ${error}`); process.exit(1); },
  onSuccess: () => { console.log(upload.url); },
});
upload.start();
