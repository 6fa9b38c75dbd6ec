import { MigrationInterface, QueryRunner } from 'typeorm';

// The x-request-id of the request that caused the event, sent again on every webhook delivery of it.
export class AddOutboxEventRequestId1764130800000 implements MigrationInterface {
  name = 'AddOutboxEventRequestId1764130800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_event ADD COLUMN request_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_event DROP COLUMN request_id`);
  }
}
