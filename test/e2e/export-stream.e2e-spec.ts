import { get, IncomingMessage } from 'node:http';
import pg from 'pg';
import { ExportsController } from '../../src/modules/reports/exports.controller.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';
import { spawnService, SpawnedService, waitForHttp } from '../support/spawn-service.js';
import { freePort, TEST_OPERATOR_KEY, testEnv } from '../support/test-app.js';

const ROWS = 200_000;
// The heap the service runs with in production (npm start); 200 000 rows held at once (as pg row objects,
// ~200 MB) would not fit: a service that buffered the export instead of streaming it would die here.
const HEAP_MB = 128;

// PGlite is one shared session in this process: a 200 000-row cursor read by a second process is a
// PostgreSQL measurement.
const describeOnPostgres = process.env.VQG_TEST_DATABASE_EMBEDDED === '1' ? describe.skip : describe;

describeOnPostgres(`${ExportsController.name} streaming`, () => {
  let db: PrivateDatabase;
  let service: SpawnedService;
  let sql: pg.Client;
  let url: string;

  beforeAll(async () => {
    db = await createPrivateDatabase();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env = Object.fromEntries(
      Object.entries(testEnv({ DATABASE_URL: db.url, PORT: String(port), PUBLIC_BASE_URL: url })).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    service = spawnService(env, [`--max-old-space-size=${HEAP_MB}`]);
    await waitForHttp(`${url}/health/ready`, 30_000);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    await sql.query(
      `INSERT INTO bank_transaction (reference, trans_type, bank_account, amount, content, raw_body, status,
                                     transaction_time, received_at, reference_key, account_key)
       SELECT 'FTBULK' || g, 'C', '0123456789', 10000 + g, 'Thanh toán đơn hàng số ' || g || ', cảm ơn', '{}',
              'unmatched', timestamptz '2030-01-01 00:00+07' + g * interval '1 second',
              timestamptz '2030-01-01 00:00+07' + g * interval '1 second', 'FTBULK' || g, '0123456789'
         FROM generate_series(1, $1::int) g`,
      [ROWS],
    );
  }, 120_000);
  afterAll(async () => {
    await sql?.end();
    service?.child.kill('SIGTERM');
    await service?.exited;
    await db?.drop();
  });

  it(`streams ${ROWS} rows under a ${HEAP_MB} MB heap, the first bytes while the cursor is still being read`, async () => {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      get(
        `${url}/api/v1/transactions/export?format=csv`,
        { headers: { 'x-api-key': TEST_OPERATOR_KEY } },
        resolve,
      ).on('error', reject);
    });
    expect(res.statusCode).toBe(200);
    const first: Buffer = await new Promise((resolve) => res.once('data', resolve));
    res.pause();
    expect(first.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    // The reader has its first bytes; the export's transaction is still open, its cursor part-way.
    // Its session is either waiting for the reader or fetching the next batch (under load), but in a transaction.
    await new Promise((r) => setTimeout(r, 300));
    const { rows: reading } = await sql.query(
      `SELECT xact_start IS NOT NULL AS open, state IN ('idle in transaction', 'active') AS reading
         FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'FETCH%'`,
    );
    expect(reading).toEqual([{ open: true, reading: true }]);

    let lines = 0;
    let last = '';
    const count = (chunk: Buffer) => {
      const text = last + chunk.toString('utf8');
      const parts = text.split('\r\n');
      last = parts.pop()!;
      lines += parts.length;
    };
    count(first);
    res.on('data', count);
    res.resume();
    await new Promise((resolve, reject) => res.on('end', resolve).on('error', reject));
    expect(last).toBe('');
    expect(lines).toBe(ROWS + 1);
    expect(service.child.exitCode).toBeNull();
    const { rows: after } = await sql.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'FETCH%'
          AND state LIKE 'idle in transaction%'`,
    );
    expect(after).toEqual([{ n: 0 }]);
  }, 120_000);
});
