'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';
import {
  usePasskeySignIn,
  usePasswordSignIn,
  useSecondFactorSignIn,
  useSsoSignIn,
  type SignInError,
} from '@/components/data/sign-in';
import { buttonClass } from '@/components/ui/button';
import { RequestIdNote } from '@/components/ui/states';
import type { Role } from '@/lib/roles';

interface DemoAccountView {
  email: string;
  password: string;
  role: Role;
  /** Names of the clients a client-scoped demo account may work with. */
  clients?: string[];
}

interface SignInFormProps {
  /** Path to open after signing in (already checked to be on this site). */
  next: string;
  initialError?: string;
  sso?: { label: string };
  demoAccounts: DemoAccountView[];
}

const roleKeys = {
  viewer: 'shell.role.viewer',
  support: 'shell.role.support',
  lead: 'shell.role.lead',
  admin: 'shell.role.admin',
} as const;

const inputClass =
  'h-9 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-xs outline-none focus-visible:border-indigo-500 focus-visible:ring-2 focus-visible:ring-indigo-500/40 aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900';

/** Email and password sign-in, plus single sign-on and demo shortcuts when available. */
export function SignInForm({ next, initialError, sso, demoAccounts }: SignInFormProps) {
  const t = useTranslations();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(initialError);
  // The failed answer's x-request-id, shown under the message so support can find the server's log line.
  const [errorRequestId, setErrorRequestId] = useState<string | undefined>();
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const passwordSignIn = usePasswordSignIn(next);
  const secondFactorSignIn = useSecondFactorSignIn(next);
  const ssoSignIn = useSsoSignIn(next);
  const passkeySignIn = usePasskeySignIn(next);
  const askingCode = passwordSignIn.data === 'second_factor';
  // Still pending once signed in: the page is leaving.
  const pending =
    passwordSignIn.isPending ||
    passwordSignIn.data === 'signed_in' ||
    secondFactorSignIn.isPending ||
    secondFactorSignIn.isSuccess
      ? 'password'
      : ssoSignIn.isPending || ssoSignIn.isSuccess
        ? 'sso'
        : passkeySignIn.isPending || passkeySignIn.isSuccess
          ? 'passkey'
          : null;
  const errorRef = useRef<HTMLParagraphElement>(null);
  // Counts failures so that each one, even a repeat of the same message, moves focus again.
  const [failures, setFailures] = useState(0);

  // Move focus so screen readers announce the problem and keyboard users can retry at once. In an
  // effect, because only after React has committed the update is the message in the page.
  useEffect(() => {
    if (failures > 0) errorRef.current?.focus();
  }, [failures]);

  function fail(message: string, requestId?: string) {
    setError(message);
    setErrorRequestId(requestId);
    setFailures((count) => count + 1);
  }

  const onFailure = { onError: (failure: SignInError) => fail(failure.message, failure.requestId) };

  function signInWithPassword(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!email || !password) return fail(t('signIn.errors.missing'));
    setError(undefined);
    passwordSignIn.mutate({ email, password }, onFailure);
  }

  function signInWithCode(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!code.trim()) return fail(t('signIn.secondFactor.missing'));
    setError(undefined);
    secondFactorSignIn.mutate({ code: code.trim(), recovery }, onFailure);
  }

  function signInWithPasskey() {
    setError(undefined);
    passkeySignIn.mutate(undefined, onFailure);
  }

  function signInWithSso() {
    setError(undefined);
    ssoSignIn.mutate(undefined, onFailure);
  }

  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      {error && (
        <p
          ref={errorRef}
          tabIndex={-1}
          role="alert"
          id={`${id}-error`}
          className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 outline-none dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
        >
          {error}
          {errorRequestId && <RequestIdNote requestId={errorRequestId} className="mt-1 opacity-80" />}
        </p>
      )}

      {sso && (
        <>
          <button
            type="button"
            className={buttonClass('secondary', 'md', 'h-9 w-full')}
            disabled={pending !== null}
            onClick={signInWithSso}
          >
            {pending === 'sso' ? t('signIn.redirecting') : sso.label}
          </button>
          <div className="my-4 flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400">
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
            {t('signIn.orPassword')}
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          </div>
        </>
      )}

      {askingCode ? (
        <form onSubmit={signInWithCode} noValidate className="flex flex-col gap-4">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {recovery ? t('signIn.secondFactor.recoveryHint') : t('signIn.secondFactor.hint')}
          </p>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-code`} className="text-sm font-medium">
              {recovery ? t('signIn.secondFactor.recoveryCode') : t('signIn.secondFactor.code')}
            </label>
            <input
              id={`${id}-code`}
              name="code"
              autoComplete="one-time-code"
              inputMode={recovery ? 'text' : 'numeric'}
              required
              autoFocus
              value={code}
              onChange={(event) => setCode(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              className={inputClass}
            />
          </div>
          <button type="submit" className={buttonClass('primary', 'md', 'h-9 w-full')} disabled={pending !== null}>
            {pending === 'password' ? t('signIn.signingIn') : t('signIn.secondFactor.submit')}
          </button>
          <button
            type="button"
            className={buttonClass('ghost', 'sm', 'self-start')}
            onClick={() => {
              setRecovery((value) => !value);
              setCode('');
            }}
          >
            {recovery ? t('signIn.secondFactor.useCode') : t('signIn.secondFactor.useRecovery')}
          </button>
        </form>
      ) : (
        <form onSubmit={signInWithPassword} noValidate className="flex flex-col gap-4">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-email`} className="text-sm font-medium">
              {t('signIn.email')}
            </label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              autoComplete="username"
              required
              autoFocus
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              className={inputClass}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-password`} className="text-sm font-medium">
              {t('signIn.password')}
            </label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              className={inputClass}
            />
          </div>
          <button type="submit" className={buttonClass('primary', 'md', 'h-9 w-full')} disabled={pending !== null}>
            {pending === 'password' ? t('signIn.signingIn') : t('signIn.submit')}
          </button>
          <div className="flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400">
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
            {t('signIn.passkey.or')}
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          </div>
          <button
            type="button"
            className={buttonClass('secondary', 'md', 'h-9 w-full')}
            disabled={pending !== null}
            onClick={signInWithPasskey}
          >
            {pending === 'passkey' ? t('signIn.passkey.waiting') : t('signIn.passkey.submit')}
          </button>
        </form>
      )}

      {demoAccounts.length > 0 && (
        <section aria-labelledby={`${id}-demo`} className="mt-6 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <h2 id={`${id}-demo`} className="text-sm font-medium">
            {t('signIn.demo.title')}
          </h2>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            {t.rich('signIn.demo.password', {
              password: demoAccounts[0]?.password ?? '',
              code: (chunks) => <code className="font-mono">{chunks}</code>,
            })}
          </p>
          <ul className="mt-2 flex flex-col gap-1.5">
            {demoAccounts.map((account) => (
              <li key={account.email} className="flex items-center justify-between gap-2 text-sm">
                <span>
                  <span className="font-mono text-xs">{account.email}</span>
                  <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                    {t(roleKeys[account.role])}
                  </span>
                  {account.clients && (
                    <span className="mt-0.5 block text-xs text-zinc-500 dark:text-zinc-400">
                      {t('signIn.demo.clients', { clients: account.clients.join(', ') })}
                    </span>
                  )}
                </span>
                <button
                  type="button"
                  className={buttonClass('ghost', 'sm')}
                  aria-label={
                    account.clients
                      ? t('signIn.demo.fillScoped', {
                          role: t(roleKeys[account.role]),
                          clients: account.clients.join(', '),
                        })
                      : t('signIn.demo.fill', { role: t(roleKeys[account.role]) })
                  }
                  onClick={() => {
                    setEmail(account.email);
                    setPassword(account.password);
                    setError(undefined);
                  }}
                >
                  {t('signIn.demo.use')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
