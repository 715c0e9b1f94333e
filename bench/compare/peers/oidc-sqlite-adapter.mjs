// An oidc-provider adapter on SQLite (better-sqlite3), set up like Tessera's: WAL journal,
// synchronous=NORMAL. One table for every model, keyed by (model, id), with the lookups the
// adapter interface asks for (uid, userCode, grantId). Written for the comparison bench only.
import Database from 'better-sqlite3';

export function sqliteAdapterFactory(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS oidc_models (
      model TEXT NOT NULL,
      id TEXT NOT NULL,
      payload TEXT NOT NULL,
      grant_id TEXT,
      uid TEXT,
      user_code TEXT,
      consumed_at INTEGER,
      expires_at INTEGER,
      PRIMARY KEY (model, id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS oidc_models_grant ON oidc_models (grant_id);
    CREATE INDEX IF NOT EXISTS oidc_models_uid ON oidc_models (model, uid);
    CREATE INDEX IF NOT EXISTS oidc_models_user_code ON oidc_models (model, user_code);
  `);
  const upsert = db.prepare(`
    INSERT INTO oidc_models (model, id, payload, grant_id, uid, user_code, consumed_at, expires_at)
    VALUES (@model, @id, @payload, @grantId, @uid, @userCode, NULL, @expiresAt)
    ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
      uid = excluded.uid, user_code = excluded.user_code, consumed_at = NULL, expires_at = excluded.expires_at`);
  const findById = db.prepare(
    'SELECT payload, consumed_at, expires_at FROM oidc_models WHERE model = ? AND id = ?',
  );
  const findByUid = db.prepare(
    'SELECT payload, consumed_at, expires_at FROM oidc_models WHERE model = ? AND uid = ?',
  );
  const findByUserCode = db.prepare(
    'SELECT payload, consumed_at, expires_at FROM oidc_models WHERE model = ? AND user_code = ?',
  );
  const consume = db.prepare('UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ?');
  const destroy = db.prepare('DELETE FROM oidc_models WHERE model = ? AND id = ?');
  const revokeByGrantId = db.prepare('DELETE FROM oidc_models WHERE grant_id = ?');

  const now = () => Math.floor(Date.now() / 1000);
  const read = (row) => {
    if (!row || (row.expires_at !== null && row.expires_at <= now())) return undefined;
    const payload = JSON.parse(row.payload);
    return row.consumed_at === null ? payload : { ...payload, consumed: row.consumed_at };
  };

  class SqliteAdapter {
    constructor(model) {
      this.model = model;
    }
    async upsert(id, payload, expiresIn) {
      upsert.run({
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grantId: payload.grantId ?? null,
        uid: payload.uid ?? null,
        userCode: payload.userCode ?? null,
        expiresAt: expiresIn ? now() + expiresIn : null,
      });
    }
    async find(id) {
      return read(findById.get(this.model, id));
    }
    async findByUid(uid) {
      return read(findByUid.get(this.model, uid));
    }
    async findByUserCode(userCode) {
      return read(findByUserCode.get(this.model, userCode));
    }
    async consume(id) {
      consume.run(now(), this.model, id);
    }
    async destroy(id) {
      destroy.run(this.model, id);
    }
    async revokeByGrantId(grantId) {
      revokeByGrantId.run(grantId);
    }
  }
  return { Adapter: SqliteAdapter, close: () => db.close() };
}
