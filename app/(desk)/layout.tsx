import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { can, type Permission } from '@/lib/roles';
import { safeReturnPath } from '@/lib/sign-in';
import { getActor } from '@/server/auth';
import { preferencesOfRequest } from '@/server/auth/preferences';
import { config } from '@/server/config';
import { ActorProvider } from '@/components/shell/actor-context';
import { Header } from '@/components/shell/header';
import { SavedTimeZoneProvider } from '@/components/ui/time';
import { ServiceScope } from '@/components/data/service';
import { listServices, refreshServices } from '@/server/services';
import { mustEnrol } from '@/server/auth/step-up';
import { ChallengeHost } from '@/components/data/challenges';

const permissions: readonly Permission[] = [
  'tokens:read',
  'tokens:revoke',
  'subjects:offboard',
  'tokens:write',
  'batches:read',
  'batches:write',
  'audit:read',
  'incidents:revoke',
  'approvals:request',
  'approvals:decide',
  'services:manage',
  'staff:manage',
  'webhooks:manage',
];

/** Every signed-in page: the session is checked here, on the server, before anything renders. */
export default async function DeskLayout({ children }: { children: React.ReactNode }) {
  const requestHeaders = await headers();
  const actor = await getActor(requestHeaders);
  if (!actor) {
    const next = safeReturnPath(requestHeaders.get('x-pathname') ?? undefined);
    redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  }
  // A role that needs a second factor does nothing else until one is set up (the API refuses too).
  const pathname = requestHeaders.get('x-pathname') ?? '';
  if (mustEnrol(actor, config.security.mfaRequiredRoles) && !pathname.startsWith('/account/security')) {
    redirect('/account/security');
  }
  await refreshServices();
  const t = await getTranslations();
  const preferences = await preferencesOfRequest();
  return (
    <ActorProvider permissions={permissions.filter((permission) => can(actor.role, permission))}>
      <ServiceScope services={listServices()}>
        <SavedTimeZoneProvider timeZone={preferences?.timeZone ?? null}>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-zinc-900"
          >
            {t('shell.skipToContent')}
          </a>
          <Header actor={actor} demo={config.demo} />
          <main id="main" className="mx-auto max-w-screen-2xl px-4 py-5">
            {children}
          </main>
          <ChallengeHost />
        </SavedTimeZoneProvider>
      </ServiceScope>
    </ActorProvider>
  );
}
