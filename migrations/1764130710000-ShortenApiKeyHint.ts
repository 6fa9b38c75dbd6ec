import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * key_prefix kept the first 8 characters of every key in clear; keep only a 4-character hint (the 4
 * characters after the constant vqg_ prefix of generated keys, else the first 4), as keyHint() does.
 */
export class ShortenApiKeyHint1764130710000 implements MigrationInterface {
  name = 'ShortenApiKeyHint1764130710000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE api_client
      SET key_prefix = CASE WHEN key_prefix LIKE 'vqg\\_%' THEN substr(key_prefix, 5, 4) ELSE left(key_prefix, 4) END
      WHERE char_length(key_prefix) > 4`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the characters dropped are gone on purpose, and 4 fit the column as before.
  }
}
