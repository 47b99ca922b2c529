'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm, useWatch, type FieldPath } from 'react-hook-form';
import { ApiError } from '@/lib/api-client';
import { grantTypeLabel } from '@/lib/format';
import {
  grantTypeSchema,
  subjectRule,
  tokenCreateInputSchema,
  type TokenCreateFormValues,
  type TokenCreateInput,
} from '@/lib/schemas';
import { describedBy, Field } from '@/components/forms/field';
import { buttonClass, inputClass } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/states';
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
          <ErrorState error={serverError} title="The token was not created" />
        </div>
      )}
      {(clients.isError || scopes.isError) && (
        <ErrorState
          error={clients.error ?? scopes.error}
          title="The service’s clients or scopes could not be loaded"
          onRetry={() => {
            void clients.refetch();
            void scopes.refetch();
          }}
        />
      )}

      <div className="grid gap-5 sm:grid-cols-2">
        <Field label="Grant type" htmlFor="grantType" required error={errors.grantType?.message}>
          <select
            id="grantType"
            {...register('grantType')}
            className={`${inputClass} w-full`}
            aria-invalid={Boolean(errors.grantType)}
            aria-describedby={describedBy('grantType', { error: errors.grantType })}
          >
            {grantTypeSchema.options.map((value) => (
              <option key={value} value={value}>
                {grantTypeLabel(value)}
              </option>
            ))}
          </select>
        </Field>

        <Field label="Client" htmlFor="clientId" required error={errors.clientId?.message}>
          <ClientSelect
            id="clientId"
            {...register('clientId')}
            clients={clients.data?.clients ?? []}
            loading={clients.isPending}
            emptyLabel="Choose a client"
            className="w-full"
            aria-invalid={Boolean(errors.clientId)}
            aria-describedby={describedBy('clientId', { error: errors.clientId })}
          />
        </Field>
      </div>

      {subject === 'none' ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          No subject: a {grantTypeLabel('CLIENT_CREDENTIALS')} token belongs to the client, not a user.
        </p>
      ) : (
        <Field
          label="Subject"
          htmlFor="subject"
          required={subject === 'required'}
          hint={
            subject === 'optional'
              ? 'Optional for a JWT bearer token: the user the assertion names, if any. Printable ASCII, at most 100 characters.'
              : 'The user’s identifier: printable ASCII, at most 100 characters.'
          }
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
        label="Scopes"
        htmlFor="scopes"
        hint="Only scopes the service supports are accepted."
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
        <legend className="text-sm font-medium">Lifetime</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" {...register('accessTokenPersistent')} className="size-4" />
          The access token never expires (persistent)
        </label>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field
            label="Access token lifetime"
            htmlFor="accessTokenDuration"
            hint="Empty = the service’s default."
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
            label="Refresh token lifetime"
            htmlFor="refreshTokenDuration"
            hint="Empty = the service’s default."
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
        label="Properties"
        htmlFor="properties"
        hint="Extra data on the token. Hidden properties are not shown to the client application."
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
        <summary className="cursor-pointer text-sm font-medium">Migration: keep existing token values</summary>
        <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
          Only when moving tokens from another system. Leave empty and Authlete generates strong values. Supplied values
          are sent to Authlete and never logged; a value whose hash already exists is refused.
        </p>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <Field label="Access token value" htmlFor="accessToken" error={errors.accessToken?.message}>
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
          <Field label="Refresh token value" htmlFor="refreshToken" error={errors.refreshToken?.message}>
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
          {isSubmitting ? 'Creating…' : 'Create token'}
        </button>
      </div>
      {Object.keys(errors).length > 0 && !isSubmitting && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Fix the fields marked above.{errors.root?.message ? ` ${errors.root.message}` : ''}
        </p>
      )}
    </form>
  );
}
