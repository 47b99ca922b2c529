import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { can, type Permission } from '@/lib/roles';
import { safeReturnPath } from '@/lib/sign-in';
import { getActor } from '@/server/auth';
import { config } from '@/server/config';
import { ActorProvider } from '@/components/shell/actor-context';
import { Header } from '@/components/shell/header';
import { ServiceScope } from '@/components/data/service';
import { listServices } from '@/server/services';

const permissions: readonly Permission[] = [
  'tokens:read',
  'tokens:revoke',
  'tokens:write',
  'batches:read',
  'batches:write',
  'audit:read',
];

/** Every signed-in page: the session is checked here, on the server, before anything renders. */
export default async function DeskLayout({ children }: { children: React.ReactNode }) {
  const requestHeaders = await headers();
  const actor = await getActor(requestHeaders);
  if (!actor) {
    const next = safeReturnPath(requestHeaders.get('x-pathname') ?? undefined);
    redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  }
  const t = await getTranslations();
  return (
    <ActorProvider permissions={permissions.filter((permission) => can(actor.role, permission))}>
      <ServiceScope services={listServices()}>
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
      </ServiceScope>
    </ActorProvider>
  );
}
