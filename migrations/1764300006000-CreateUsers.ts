import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People: accounts with an argon2id password and mandatory TOTP, their recovery codes, the
 * short-lived login challenges between password and second factor, and bearer sessions.
 * Every secret is stored as a hash (SHA-256 for random tokens, argon2id for passwords) except
 * the TOTP secret, which the server must read back and so keeps sealed with AES-256-GCM.
 */
export class CreateUsers1764300006000 implements MigrationInterface {
  name = 'CreateUsers1764300006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email           varchar(254) NOT NULL,
        display_name    varchar(100) NOT NULL,
        role            varchar(20)  NOT NULL CHECK (role IN ('admin', 'biomed', 'it', 'manufacturer')),
        manufacturer_id uuid REFERENCES manufacturers (id) ON DELETE RESTRICT,
        password_hash   text         NOT NULL,
        totp_secret     text,
        mfa_enrolled    boolean      NOT NULL DEFAULT false,
        totp_last_step  bigint,
        failed_attempts integer      NOT NULL DEFAULT 0,
        locked_until    timestamptz,
        created_at      timestamptz  NOT NULL DEFAULT now(),
        created_by      varchar(100),
        disabled_at     timestamptz,
        last_login_at   timestamptz,
        CONSTRAINT users_manufacturer_role CHECK ((role = 'manufacturer') = (manufacturer_id IS NOT NULL)),
        CONSTRAINT users_enrolled_has_secret CHECK (NOT mfa_enrolled OR totp_secret IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_ci ON users (lower(email))`);

    await q.query(`
      CREATE TABLE user_recovery_codes (
        id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id   uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash char(64)    NOT NULL,
        used_at   timestamptz,
        UNIQUE (user_id, code_hash)
      )`);

    await q.query(`
      CREATE TABLE auth_challenges (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64)    NOT NULL UNIQUE,
        user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose    varchar(10) NOT NULL CHECK (purpose IN ('enroll', 'totp')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at    timestamptz
      )`);
    await q.query(`CREATE INDEX auth_challenges_user ON auth_challenges (user_id)`);

    await q.query(`
      CREATE TABLE user_sessions (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64)    NOT NULL UNIQUE,
        user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX user_sessions_user_live ON user_sessions (user_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_sessions`);
    await q.query(`DROP TABLE auth_challenges`);
    await q.query(`DROP TABLE user_recovery_codes`);
    await q.query(`DROP TABLE users`);
  }
}
