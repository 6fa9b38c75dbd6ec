import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { version } from 'uuid';
import { DataSource } from 'typeorm';
import { newRowId } from '../../src/database/row-id.js';
import { PartnerDeliveriesService } from '../../src/modules/vietqr-partner/partner-deliveries.service.js';
import { VietQrPartnerModule } from '../../src/modules/vietqr-partner/vietqr-partner.module.js';
import { createMediumModule } from '../support/test-app.js';
import { vietqrDelivery } from '../support/vietqr-partner.js';

// Row ids are UUIDv7 (src/database/row-id.ts, migration TimeOrderedIds): their first 48 bits are the time
// the row was made, so a large table's new rows land on the right-hand leaves of its indexes.
const millisOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

function expectTimeOrdered(id: string, from: number, to: number): void {
  expect(version(id)).toBe(7);
  expect(id[19]).toMatch(/[89ab]/);
  expect(millisOf(id)).toBeGreaterThanOrEqual(from);
  expect(millisOf(id)).toBeLessThanOrEqual(to);
}

describe('row ids', () => {
  let moduleRef: TestingModule;
  let db: DataSource;

  beforeAll(async () => {
    moduleRef = await createMediumModule([VietQrPartnerModule]);
    db = moduleRef.get(DataSource);
  });
  afterAll(() => moduleRef.close());

  it('makes every uuid primary key default to a time-ordered id', async () => {
    const columns: Array<{ table_name: string; column_default: string }> = await db.query(
      `SELECT c.table_name, c.column_default FROM information_schema.columns c
         JOIN information_schema.key_column_usage k USING (table_schema, table_name, column_name)
         JOIN information_schema.table_constraints t USING (table_schema, table_name, constraint_name)
        WHERE c.table_schema = current_schema() AND c.data_type = 'uuid' AND t.constraint_type = 'PRIMARY KEY'
          AND c.column_name = 'id'`,
    );
    expect(columns.length).toBeGreaterThanOrEqual(9);
    for (const column of columns) expect(column).toEqual({ ...column, column_default: 'uuid_v7()' });
  });

  it('has the database and the service make ids of the time they are made, in order', async () => {
    const from = Date.now() - 1000;
    const rows: Array<{ id: string }> = await db.query(`SELECT uuid_v7() AS id FROM generate_series(1, 50)`);
    const own = Array.from({ length: 50 }, () => newRowId());
    const to = Date.now() + 1000;
    for (const id of [...rows.map((r) => r.id), ...own]) expectTimeOrdered(id, from, to);
    // Ordered by the millisecond (within one, at random: the index leaf is the same).
    const millis = own.map(millisOf);
    expect([...millis].sort((x, y) => x - y)).toEqual(millis);
    expect(new Set(own).size).toBe(own.length);
  });

  it('gives a credit and its event time-ordered ids', async () => {
    const from = Date.now() - 1000;
    const answer = await moduleRef
      .get(PartnerDeliveriesService)
      .record(vietqrDelivery({ content: `chuyen tien ${randomUUID()}` }), undefined);
    const id = answer.object.reftransactionid;
    const events: Array<{ id: string }> = await db.query(
      `SELECT id FROM outbox_event WHERE subject_id = $1`,
      [id],
    );
    const to = Date.now() + 1000;
    expectTimeOrdered(id, from, to);
    expect(events).toHaveLength(1);
    expectTimeOrdered(events[0].id, from, to);
  });
});
