'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ApiError } from '@/lib/api-client';
import { buttonClass, inputClass } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { ErrorState, SkeletonRows, useErrorSummary } from '@/components/ui/states';
import {
  useAccountSecurity,
  useAddPasskey,
  useConfirmTotpEnrolment,
  usePasskeys,
  useRemovePasskey,
  useStartTotpEnrolment,
} from '@/components/data/account-security';
import { Time } from '@/components/ui/time';
import { toast } from '@/components/ui/toast';

/** Better Auth refuses a wrong password or code with 400/401 (not Token Desk's envelope). */
const refused = (error: Error) => error instanceof ApiError && (error.status === 400 || error.status === 401);

/** The base32 secret inside an otpauth:// URI, for typing into an app that cannot scan. */
function secretOf(uri: string): string {
  try {
    return new URL(uri).searchParams.get('secret') ?? '';
  } catch {
    return '';
  }
}

function Enrolment() {
  const t = useTranslations();
  const summarize = useErrorSummary();
  const start = useStartTotpEnrolment();
  const confirm = useConfirmTotpEnrolment();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');

  if (confirm.isSuccess && start.data) {
    return (
      <section aria-labelledby="recovery-heading" className="flex flex-col gap-3">
        <h2 id="recovery-heading" className="text-base font-semibold">
          {t('account.recovery.title')}
        </h2>
        <p>{t('account.recovery.hint')}</p>
        <ul className="grid max-w-md grid-cols-2 gap-1 font-mono text-sm" data-testid="recovery-codes">
          {start.data.backupCodes.map((backup) => (
            <li key={backup}>{backup}</li>
          ))}
        </ul>
        <div>
          <CopyButton value={start.data.backupCodes.join('\n')} label={t('account.recovery.label')} />
        </div>
        <div>
          {/* A full load: the desk's server components render again for the now-enrolled session. */}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load on purpose */}
          <a className={buttonClass('primary')} href="/">
            {t('account.recovery.done')}
          </a>
        </div>
      </section>
    );
  }

  if (start.data) {
    const secret = secretOf(start.data.totpURI);
    return (
      <form
        className="flex max-w-xl flex-col gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          confirm.mutate(code);
        }}
      >
        <p>{t('account.enrol.scanHint')}</p>
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{t('account.enrol.secret')}</span>
          <code className="break-all rounded bg-zinc-100 px-2 py-1 dark:bg-zinc-800" data-testid="totp-secret">
            {secret}
          </code>
          <CopyButton value={secret} label={t('account.enrol.secret')} />
        </div>
        <div className="flex flex-col gap-1">
          <span className="font-medium">{t('account.enrol.uri')}</span>
          <code className="break-all rounded bg-zinc-100 px-2 py-1 text-xs dark:bg-zinc-800">{start.data.totpURI}</code>
          <div>
            <CopyButton value={start.data.totpURI} label={t('account.enrol.uri')} />
          </div>
        </div>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('account.enrol.code')}</span>
          <input
            className={`${inputClass} w-40`}
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(event) => setCode(event.target.value)}
            aria-invalid={confirm.isError}
          />
        </label>
        {confirm.isError && (
          <p role="alert" className="text-red-700 dark:text-red-400">
            {refused(confirm.error) ? t('account.enrol.wrongCode') : summarize(confirm.error).message}
          </p>
        )}
        <div>
          <button type="submit" className={buttonClass('primary')} disabled={confirm.isPending}>
            {t('account.enrol.verify')}
          </button>
        </div>
      </form>
    );
  }

  return (
    <form
      className="flex max-w-sm flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        start.mutate(password);
      }}
    >
      <p>{t('account.enrol.passwordHint')}</p>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('account.enrol.password')}</span>
        <input
          className={inputClass}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={start.isError}
        />
      </label>
      {start.isError && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          {refused(start.error) ? t('account.enrol.wrongPassword') : summarize(start.error).message}
        </p>
      )}
      <div>
        <button type="submit" className={buttonClass('primary')} disabled={start.isPending}>
          {t('account.enrol.start')}
        </button>
      </div>
    </form>
  );
}

