'use client';

import { useTranslations } from 'next-intl';
import { useSignOut } from '@/components/data/session';
import { buttonClass } from '@/components/ui/button';

/** Ends the session, then leaves with a full navigation so no signed-in data stays in memory. */
export function SignOutButton() {
  const t = useTranslations();
  const signOut = useSignOut();
  // Still pending once signed out: the page is leaving.
  const pending = signOut.isPending || signOut.isSuccess;
  return (
    <button type="button" className={buttonClass('ghost', 'sm')} disabled={pending} onClick={() => signOut.mutate()}>
      {pending ? t('shell.signingOut') : t('shell.signOut')}
    </button>
  );
}
