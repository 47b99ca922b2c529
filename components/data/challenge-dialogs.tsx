'use client';

import { startAuthentication } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { api, ApiError } from '@/lib/api-client';
import type { AccountSecurity } from '@/lib/schemas/security';
import { buttonClass, inputClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { useErrorSummary } from '@/components/ui/states';

/**
 * The dialogs a refused request opens (step-up, four-eyes justification), loaded only when one is
 * needed: the passkey client and the forms stay out of every page's first load.
 */
export type Resolve = (headers: Record<string, string> | null) => void;
export interface Challenge {
  error: ApiError;
  resolve: Resolve;
}

/** Proves it is the person again; the retried request then goes through within the window. */
function useStepUp() {
  return useMutation({
    mutationFn: (body: { code: string } | { recoveryCode: string } | { password: string }) =>
      api.request<AccountSecurity>('POST', '/api/account/step-up', { body }),
  });
}

/**
 * Steps up with one of the person's passkeys: a challenge naming only their own, the browser's
 * user-verified answer, checked by the server. Null when the browser prompt was cancelled.
 */
function usePasskeyStepUp() {
  return useMutation({
    mutationFn: async () => {
      const optionsJSON = await api.request<Parameters<typeof startAuthentication>[0]['optionsJSON']>(
        'GET',
        '/api/account/step-up/passkey',
      );
      let passkey;
      try {
        passkey = await startAuthentication({ optionsJSON });
      } catch {
        return null;
      }
      return api.request<AccountSecurity>('POST', '/api/account/step-up', { body: { passkey } });
    },
  });
}

export function StepUpDialog({ error, resolve }: Challenge) {
  const t = useTranslations();
  const summarize = useErrorSummary();
  const formId = useId();
  const stepUp = useStepUp();
  const passkeyStepUp = usePasskeyStepUp();
  const stepUpWithPasskey = () =>
    passkeyStepUp.mutate(undefined, {
      onSuccess: (security) => {
        if (security) resolve({});
      },
    });
  const hasPasskey = error.details?.passkey === true;
  const busy = stepUp.isPending || passkeyStepUp.isPending;
  const passkeyProblem =
    passkeyStepUp.data === null
      ? t('shell.stepUp.passkeyCancelled')
      : passkeyStepUp.isError
        ? passkeyStepUp.error instanceof ApiError && passkeyStepUp.error.code === 'step_up_failed'
          ? t('shell.stepUp.passkeyWrong')
          : summarize(passkeyStepUp.error).message
        : null;
  const [value, setValue] = useState('');
  const [recovery, setRecovery] = useState(false);
  const proof = error.details?.proof;
  const cancel = () => resolve(null);

  if (proof === 'sign_in') {
    const next = `${window.location.pathname}${window.location.search}`;
    return (
      <Dialog
        title={t('shell.stepUp.title')}
        onClose={cancel}
        footer={
          <>
            <button type="button" className={buttonClass()} onClick={cancel}>
              {t('common.cancel')}
            </button>
            <a className={buttonClass('primary')} href={`/sign-in?next=${encodeURIComponent(next)}`}>
              {t('shell.stepUp.signInAgain')}
            </a>
          </>
        }
      >
        <p>{t('shell.stepUp.signInHint')}</p>
      </Dialog>
    );
  }

  if (proof === 'passkey') {
    return (
      <Dialog
        title={t('shell.stepUp.title')}
        onClose={cancel}
        busy={busy}
        footer={
          <>
            <button type="button" className={buttonClass()} onClick={cancel} disabled={busy}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className={buttonClass('primary')}
              onClick={stepUpWithPasskey}
              disabled={busy}
              data-autofocus
            >
              {busy ? t('shell.stepUp.verifying') : t('shell.stepUp.usePasskey')}
            </button>
          </>
        }
      >
        <p>{t('shell.stepUp.passkeyHint')}</p>
        {passkeyProblem && (
          <p role="alert" className="mt-3 text-red-700 dark:text-red-400">
            {passkeyProblem}
          </p>
        )}
      </Dialog>
    );
  }

  const password = proof === 'password';
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const body = password ? { password: value } : recovery ? { recoveryCode: value.trim() } : { code: value.trim() };
    stepUp.mutate(body, { onSuccess: () => resolve({}) });
  };
  return (
    <Dialog
      title={t('shell.stepUp.title')}
      onClose={cancel}
      busy={busy}
      footer={
        <>
          <button type="button" className={buttonClass()} onClick={cancel} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={formId} className={buttonClass('primary')} disabled={busy}>
            {stepUp.isPending ? t('shell.stepUp.verifying') : t('shell.stepUp.confirm')}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="flex flex-col gap-3">
        <p>{password ? t('shell.stepUp.passwordHint') : t('shell.stepUp.codeHint')}</p>
        <label className="flex flex-col gap-1">
          <span className="font-medium">
            {password ? t('shell.stepUp.password') : recovery ? t('shell.stepUp.recoveryCode') : t('shell.stepUp.code')}
          </span>
          <input
            className={inputClass}
            type={password ? 'password' : 'text'}
            autoComplete={password ? 'current-password' : 'one-time-code'}
            inputMode={password || recovery ? undefined : 'numeric'}
            required
            value={value}
            onChange={(event) => setValue(event.target.value)}
            aria-invalid={stepUp.isError}
            data-autofocus
          />
        </label>
        {!password && (
          <button
            type="button"
            className="self-start text-xs text-indigo-700 underline dark:text-indigo-300"
            onClick={() => {
              setRecovery(!recovery);
              setValue('');
            }}
          >
            {recovery ? t('shell.stepUp.useCode') : t('shell.stepUp.useRecoveryCode')}
          </button>
        )}
        {hasPasskey && (
          <button
            type="button"
            className={buttonClass('secondary', 'sm', 'self-start')}
            onClick={stepUpWithPasskey}
            disabled={busy}
          >
            {t('shell.stepUp.usePasskey')}
          </button>
        )}
        {passkeyProblem && (
          <p role="alert" className="text-red-700 dark:text-red-400">
            {passkeyProblem}
          </p>
        )}
        {stepUp.isError && (
          <p role="alert" className="text-red-700 dark:text-red-400">
            {stepUp.error instanceof ApiError && stepUp.error.code === 'step_up_failed'
              ? t('shell.stepUp.wrong')
              : summarize(stepUp.error).message}
          </p>
        )}
      </form>
    </Dialog>
  );
}

export function ApprovalDialog({ resolve }: Challenge) {
  const t = useTranslations();
  const formId = useId();
  const [justification, setJustification] = useState('');
  const [ticket, setTicket] = useState('');
  const cancel = () => resolve(null);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    resolve({
      'x-approval-justification': encodeURIComponent(justification.trim()),
      ...(ticket.trim() ? { 'x-approval-ticket': encodeURIComponent(ticket.trim()) } : {}),
    });
  };
  return (
    <Dialog
      title={t('shell.approval.title')}
      onClose={cancel}
      footer={
        <>
          <button type="button" className={buttonClass()} onClick={cancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={formId} className={buttonClass('primary')}>
            {t('shell.approval.request')}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="flex flex-col gap-3">
        <p>{t('shell.approval.hint')}</p>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('shell.approval.justification')}</span>
          <textarea
            className={`${inputClass} h-20 py-1`}
            required
            maxLength={1000}
            value={justification}
            onChange={(event) => setJustification(event.target.value)}
            data-autofocus
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('shell.approval.ticket')}</span>
          <input
            className={inputClass}
            maxLength={100}
            value={ticket}
            onChange={(event) => setTicket(event.target.value)}
          />
        </label>
      </form>
    </Dialog>
  );
}
