import { MigrationInterface, QueryRunner } from 'typeorm';

// Row ids become time-ordered (UUIDv7, RFC 9562) instead of random (v4): a new row's id sorts after the
// older rows', so inserts into a large table's primary key stay on its right-hand leaves, and indexes keyed
// by a payment's id stay hot for the recent payments money arrives for (BENCHMARKS.md, growth with data).
// The service makes the ids of a credit's rows itself (src/database/row-id.ts); this is the columns' default
// for the others. PostgreSQL 15 has no uuidv7() (18 does): a v4 from gen_random_uuid() with its first 48
// bits replaced by the Unix time in milliseconds and its version nibble turned from 4 into 7 (bits 52 and
// 53 of the bytes, counted from the low bit of each byte). Existing ids stay as they are: both kinds are
// valid uuids, and nothing orders by id but as a tie-break.
const TABLES = [
  'api_client',
  'bank_transaction',
  'outbox_event',
  'payment',
  'refund',
  'refund_part',
  'webhook_attempt',
  'webhook_delivery',
  'webhook_endpoint',
];

export class TimeOrderedIds1764131600000 implements MigrationInterface {
  name = 'TimeOrderedIds1764131600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
        SELECT encode(
          set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
              PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
              FROM 1 FOR 6),
            52, 1), 53, 1),
          'hex')::uuid
      $$`);
    for (const table of TABLES)
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN id SET DEFAULT uuid_v7()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES)
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    await queryRunner.query(`DROP FUNCTION uuid_v7()`);
  }
}
