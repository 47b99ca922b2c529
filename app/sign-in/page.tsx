import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { safeReturnPath, signInErrorMessage } from '@/lib/sign-in';
import { demoAccounts, getActor } from '@/server/auth';
import { config } from '@/server/config';

export const metadata: Metadata = { title: 'Sign in' };

interface SignInPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** Staff sign-in: password, single sign-on when configured, and the demo accounts in demo mode. */
export default async function SignInPage({ searchParams }: SignInPageProps) {
  const params = await searchParams;
  const next = safeReturnPath(typeof params.next === 'string' ? params.next : undefined);
  if (await getActor(await headers())) redirect(next);

  const error = typeof params.error === 'string' ? signInErrorMessage(params.error) : undefined;
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
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Token Desk</h1>
        </div>
        <SignInForm
          next={next}
          initialError={error}
          sso={oidc ? { label: `Sign in with ${oidc.displayName}` } : undefined}
          demoAccounts={
            config.demo ? demoAccounts().map(({ email, password, role }) => ({ email, password, role })) : []
          }
        />
        {config.demo && (
          <p className="mt-4 text-center text-xs text-amber-800 dark:text-amber-300">
            Demo: local Authlete emulator. Tokens here are not real.
          </p>
        )}
      </div>
    </main>
  );
}
