import type { MessageKeys, Messages, NestedKeyOf } from 'next-intl';

/** Any full message key of the catalogues ("tokens.list.title"), checked against messages/en.json. */
export type MessageKey = MessageKeys<Messages, NestedKeyOf<Messages>>;
