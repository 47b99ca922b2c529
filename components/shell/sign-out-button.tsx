'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { toast } from '@/components/ui/toast';
import { buttonClass } from '@/components/ui/button';
import { ErrorDescription } from '@/components/ui/states';

/** Ends the session, then leaves with a full navigation so no signed-in data stays in memory. */
export function SignOutButton() {
  const t = useTranslations();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className={buttonClass('ghost', 'sm')}
      disabled={pending}
      onClick={async () => {
        setPending(true);
        let requestId: string | undefined;
        try {
          const response = await fetch('/api/auth/sign-out', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          });
          if (!response.ok) {
            requestId = response.headers.get('x-request-id') ?? undefined;
            throw new Error(`HTTP ${response.status}`);
          }
          // A full load on purpose: it drops the query cache and every other in-memory trace of the session.
          // eslint-disable-next-line @next/next/no-location-assign-relative-destination
          window.location.assign('/sign-in');
        } catch {
          setPending(false);
          toast.error(t('shell.signOutFailed'), {
            description: <ErrorDescription error={{ message: t('shell.checkConnection'), requestId }} />,
          });
        }
      }}
    >
      {pending ? t('shell.signingOut') : t('shell.signOut')}
    </button>
  );
}
