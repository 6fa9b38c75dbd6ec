import { connect } from 'node:net';
import request from 'supertest';
import { createPayment } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';

interface RawAnswer {
  /** Everything the server sent before the connection ended or we gave up. */
  text: string;
  /** A transport error (reset, broken pipe) seen before any answer arrived. */
  error: string | null;
}

/**
 * A naive client: writes the head, then the body in pieces, and reads only once all of it is written, like a
 * blocking client would. A server that answers early and then closes with body bytes still unread resets the
 * connection, and the reset throws away the answer waiting unread in the client's socket.
 */
function rawPost(port: number, path: string, body: Buffer, headers: Record<string, string>, waitMs = 10_000) {
  return new Promise<RawAnswer>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.pause();
    let text = '';
    let error: string | null = null;
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, error });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const [head, rest] = text.split('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(head ?? '')?.[1];
      if (rest !== undefined && length && Buffer.byteLength(rest, 'latin1') >= Number(length)) done();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (!text) error = e.code ?? e.message;
      done();
    });
    socket.on('close', done);
    const head = Object.entries({ host: '127.0.0.1', 'content-length': String(body.length), ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    const pieces: Buffer[] = [Buffer.from(`POST ${path} HTTP/1.1\r\n${head}\r\n\r\n`)];
    for (let at = 0; at < body.length; at += 16 * 1024) pieces.push(body.subarray(at, at + 16 * 1024));
    const writeNext = (i: number) => {
      if (i === pieces.length) {
        // All written: now read, a moment later (as a client busy writing would).
        setTimeout(() => socket.resume(), 50);
        return;
      }
      socket.write(pieces[i], (err) => {
        if (err) return socket.resume();
        setTimeout(() => writeNext(i + 1), 2);
      });
    };
    writeNext(0);
  });
}

function statusOf(answer: RawAnswer): number | null {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(answer.text);
  return match ? Number(match[1]) : null;
}

function jsonOf(answer: RawAnswer): Record<string, unknown> {
  return JSON.parse(answer.text.split('\r\n\r\n')[1]) as Record<string, unknown>;
}

describe('Request bodies at the edge', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({ REQUEST_TIMEOUT_MS: '1500' });
    port = Number(new URL(t.url).port);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a form post 415 UNSUPPORTED_MEDIA_TYPE naming the expected type, once', async () => {
    const res = await request(t.url)
      .post('/api/v1/payments')
      .set('x-api-key', TEST_API_KEY)
      .set('x-request-id', 'rid-form')
      .type('form')
      .send('orderId=o-1&amount=20000')
      .expect(415);
    expect(res.body).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Content-Type must be application/json, got application/x-www-form-urlencoded',
      requestId: 'rid-form',
      details: { expected: 'application/json', received: 'application/x-www-form-urlencoded' },
    });
  });

  it('takes an empty form post (a page form with only a button) as an empty body', async () => {
    const payment = await createPayment(t, { amount: 10_000 });
    const res = await request(t.url)
      .post(`/api/v1/payments/${payment.id}/cancel`)
      .set('x-api-key', TEST_API_KEY)
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('')
      .expect(200);
    expect(res.body.status).toBe('CANCELLED');
  });

  it('names the type it got for any other non-JSON body', async () => {
    const res = await request(t.url)
      .post('/api/v1/payments')
      .set('x-api-key', TEST_API_KEY)
      .set('content-type', 'text/plain')
      .send('amount=1')
      .expect(415);
    expect(res.body).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Content-Type must be application/json, got text/plain',
      details: { expected: 'application/json', received: 'text/plain' },
    });
  });

  it('answers the VietQR callback a form post in its own envelope (001)', async () => {
    const res = await request(t.url).post('/vqr/bank/api/transaction-sync').type('form').send('amount=1');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).toMatchObject({ error: true });
  });

  it('gets the 413 to every one of 30 concurrent 200 KB bodies', async () => {
    const body = Buffer.alloc(200 * 1024, 'a');
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        rawPost(port, '/api/v1/payments', body, {
          'content-type': 'application/json',
          'x-api-key': TEST_API_KEY,
        }),
      ),
    );
    expect(answers.map((a) => a.error)).toEqual(Array(30).fill(null));
    expect(answers.map(statusOf)).toEqual(Array(30).fill(413));
    expect(jsonOf(answers[0])).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('cuts a body that stops arriving with 408 REQUEST_TIMEOUT and closes the connection', async () => {
    const answer = await new Promise<{ text: string; closed: boolean }>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ text, closed: false });
      }, 10_000);
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ text, closed: true });
      });
      socket.write(
        'POST /api/v1/payments HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"orderId":',
      );
    });
    expect(answer.closed).toBe(true);
    expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.text.split('\r\n\r\n')[1])).toMatchObject({ code: 'REQUEST_TIMEOUT' });
  });
});
