/**
 * The environment that lives at the server's root: its session API is `/auth/v1/...`, every other
 * environment's is under `/e/{envId}` (DESIGN §3.3). Server, SDKs and middleware name it the same.
 */
export const DEFAULT_ENVIRONMENT_ID = 'default';
