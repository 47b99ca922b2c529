'use client';

import { ServiceLink } from '@/components/shell/service-link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { TokenLookupHint } from '@/lib/api-client';
import { formatUtc, shortHash } from '@/lib/format';
import { tokenUpdateInputSchema, type Token } from '@/lib/schemas';
import { describedBy, Field, useValidationMessage } from '@/components/forms/field';
import { buttonClass, inputClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState, summarizeError } from '@/components/ui/states';
import { RotateValueDialog } from './action-dialogs';
import { PropertiesEditor } from './properties-editor';
import { clientLabel, useClients } from '@/components/data/clients';
import { useScopes } from '@/components/data/scopes';
import { useServiceHref } from '@/components/data/service';
import { useForgetRotatedToken, useToken, useUpdateToken } from '@/components/data/tokens';
import { ScopePicker } from './scope-picker';
import { useSavedTimeZone } from '@/components/ui/time';
import { subjectHref } from './token-cells';
import { fromDateTimeLocal, toDateTimeLocal } from '@/lib/datetime-local';
import { buildUpdate, editValuesOf, type Change, type EditValues } from './token-edit';

/** Admin: change a token's scopes, expiry and properties, after reviewing a before/after diff; or rotate its value. */
export function EditTokenPage({ hash, hint }: { hash: string; hint: TokenLookupHint }) {
  const t = useTranslations();
  const token = useToken(hash, hint);
  if (token.isPending)
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-busy="true">
        {t('tokens.edit.loading', { hash: shortHash(hash) })}
      </p>
    );
  if (token.isError) {
    return summarizeError(token.error).status === 404 ? (
      <ErrorState error={{ message: t('tokens.edit.gone') }} title={t('tokens.edit.notFound')} />
    ) : (
      <ErrorState error={token.error} onRetry={() => void token.refetch()} title={t('tokens.edit.loadFailed')} />
    );
  }
  // Keyed by hash so a different token starts from its own values.
  return <EditTokenForm key={hash} token={token.data.token} />;
}

const fieldKeys = {
  scopes: 'tokens.table.scopes',
  expires: 'tokens.table.expires',
  properties: 'tokens.create.properties',
} as const;