/** The person's passkeys: each listed with when it was added, added under a name, removed after a step-up. */
function Passkeys() {
  const t = useTranslations();
  const summarize = useErrorSummary();
  const passkeys = usePasskeys();
  const add = useAddPasskey();
  const remove = useRemovePasskey();
  const [name, setName] = useState('');
  const addProblem =
    add.data === null ? t('account.passkeys.cancelled') : add.isError ? summarize(add.error).message : null;

  return (
    <section aria-labelledby="passkeys-heading" className="flex max-w-xl flex-col gap-3">
      <h2 id="passkeys-heading" className="text-base font-semibold">
        {t('account.passkeys.title')}
      </h2>
      <p>{t('account.passkeys.hint')}</p>
      {passkeys.isPending ? (
        <SkeletonRows rows={2} columns={1} />
      ) : passkeys.isError ? (
        <ErrorState error={passkeys.error} onRetry={() => void passkeys.refetch()} />
      ) : passkeys.data.passkeys.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">{t('account.passkeys.none')}</p>
      ) : (
        <ul className="flex flex-col divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {passkeys.data.passkeys.map((passkey) => (
            <li key={passkey.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
              <span className="flex min-w-0 flex-col">
                <span className="break-all font-medium">{passkey.name || t('account.passkeys.unnamed')}</span>
                <span className="flex flex-wrap gap-1 text-xs text-zinc-600 dark:text-zinc-400">
                  {t('account.passkeys.added')} <Time ms={Date.parse(passkey.createdAt)} layout="inline" />
                </span>
              </span>
              <button
                type="button"
                className={buttonClass('secondary', 'sm')}
                aria-label={t('account.passkeys.removeNamed', { name: passkey.name || t('account.passkeys.unnamed') })}
                disabled={remove.isPending}
                onClick={() =>
                  remove.mutate(passkey.id, {
                    onSuccess: () => toast.success(t('account.passkeys.removed', { name: passkey.name })),
                  })
                }
              >
                {t('account.passkeys.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {remove.isError && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          {summarize(remove.error).message}
        </p>
      )}
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate(name, {
            onSuccess: (added) => {
              if (added === null) return;
              toast.success(t('account.passkeys.addedToast', { name: name.trim() }));
              setName('');
            },
          });
        }}
      >
        <label className="flex min-w-0 flex-1 flex-col gap-1">
          <span className="font-medium">{t('account.passkeys.name')}</span>
          <input
            className={inputClass}
            required
            maxLength={64}
            placeholder={t('account.passkeys.namePlaceholder')}
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={addProblem ? true : undefined}
          />
        </label>
        <button type="submit" className={buttonClass('primary')} disabled={add.isPending || !name.trim()}>
          {add.isPending ? t('account.passkeys.adding') : t('account.passkeys.add')}
        </button>
      </form>
      {addProblem && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          {addProblem}
        </p>
      )}
    </section>
  );
}

/** /account/security: whether a second factor is on, and TOTP enrolment with recovery codes shown once. */
export function SecurityPage() {
  const t = useTranslations();
  const security = useAccountSecurity();
  return (
    <div className="flex flex-col gap-4 text-sm">
      <h1 className="text-lg font-semibold">{t('account.title')}</h1>
      {security.isPending ? (
        <SkeletonRows rows={3} columns={1} />
      ) : security.isError ? (
        <ErrorState error={security.error} onRetry={() => void security.refetch()} />
      ) : (
        <>
          {security.data.enrolmentRequired && (
            <p
              role="status"
              className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 dark:border-amber-700 dark:bg-amber-950"
            >
              {t('account.enrolmentRequired')}
            </p>
          )}
          <p data-testid="second-factor-status">
            {security.data.twoFactorEnabled
              ? t('account.status.enrolled')
              : security.data.hasPasskey
                ? t('account.status.passkey')
                : t('account.status.notEnrolled')}
          </p>
          {!security.data.canEnrol ? (
            <p>{t('account.ssoHint')}</p>
          ) : (
            <>
              {!security.data.twoFactorEnabled && <Enrolment />}
              <Passkeys />
            </>
          )}
        </>
      )}
    </div>
  );
}
