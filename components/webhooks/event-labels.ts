import type { MessageKey } from '@/lib/i18n/keys';
import type { WebhookDeliveryType } from '@/lib/schemas/webhook';

/** Event types are wire constants (in every delivery); a label in the person's language goes beside them. */
export const eventLabels = {
  'token.created': 'webhooks.events.tokenCreated',
  'token.updated': 'webhooks.events.tokenUpdated',
  'token.deleted': 'webhooks.events.tokenDeleted',
  'token.revoked': 'webhooks.events.tokenRevoked',
  'app.authorization_removed': 'webhooks.events.appAuthorizationRemoved',
  'job.finished': 'webhooks.events.jobFinished',
  'client.locked': 'webhooks.events.clientLocked',
  'client.unlocked': 'webhooks.events.clientUnlocked',
  'webhook.test': 'webhooks.events.test',
} as const satisfies Record<WebhookDeliveryType, MessageKey>;
