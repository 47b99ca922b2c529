import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';
import { SignInForm } from '@/components/auth/sign-in-form';
import { safeReturnPath, signInErrorKey } from '@/lib/sign-in';
import { demoAccounts, getActor } from '@/server/auth';
import { config } from '@/server/config';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('signIn.title') };
}

interface SignInPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** Staff sign-in: password, single sign-on when configured, and the demo accounts in demo mode. */
export default async function SignInPage({ searchParams }: SignInPageProps) {
  const params = await searchParams;
  const next = safeReturnPath(typeof params.next === 'string' ? params.next : undefined);
  if (await getActor(await headers())) redirect(next);

  const t = await getTranslations();
  const error = typeof params.error === 'string' ? t(signInErrorKey(params.error)) : undefined;
  const oidc = config.auth.oidc;
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4 py-12 dark:bg-zinc-950">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <svg
            aria-hidden="true"
            viewBox="0 0 20 20"
            className="size-7 text-indigo-600 dark:text-indigo-400"
            fill="currentColor"
          >
            <path d="M12.5 2a5.5 5.5 0 00-5.3 7L2.3 13.9a1 1 0 00-.3.7V17a1 1 0 001 1h2.5a1 1 0 001-1v-1h1a1 1 0 001-1v-1h1a1 1 0 00.7-.3l.9-.9A5.5 5.5 0 1012.5 2zm1.5 5a1.5 1.5 0 110-3 1.5 1.5 0 010 3z" />
          </svg>
          <h1 className="text-xl font-semibold tracking-tight">{t('signIn.heading')}</h1>
        </div>
        <RouteMessages namespaces={['signIn']}>
          <SignInForm
            next={next}
            initialError={error}
            sso={oidc ? { label: t('signIn.withSso', { provider: oidc.displayName }) } : undefined}
            demoAccounts={
              config.demo
                ? demoAccounts().map(({ email, password, role, clients }) => ({
                    email,
                    password,
                    role,
                    ...(clients ? { clients: clients.map((client) => client.name) } : {}),
                  }))
                : []
            }
          />
        </RouteMessages>
        {config.demo && (
          <p className="mt-4 text-center text-xs text-amber-800 dark:text-amber-300">{t('shell.demoBanner')}</p>
        )}
      </div>
    </main>
  );
}
