// Pushes numbered lines to Strata with winston-loki, then flushes and exits.
// Usage: node push.js <base-url> <protobuf|json> <count> <run-id> <first timestamp, Unix ms>
const winston = require('winston');
const LokiTransport = require('winston-loki');

const [base, mode, countText, run, startText] = process.argv.slice(2);
const count = Number(countText);
const start = Number(startText);
let failed = false;
const transport = new LokiTransport({
  host: base,
  json: mode === 'json',
  batching: true,
  replaceTimestamp: false, // keep the timestamps we set, so order and bounds are known
  interval: 1,
  labels: { app: 'winston-interop', mode, run },
  onConnectionError: (err) => { console.error('push failed:', err && err.message); failed = true; },
});
const logger = winston.createLogger({ transports: [transport] });

(async () => {
  for (let i = 0; i < count; i++) {
    // Distinct, increasing timestamps keep the expected order unambiguous.
    logger.log({ level: i % 5 === 0 ? 'error' : 'info', message: `line ${i} via ${mode}`, timestamp: start + i });
  }
  await transport.flush();
  await transport.close();
  process.exit(failed ? 1 : 0);
})();
