// A fake in-house engine for `npm run bench:providers`, in its own process: answers the generic http
// provider's contract (APPROVED) after a fixed delay, or, with FAKE_MODE=hang, accepts and never answers.
import http from 'node:http';

const delayMs = Number(process.env.FAKE_DELAY_MS ?? 20);
const hang = process.env.FAKE_MODE === 'hang';
const answer = JSON.stringify({ status: 'APPROVED', reasons: [] });
let served = 0;

const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    served += 1;
    if (hang) return;
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      response.end(answer);
    }, delayMs);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ served })}\n`);
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
