'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useLocale, useTranslations } from 'next-intl';
import { Controller, useForm, useWatch, type FieldPath } from 'react-hook-form';
import { ApiError } from '@/lib/api-client';
import {
  grantTypeSchema,
  subjectRule,
  tokenCreateInputSchema,
  type TokenCreateFormValues,
  type TokenCreateInput,
} from '@/lib/schemas';
import { describedBy, Field, useValidationMessage } from '@/components/forms/field';
import { buttonClass, inputClass } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/states';
import { useGrantTypeLabel } from './grant-type';
import { ClientSelect } from './client-select';
import { CreatedToken } from './created-token';
import { DurationInput } from './duration-input';
import { PropertiesEditor } from './properties-editor';
import { ScopePicker } from './scope-picker';
import { useClients } from '@/components/data/clients';
import { useScopes } from '@/components/data/scopes';
import { useCreateToken } from '@/components/data/tokens';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

const defaults: TokenCreateFormValues = {
  grantType: 'AUTHORIZATION_CODE',
  clientId: '',
  subject: undefined,
  scopes: [],
  accessTokenPersistent: false,
  properties: [],
};

/** Admin: issue one token. The shared zod schema validates here and again on the server. */
export function CreateTokenForm() {
  const t = useTranslations();
  const english = useLocale() === 'en';
  const grantTypeLabel = useGrantTypeLabel();
  const translate = useValidationMessage();
  const clients = useClients();
  const scopes = useScopes();
  // Token values: the mutation's state only, never the query cache (see CreatedToken and useCreateToken).
  const createToken = useCreateToken();
  const created = createToken.data;
  const serverError = createToken.error;
  const form = useForm<TokenCreateFormValues, unknown, TokenCreateInput>({
    resolver: zodResolver(tokenCreateInputSchema),
    defaultValues: defaults,
    mode: 'onTouched',
  });
  const { register, control, handleSubmit, formState, setError, reset } = form;
  const { errors, isSubmitting } = formState;
  const grantType = useWatch({ control, name: 'grantType' });
  const persistent = useWatch({ control, name: 'accessTokenPersistent' });
  const subject = subjectRule(grantType);

  const submit = handleSubmit(async (input) => {
    try {
      // Forget any supplied values in the form before showing the result.
      await createToken.mutateAsync(input, { onSuccess: () => reset(defaults) });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'validation_failed') {
        for (const [path, messages] of Object.entries(error.fieldErrors)) {
          setError(path as FieldPath<TokenCreateFormValues>, { message: messages[0] });
        }
      }
    }
  });

  if (created) {
    return <CreatedToken created={created} onCreateAnother={createToken.reset} />;
  }

  const subjectError = errors.subject?.message;
  return (
    <form
      onSubmit={submit}
      noValidate
      className="max-w-3xl space-y-5"
      aria-describedby={serverError ? 'create-error' : undefined}
    >
      {serverError !== null && (
        <div id="create-error">
          <ErrorState error={serverError} title={t('tokens.create.failed')} />
        </div>
      )}
      {(clients.isError || scopes.isError) && (
        <ErrorState
          error={clients.error ?? scopes.error}
          title={t('tokens.create.loadFailed')}
          onRetry={() => {
            void clients.refetch();
            void scopes.refetch();
          }}
        />
      )}

      <div className="grid gap-5 sm:grid-cols-2">
        <Field label={t('tokens.table.grantType')} htmlFor="grantType" required error={errors.grantType?.message}>
          <select
            id="grantType"
            {...register('grantType')}
            className={`${inputClass} w-full`}
            aria-invalid={Boolean(errors.grantType)}
            aria-describedby={describedBy('grantType', { error: errors.grantType })}
          >
            {grantTypeSchema.options.map((value) => (
              <option key={value} value={value}>
                {/* English labels are the constants in words; another language shows the constant beside its label. */}
                {english
                  ? grantTypeLabel(value)
                  : t('tokens.grantTypeOption', { label: grantTypeLabel(value), id: value })}
              </option>
            ))}
          </select>
        </Field>

        <Field label={t('tokens.table.client')} htmlFor="clientId" required error={errors.clientId?.message}>
          <ClientSelect
            id="clientId"
            {...register('clientId')}
            clients={clients.data?.clients ?? []}
            loading={clients.isPending}
            emptyLabel={t('tokens.create.chooseClient')}
            className="w-full"
            aria-invalid={Boolean(errors.clientId)}
            aria-describedby={describedBy('clientId', { error: errors.clientId })}
          />
        </Field>
      </div>

      {subject === 'none' ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          {t('tokens.create.noSubject', { grantType: grantTypeLabel('CLIENT_CREDENTIALS') })}
        </p>
      ) : (
        <Field
          label={t('tokens.table.subject')}
          htmlFor="subject"
          required={subject === 'required'}
          hint={subject === 'optional' ? t('tokens.create.subjectOptionalHint') : t('tokens.create.subjectHint')}
          error={subjectError}
        >
          <input
            id="subject"
            // Unregistered while hidden: a subject typed before choosing client credentials is not sent.
            {...register('subject', { setValueAs: emptyToUndefined, shouldUnregister: true })}
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} w-full sm:w-80`}
            aria-invalid={Boolean(subjectError)}
            aria-describedby={describedBy('subject', { hint: true, error: subjectError })}
          />
        </Field>
      )}

      <Field
        label={t('tokens.table.scopes')}
        htmlFor="scopes"
        hint={t('tokens.create.scopesHint')}
        error={errors.scopes?.message ?? errors.scopes?.root?.message}
      >
        <Controller
          control={control}
          name="scopes"
          render={({ field }) => (
            <ScopePicker
              id="scopes"
              value={field.value ?? []}
              onChange={field.onChange}
              supported={scopes.data?.scopes ?? []}
              loading={scopes.isPending}
              invalid={Boolean(errors.scopes)}
              describedBy={describedBy('scopes', { hint: true, error: errors.scopes })}
            />
          )}
        />
      </Field>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">{t('tokens.create.lifetime')}</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" {...register('accessTokenPersistent')} className="size-4" />
          {t('tokens.create.persistent')}
        </label>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field
            label={t('tokens.create.accessLifetime')}
            htmlFor="accessTokenDuration"
            hint={t('tokens.create.lifetimeHint')}
            error={errors.accessTokenDuration?.message}
          >
            <Controller
              control={control}
              name="accessTokenDuration"
              render={({ field }) => (
                <DurationInput
                  id="accessTokenDuration"
                  value={field.value}
                  onChange={field.onChange}
                  disabled={persistent === true}
                  invalid={Boolean(errors.accessTokenDuration)}
                  describedBy={describedBy('accessTokenDuration', { hint: true, error: errors.accessTokenDuration })}
                />
              )}
            />
          </Field>
          <Field
            label={t('tokens.create.refreshLifetime')}
            htmlFor="refreshTokenDuration"
            hint={t('tokens.create.lifetimeHint')}
            error={errors.refreshTokenDuration?.message}
          >
            <Controller
              control={control}
              name="refreshTokenDuration"
              render={({ field }) => (
                <DurationInput
                  id="refreshTokenDuration"
                  value={field.value}
                  onChange={field.onChange}
                  invalid={Boolean(errors.refreshTokenDuration)}
                  describedBy={describedBy('refreshTokenDuration', { hint: true, error: errors.refreshTokenDuration })}
                />
              )}
            />
          </Field>
        </div>
      </fieldset>

      <Field
        group
        label={t('tokens.create.properties')}
        htmlFor="properties"
        hint={t('tokens.create.propertiesHint')}
        error={errors.properties?.message}
      >
        <Controller
          control={control}
          name="properties"
          render={({ field }) => (
            <PropertiesEditor
              value={(field.value ?? []).map((row) => ({
                key: row.key,
                value: row.value,
                hidden: row.hidden ?? false,
              }))}
              onChange={field.onChange}
              errors={errors.properties?.map?.((row) =>
                row ? { key: row.key?.message, value: row.value?.message } : undefined,
              )}
            />
          )}
        />
      </Field>

      <details className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
        <summary className="cursor-pointer text-sm font-medium">{t('tokens.create.migration')}</summary>
        <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">{t('tokens.create.migrationHint')}</p>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <Field label={t('tokens.create.accessValue')} htmlFor="accessToken" error={errors.accessToken?.message}>
            <input
              id="accessToken"
              {...register('accessToken', { setValueAs: emptyToUndefined })}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono`}
              aria-invalid={Boolean(errors.accessToken)}
              aria-describedby={describedBy('accessToken', { error: errors.accessToken })}
            />
          </Field>
          <Field label={t('tokens.create.refreshValue')} htmlFor="refreshToken" error={errors.refreshToken?.message}>
            <input
              id="refreshToken"
              {...register('refreshToken', { setValueAs: emptyToUndefined })}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono`}
              aria-invalid={Boolean(errors.refreshToken)}
              aria-describedby={describedBy('refreshToken', { error: errors.refreshToken })}
            />
          </Field>
        </div>
      </details>

      <div className="flex gap-2">
        <button type="submit" className={buttonClass('primary')} disabled={isSubmitting}>
          {isSubmitting ? t('tokens.create.creating') : t('tokens.create.submit')}
        </button>
      </div>
      {Object.keys(errors).length > 0 && !isSubmitting && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {t('tokens.create.fixFields')} {translate(errors.root?.message)}
        </p>
      )}
    </form>
  );
}
