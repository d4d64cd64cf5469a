// Floor server for `npm run bench`: bare Fastify doing one INSERT per request, the best the service could hope for.
//
// It answers POST /transaction/validate like the service (200 { transactionId, status, reasons }) but does
// nothing beyond storing the body: one INSERT through a pg Pool of the service's default size. The bench
// runs it as a child process against the same database as the service, so the ratio service/floor
// measures what the service's own work (validation, screening, three statements) costs.
//
// Configuration (environment): PORT (required), DATABASE_URL (required), FLOOR_POOL_SIZE (default 20).
import Fastify from 'fastify';
import pg from 'pg';

const port = Number.parseInt(process.env.PORT ?? '', 10);
const databaseUrl = process.env.DATABASE_URL;
if (!Number.isInteger(port) || !databaseUrl) {
  process.stderr.write('floor-server: PORT and DATABASE_URL are required\n');
  process.exit(1);
}

// Same pool size as the service's default (DATABASE_POOL_SIZE=20). Like the service's validate
// pool, it keeps the connections it opens: with pg's default idle timeout (10 s) it would close
// its spare ones between bursts and open them again in the next, stalling for up to 270 ms every
// 10 s at 500 a second.
const poolSize = Number.parseInt(process.env.FLOOR_POOL_SIZE ?? '20', 10);
const pool = new pg.Pool({
  connectionString: databaseUrl,
  max: poolSize,
  min: poolSize,
  connectionTimeoutMillis: 5000,
  application_name: 'bench-floor-server',
});
// An idle client losing its connection must not crash the process; the next query reports it.
pool.on('error', (error) => process.stderr.write(`floor-server: idle client error: ${error.message}\n`));

await pool.query(`
  CREATE TABLE IF NOT EXISTS floor_transactions (
    id          text PRIMARY KEY,
    amount      numeric NOT NULL,
    currency    text NOT NULL,
    payload     jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
  )`);

// A named (prepared) statement, as the service uses on its hot path: parsed and planned once per connection.
const INSERT = {
  name: 'floor_insert',
  text: 'INSERT INTO floor_transactions (id, amount, currency, payload) VALUES ($1, $2, $3, $4)',
};

const app = Fastify({ logger: false, bodyLimit: 100 * 1024 });

// Readiness probe for the bench, answered once the table exists and the port is bound.
app.get('/health/ready', async () => ({ status: 'ok' }));

app.post('/transaction/validate', async (request, reply) => {
  const body = request.body;
  const transactionId = body?.transactionId ?? body?.id;
  if (typeof transactionId !== 'string' || body.amount === undefined || typeof body.currency !== 'string') {
    return reply.code(400).send({ title: 'transactionId, amount and currency are required' });
  }
  await pool.query({ ...INSERT, values: [transactionId, String(body.amount), body.currency, JSON.stringify(body)] });
  return { transactionId, status: 'APPROVED', reasons: [] };
});

// Graceful stop on SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the pool.
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try {
    await app.close();
    await pool.end();
  } finally {
    process.exit(0);
  }
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`floor-server ready on http://127.0.0.1:${port}\n`);
