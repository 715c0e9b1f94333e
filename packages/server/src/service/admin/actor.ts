/**
 * Who made an admin change, for the event it records: a caller holding the admin key (the API,
 * the CLI, curl) or a console session opened with that key. Never the key itself.
 */
export type AdminActor =
  | { kind: 'admin_key' }
  | {
      kind: 'console';
      /** A short, non-secret id of the console session, to tell apart two operators' changes. */
      consoleSessionId: string;
    };

export const ADMIN_KEY_ACTOR: AdminActor = { kind: 'admin_key' };