function EditTokenForm({ token }: { token: Token }) {
  const t = useTranslations();
  const translate = useValidationMessage();
  const router = useRouter();
  const href = useServiceHref();
  const scopes = useScopes();
  const clients = useClients();
  const update = useUpdateToken(token);
  const forgetRotatedToken = useForgetRotatedToken();
  const [values, setValues] = useState<EditValues>(() => editValuesOf(token));
  // The expiry is typed in the zone every time is shown in (saved on the account, else the browser's).
  const timeZone = useSavedTimeZone() ?? undefined;
  const [dateText, setDateText] = useState(() =>
    values.expiry.mode === 'at' ? toDateTimeLocal(values.expiry.at, timeZone) : '',
  );
  const [review, setReview] = useState<Change[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Set once saved when Authlete kept fewer scopes than asked: shown before leaving the page.
  const [dropped, setDropped] = useState<string | null>(null);
  const [rotating, setRotating] = useState(false);
  // "In the past" is judged against when the form opened; close enough for a warning.
  const [openedAt] = useState(() => Date.now());

  const dateMs = fromDateTimeLocal(dateText, timeZone);
  const { input, changes } = buildUpdate(token, values, {
    none: t('tokens.edit.diffNone'),
    never: t('tokens.cells.never'),
    hidden: (entry) => t('tokens.edit.diffHidden', { entry }),
  });

  function openReview(event: React.FormEvent) {
    event.preventDefault();
    if (values.expiry.mode === 'at' && dateMs === null) {
      setProblem(t('tokens.edit.incompleteDate'));
      return;
    }
    if (changes.length === 0) {
      setProblem(t('tokens.edit.nothingChanged'));
      return;
    }
    const checked = tokenUpdateInputSchema.safeParse(input);
    if (!checked.success) {
      setProblem(checked.error.issues.map((issue) => translate(issue.message)).join(' '));
      return;
    }
    setProblem(null);
    update.reset();
    setReview(changes);
  }

  function leave() {
    router.push(href(token.subject ? subjectHref(token.subject) : '/tokens'));
  }

  /** The old hash no longer exists: leave for the token's list, then refetch what holds it. */
  function afterRotate() {
    leave();
    forgetRotatedToken(token.accessTokenHash);
  }

  function save() {
    update.mutate(input, {
      onSuccess: (updated) => {
        if (updated.droppedScopes.length === 0) return leave();
        setDropped(
          t('tokens.edit.dropped', { count: updated.droppedScopes.length, scopes: updated.droppedScopes.join(', ') }),
        );
      },
    });
  }

  // Still saving once saved: the page is leaving (or says first that fewer scopes were kept).
  const saving = update.isPending || update.isSuccess;
  const saveError = update.error;

  const past = values.expiry.mode === 'at' && dateMs !== null && dateMs <= openedAt;
  return (
    <form onSubmit={openReview} noValidate className="max-w-3xl space-y-5">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800">
        <dt className="text-zinc-500 dark:text-zinc-400">{t('tokens.table.hash')}</dt>
        <dd className="font-mono text-xs break-all">{token.accessTokenHash}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">{t('tokens.table.subject')}</dt>
        <dd>{token.subject ?? t('tokens.cells.none')}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">{t('tokens.table.client')}</dt>
        <dd>{clientLabel(token.clientId, clients.byId.get(token.clientId))}</dd>
      </dl>

      {scopes.isError && (
        <ErrorState
          error={scopes.error}
          onRetry={() => void scopes.refetch()}
          title={t('tokens.edit.scopesLoadFailed')}
        />
      )}
      <Field label={t('tokens.table.scopes')} htmlFor="scopes" hint={t('tokens.create.scopesHint')}>
        <ScopePicker
          id="scopes"
          value={values.scopes}
          onChange={(next) => setValues({ ...values, scopes: next })}
          supported={scopes.data?.scopes ?? []}
          loading={scopes.isPending}
          describedBy={describedBy('scopes', { hint: true })}
        />
      </Field>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">{t('tokens.edit.expiry')}</legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="expiry"
            checked={values.expiry.mode === 'never'}
            onChange={() => setValues({ ...values, expiry: { mode: 'never' } })}
            className="size-4"
          />
          {t('tokens.edit.never')}
        </label>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="expiry"
              checked={values.expiry.mode === 'at'}
              onChange={() => setValues({ ...values, expiry: { mode: 'at', at: dateMs ?? Date.now() + 3_600_000 } })}
              className="size-4"
            />
            {t('tokens.edit.expiresAt')}
          </label>
          <input
            type="datetime-local"
            aria-label={t('tokens.edit.expiryInput')}
            value={dateText}
            onChange={(event) => {
              setDateText(event.target.value);
              const ms = fromDateTimeLocal(event.target.value, timeZone);
              if (ms !== null) setValues({ ...values, expiry: { mode: 'at', at: ms } });
            }}
            onFocus={() => {
              if (values.expiry.mode !== 'at' && dateMs !== null)
                setValues({ ...values, expiry: { mode: 'at', at: dateMs } });
            }}
            className={inputClass}
          />
          {dateMs !== null && (
            <span className="text-xs text-zinc-500 dark:text-zinc-400">
              {t('tokens.edit.utcEquals', { utc: formatUtc(dateMs) })}
            </span>
          )}
        </div>
        {past && <p className="text-xs font-medium text-amber-700 dark:text-amber-300">{t('tokens.edit.past')}</p>}
      </fieldset>

      <Field group label={t('tokens.create.properties')} htmlFor="properties" hint={t('tokens.edit.propertiesHint')}>
        <PropertiesEditor value={values.properties} onChange={(next) => setValues({ ...values, properties: next })} />
      </Field>

      {problem && (
        <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
          {problem}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass('primary')}>
          {t('tokens.edit.review')}
        </button>
        <ServiceLink href={token.subject ? subjectHref(token.subject) : '/tokens'} className={buttonClass('ghost')}>
          {t('common.cancel')}
        </ServiceLink>
        <button
          type="button"
          className={buttonClass('ghost', 'md', 'ml-auto text-red-700 dark:text-red-300')}
          onClick={() => setRotating(true)}
        >
          {t('tokens.dialogs.rotateConfirm')}
        </button>
      </div>
      {rotating && (
        <RotateValueDialog
          token={token}
          clients={clients.byId}
          onClose={() => setRotating(false)}
          onDone={afterRotate}
        />
      )}

      {review && dropped !== null && (
        <Dialog
          title={t('tokens.edit.savedFewer')}
          onClose={leave}
          footer={
            <button type="button" className={buttonClass('primary')} onClick={leave}>
              {t('tokens.dialogs.done')}
            </button>
          }
        >
          <p role="status" className="text-sm font-medium text-amber-800 dark:text-amber-300">
            {dropped}
          </p>
        </Dialog>
      )}
      {review && dropped === null && (
        <Dialog
          title={t('tokens.edit.confirmTitle')}
          size="lg"
          onClose={() => setReview(null)}
          busy={saving}
          footer={
            <>
              <button
                type="button"
                className={buttonClass('secondary')}
                onClick={() => setReview(null)}
                disabled={saving}
              >
                {t('tokens.edit.keepEditing')}
              </button>
              <button type="button" className={buttonClass('primary')} onClick={save} disabled={saving}>
                {saving ? t('tokens.edit.saving') : t('tokens.edit.save')}
              </button>
            </>
          }
        >
          <div className="space-y-3">
            {saveError !== null && <ErrorState error={saveError} title={t('tokens.edit.saveFailed')} />}
            <table className="w-full text-left text-sm">
              <caption className="sr-only">
                {t('tokens.edit.changesCaption', { hash: shortHash(token.accessTokenHash) })}
              </caption>
              <thead className="text-xs text-zinc-600 dark:text-zinc-400">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t('tokens.edit.field')}
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t('tokens.edit.before')}
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    {t('tokens.edit.after')}
                  </th>
                </tr>
              </thead>
              <tbody className="align-top">
                {review.map((change) => (
                  <tr key={change.field} className="border-t border-zinc-200 dark:border-zinc-800">
                    <th scope="row" className="py-1.5 pr-3 font-medium">
                      {t(fieldKeys[change.field])}
                    </th>
                    <td className="py-1.5 pr-3 font-mono text-xs break-all text-red-800 line-through decoration-red-400/60 dark:text-red-300">
                      {change.before}
                    </td>
                    <td className="py-1.5 font-mono text-xs break-all text-emerald-800 dark:text-emerald-300">
                      {change.after}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">{t('tokens.edit.takesEffect')}</p>
          </div>
        </Dialog>
      )}
    </form>
  );
}
