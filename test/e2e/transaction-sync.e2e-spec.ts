import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransactionSyncController } from '../../src/modules/vietqr-partner/transaction-sync.controller.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';

const SYNC = '/vqr/bank/api/transaction-sync';

describe(TransactionSyncController.name, () => {
  let t: TestApp;
  let db: DataSource;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    token = await partnerToken(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  const deliver = (body: unknown, bearer = token) =>
    request(t.url)
      .post(SYNC)
      .set('Authorization', `Bearer ${bearer}`)
      .send(body as object);

  const ledgerRows = (reference: string) =>
    db.query(
      `SELECT id, reference, trans_type, bank_account, amount, content, transaction_id, reference_number,
              order_id, sign, terminal_code, transaction_time, raw_body, received_at, status, unmatched_reason,
              payment_id, conflict_of
         FROM bank_transaction WHERE reference = $1 ORDER BY seq`,
      [reference],
    );

  describe('recording a delivery', () => {
    it('records a VietQR delivery and answers the success envelope with our reftransactionid', async () => {
      const body = vietqrDelivery({ orderId: 'DH12345', sign: 'merchant-sign' });
      const res = await deliver(body).expect(200);
      expect(res.body).toEqual({
        error: false,
        errorReason: '000',
        toastMessage: 'Transaction recorded',
        object: { reftransactionid: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      });
      const rows = await ledgerRows(body.referencenumber as string);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id: res.body.object.reftransactionid,
        trans_type: 'C',
        bank_account: '0123456789',
        amount: '150000',
        content: body.content,
        transaction_id: body.transactionid,
        order_id: 'DH12345',
        sign: 'merchant-sign',
        terminal_code: null,
        transaction_time: new Date('2026-01-08T03:56:00Z'),
      });
      expect(rows[0].received_at).toBeInstanceOf(Date);
    });

    it('stores the raw body exactly as received, unknown keys and number spelling included', async () => {
      const reference = `FT${Date.now()}RAW`;
      const raw = `{"referencenumber":"${reference}","amount":25000.0,"content":"raw body","bankaccount":"0123456789","transType":"C","newVietqrField":{"x":[1,2]}}`;
      await request(t.url)
        .post(SYNC)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(raw)
        .expect(200);
      const [row] = await ledgerRows(reference);
      expect(row.raw_body).toBe(raw);
      expect(row.amount).toBe('25000');
    });

    it('accepts the camelCase keys of the English docs, a string amount and epoch seconds', async () => {
      const reference = `FT${Date.now()}CAMEL`;
      await deliver({
        transactionId: 'tx-camel',
        transactionTime: 1767844560,
        referenceNumber: reference,
        bankAccount: '0123456789',
        amount: '42000',
        content: 'camel case',
        transType: 'C',
        orderId: null,
      }).expect(200);
      const [row] = await ledgerRows(reference);
      expect(row).toMatchObject({
        transaction_id: 'tx-camel',
        amount: '42000',
        transaction_time: new Date('2026-01-08T03:56:00Z'),
        order_id: null,
      });
    });

    it('uses transactionid as the bank reference when referencenumber is empty', async () => {
      const body = vietqrDelivery({ referencenumber: '' });
      const first = await deliver(body).expect(200);
      const again = await deliver(body).expect(200);
      expect(again.body.object.reftransactionid).toBe(first.body.object.reftransactionid);
      expect(await ledgerRows(body.transactionid as string)).toHaveLength(1);
    });
  });

  describe('idempotency', () => {
    it('answers a repeated delivery with the same reftransactionid and writes nothing new', async () => {
      const body = vietqrDelivery();
      const first = await deliver(body).expect(200);
      const second = await deliver({ ...body, transactionid: 'another-try-id' }).expect(200);
      expect(second.body).toEqual({
        error: false,
        errorReason: '000',
        toastMessage: 'Transaction already recorded',
        object: { reftransactionid: first.body.object.reftransactionid },
      });
      expect(await ledgerRows(body.referencenumber as string)).toHaveLength(1);
      const events = await db.query(`SELECT id FROM outbox_event WHERE subject_id = $1`, [
        first.body.object.reftransactionid,
      ]);
      expect(events).toHaveLength(1);
    });

    it('records 50 concurrent copies of one delivery, through two instances, exactly once', async () => {
      const second = await startTestApp();
      try {
        const otherToken = await partnerToken(second.url);
        const body = vietqrDelivery();
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            request(i % 2 === 0 ? t.url : second.url)
              .post(SYNC)
              .set('Authorization', `Bearer ${i % 2 === 0 ? token : otherToken}`)
              .send(body),
          ),
        );
        expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
        const ids = new Set(answers.map((a) => a.body.object.reftransactionid));
        expect(ids.size).toBe(1);
        const rows = await ledgerRows(body.referencenumber as string);
        expect(rows).toHaveLength(1);
        expect(rows[0].id).toBe([...ids][0]);
      } finally {
        await second.close();
      }
    });

    it('keeps a repeated reference with another amount or content as a conflict, answering the original id', async () => {
      const body = vietqrDelivery();
      const original = await deliver(body).expect(200);
      const id = original.body.object.reftransactionid;
      const changed = await deliver({ ...body, amount: 999000 }).expect(200);
      expect(changed.body.error).toBe(false);
      expect(changed.body.object.reftransactionid).toBe(id);
      await deliver({ ...body, amount: 999000 }).expect(200);
      await deliver({ ...body, content: 'other content' }).expect(200);
      const rows = await ledgerRows(body.referencenumber as string);
      expect(
        rows.map((r: { status: string; amount: string; conflict_of: string | null }) => [
          r.status,
          r.amount,
          r.conflict_of,
        ]),
      ).toEqual([
        ['unmatched', '150000', null],
        ['conflict', '999000', id],
        ['conflict', '150000', id],
      ]);
    });

    it('treats the same reference on another account or of the other type as another transaction', async () => {
      const body = vietqrDelivery();
      const credit = await deliver(body).expect(200);
      const debit = await deliver({ ...body, transType: 'D' }).expect(200);
      const foreign = await deliver({ ...body, bankaccount: '9999999999' }).expect(200);
      const ids = new Set([credit, debit, foreign].map((r) => r.body.object.reftransactionid));
      expect(ids.size).toBe(3);
    });
  });

  describe('money that arrived', () => {
    it('records a credit for an unknown order as unmatched and tells order systems through the outbox', async () => {
      const body = vietqrDelivery({ orderId: 'NOSUCHORDER', content: 'chuyen khoan tien hang' });
      const res = await deliver(body).expect(200);
      const id = res.body.object.reftransactionid;
      const [row] = await ledgerRows(body.referencenumber as string);
      expect(row).toMatchObject({ status: 'unmatched', unmatched_reason: 'no_match', payment_id: null });
      const [event] = await db.query(
        `SELECT type, client_id, payload FROM outbox_event WHERE subject_id = $1`,
        [id],
      );
      expect(event).toMatchObject({ type: 'transaction.unmatched', client_id: null });
      expect(event.payload.data).toMatchObject({ id, amount: 150000, reference: body.referencenumber });
    });

    it('records a debit and a credit to another account with success', async () => {
      const debit = vietqrDelivery({ transType: 'D' });
      const debitRes = await deliver(debit).expect(200);
      expect(debitRes.body.error).toBe(false);
      const [debitRow] = await ledgerRows(debit.referencenumber as string);
      expect(debitRow.status).toBe('ignored_debit');
      expect(await db.query(`SELECT id FROM outbox_event WHERE subject_id = $1`, [debitRow.id])).toEqual([]);

      const foreign = vietqrDelivery({ bankaccount: '5555666677' });
      await deliver(foreign).expect(200);
      const [foreignRow] = await ledgerRows(foreign.referencenumber as string);
      expect(foreignRow.bank_account).toBe('5555666677');
    });
  });

  describe('refusals', () => {
    const envelope = (errorReason: string) => ({
      error: true,
      errorReason,
      toastMessage: expect.any(String),
      object: { reftransactionid: '' },
    });
    const without = (key: string) => {
      const body = vietqrDelivery();
      delete body[key];
      return body;
    };

    it.each([
      ['missing bankaccount', () => without('bankaccount'), '010'],
      ['missing amount', () => without('amount'), '002'],
      ['missing content', () => without('content'), '009'],
      ['missing transType', () => without('transType'), '003'],
      ['no reference', () => vietqrDelivery({ referencenumber: '', transactionid: null }), '008'],
      ['amount zero', () => vietqrDelivery({ amount: 0 }), '002'],
      ['amount negative', () => vietqrDelivery({ amount: -1000 }), '002'],
      ['amount fractional', () => vietqrDelivery({ amount: 1000.5 }), '002'],
      ['amount non-numeric', () => vietqrDelivery({ amount: 'a lot' }), '002'],
      ['amount above 10^13', () => vietqrDelivery({ amount: 10_000_000_000_001 }), '002'],
      ['transType X', () => vietqrDelivery({ transType: 'X' }), '003'],
      ['content over 1000 characters', () => vietqrDelivery({ content: 'x'.repeat(1001) }), '009'],
      [
        'referencenumber over 100 characters',
        () => vietqrDelivery({ referencenumber: 'F'.repeat(101) }),
        '008',
      ],
      ['a JSON array', () => [vietqrDelivery()], '001'],
    ])('answers 400 in the envelope for %s and records nothing', async (_label, make, reason) => {
      const body = make();
      const res = await deliver(body).expect(400);
      expect(res.body).toEqual(envelope(reason));
      const reference = (Array.isArray(body) ? body[0] : body).referencenumber as string;
      if (reference) expect(await ledgerRows(reference)).toEqual([]);
    });

    it('answers 400 in the envelope for a body that is not JSON, of another type, or too large', async () => {
      const notJson = await request(t.url)
        .post(SYNC)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send('{"amount": ')
        .expect(400);
      expect(notJson.body).toEqual(envelope('001'));
      const form = await request(t.url)
        .post(SYNC)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/xml')
        .send('<a/>')
        .expect(400);
      expect(form.body).toEqual(envelope('001'));
      const text = await request(t.url)
        .post(SYNC)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'text/plain')
        .send('hello')
        .expect(400);
      expect(text.body).toEqual(envelope('001'));
      const huge = await deliver(vietqrDelivery({ padding: 'x'.repeat(70_000) })).expect(400);
      expect(huge.body).toEqual(envelope('001'));
    });

    it('answers 401 in the envelope for missing, malformed, expired and foreign-signed Bearer tokens', async () => {
      const { JwtService } = await import('@nestjs/jwt');
      const secret = t.config.partner.tokenSecret;
      const claims = { aud: 'vietqr-transaction-sync', iss: 'vietqr-gateway' };
      const expired = new JwtService({ secret }).sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 });
      const foreign = new JwtService({ secret: 'someone-elses-secret-0123456789abcdef' }).sign(claims, {
        expiresIn: 300,
      });
      const otherAudience = new JwtService({ secret }).sign(
        { aud: 'something-else', iss: 'vietqr-gateway' },
        { expiresIn: 300 },
      );
      const body = vietqrDelivery();
      const attempts = [
        request(t.url).post(SYNC).send(body),
        request(t.url).post(SYNC).set('Authorization', 'Bearer').send(body),
        request(t.url).post(SYNC).set('Authorization', 'Basic dmlldHFyOnB3').send(body),
        request(t.url).post(SYNC).set('Authorization', 'Bearer not-a-jwt').send(body),
        deliver(body, expired),
        deliver(body, foreign),
        deliver(body, otherAudience),
        deliver(body, 'test-orders-key-0123456789abcdef'),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual(envelope('020'));
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      expect(await ledgerRows(body.referencenumber as string)).toEqual([]);
    });

    it('answers unknown routes under the prefix in the envelope too', async () => {
      const res = await request(t.url).post('/vqr/bank/api/nothing-here').send({}).expect(404);
      expect(res.body).toEqual(envelope('040'));
    });

    it('collapses the double slash VietQR builds when no suffix is declared', async () => {
      const body = vietqrDelivery();
      await request(t.url)
        .post('//vqr//bank/api/transaction-sync')
        .set('Authorization', `Bearer ${token}`)
        .send(body)
        .expect(200);
    });
  });

  describe('documentation', () => {
    it('documents both partner endpoints with request and response bodies and examples', async () => {
      const { body: doc } = await request(t.url).get('/docs-json').expect(200);
      const token = doc.paths['/vqr/api/token_generate'].post;
      expect(token.responses['200'].content['application/json'].schema.$ref).toMatch(/PartnerTokenDto$/);
      expect(token.responses['401']).toBeDefined();
      const sync = doc.paths['/vqr/bank/api/transaction-sync'].post;
      expect(sync.requestBody.content['application/json'].schema.$ref).toMatch(/TransactionSyncRequestDto$/);
      expect(
        sync.requestBody.content['application/json'].examples.vietqr.value.referencenumber,
      ).toBeDefined();
      for (const status of ['200', '400', '401', '503']) {
        expect(sync.responses[status].content['application/json'].examples).toBeDefined();
      }
      expect(doc.paths['/api/v1/transactions'].get).toBeDefined();
      expect(doc.paths['/api/v1/transactions/{id}/link'].post).toBeDefined();
    });
  });
});
