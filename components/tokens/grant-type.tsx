'use client';

import { useLocale, useTranslations } from 'next-intl';
import { grantTypeLabel } from '@/lib/format';
import type { GrantType } from '@/lib/schemas';

const grantTypeKeys = {
  AUTHORIZATION_CODE: 'tokens.grantTypes.AUTHORIZATION_CODE',
  IMPLICIT: 'tokens.grantTypes.IMPLICIT',
  PASSWORD: 'tokens.grantTypes.PASSWORD',
  CLIENT_CREDENTIALS: 'tokens.grantTypes.CLIENT_CREDENTIALS',
  REFRESH_TOKEN: 'tokens.grantTypes.REFRESH_TOKEN',
  CIBA: 'tokens.grantTypes.CIBA',
  DEVICE_CODE: 'tokens.grantTypes.DEVICE_CODE',
  TOKEN_EXCHANGE: 'tokens.grantTypes.TOKEN_EXCHANGE',
  JWT_BEARER: 'tokens.grantTypes.JWT_BEARER',
  PRE_AUTHORIZED_CODE: 'tokens.grantTypes.PRE_AUTHORIZED_CODE',
} as const satisfies Record<GrantType, string>;

/**
 * A grant type in the person's language. The wire constant stays what it is (Authlete's, in CSV files
 * and the API); one Authlete adds later reads as its constant in words.
 */
export function useGrantTypeLabel(): (grantType: string) => string {
  const t = useTranslations();
  return (grantType) =>
    Object.hasOwn(grantTypeKeys, grantType) ? t(grantTypeKeys[grantType as GrantType]) : grantTypeLabel(grantType);
}

/** A table cell: the label, and in a language other than English the wire constant beside it. */
export function GrantTypeCell({ grantType }: { grantType: string }) {
  const label = useGrantTypeLabel();
  const english = useLocale() === 'en';
  return (
    <span className="flex flex-col leading-tight">
      <span>{label(grantType)}</span>
      {!english && <span className="font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{grantType}</span>}
    </span>
  );
}
