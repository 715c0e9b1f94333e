/**
 * The event types a webhook may ask for (docs/events.md, docs/webhooks.md): each type, `*` for
 * every type, and `prefix.*` patterns such as `session.*` or `admin.user.*`.
 */

/** The types of session and login events, and the test event. Admin actions are `admin.<entity>.<verb>`. */
export const WEBHOOK_EVENT_TYPES = [
  'session.created',
  'login.failed',
  'session.refresh_refused',
  'session.refresh_reused',
  'session.ended',
  'session.tenant_switched',
  'session.client_joined',
  'oauth.code_reused',
  'webhook.test',
] as const;

export const MAX_WEBHOOK_EVENT_TYPES = 50;

const ADMIN_TYPE = /^admin\.[a-z][a-z_]{0,39}\.[a-z][a-z_]{0,39}$/;
const ADMIN_ENTITY_PATTERN = /^admin\.[a-z][a-z_]{0,39}\.\*$/;
const KNOWN_PREFIX_PATTERNS = new Set([
  'admin.*',
  ...WEBHOOK_EVENT_TYPES.map((type) => `${type.split('.')[0]}.*`),
]);

export function isWebhookEventType(value: string): boolean {
  return (
    value === '*' ||
    (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value) ||
    ADMIN_TYPE.test(value) ||
    KNOWN_PREFIX_PATTERNS.has(value) ||
    ADMIN_ENTITY_PATTERN.test(value)
  );
}

/** Problems of an endpoint's `eventTypes`, naming the entry at fault, never echoing it. */
export function eventTypeProblems(eventTypes: readonly string[]): string[] {
  const problems: string[] = [];
  if (eventTypes.length === 0) problems.push('eventTypes must name at least one event type, or "*" for all.');
  if (eventTypes.length > MAX_WEBHOOK_EVENT_TYPES) {
    problems.push(`eventTypes must have at most ${MAX_WEBHOOK_EVENT_TYPES} entries.`);
  }
  eventTypes.forEach((type, index) => {
    if (!isWebhookEventType(type)) {
      problems.push(
        `eventTypes[${index}] is not a known event type (see docs/webhooks.md): use a type, "*" or a prefix pattern such as "session.*".`,
      );
    } else if (eventTypes.indexOf(type) !== index) {
      problems.push(`eventTypes[${index}] repeats an earlier entry.`);
    }
  });
  return problems;
}
