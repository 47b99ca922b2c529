'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import {
  useCreateWebhookEndpoint,
  useDeleteWebhookEndpoint,
  useRotateWebhookSecret,
  useSendWebhookTest,
  useUpdateWebhookEndpoint,
  useWebhookEndpoints,
  type EndpointFields,
} from '@/components/data/webhooks';
import { AdminLinks } from '@/components/shell/admin-links';
import { buttonClass, inputClass } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { Dialog } from '@/components/ui/dialog';
import { SecretValue } from '@/components/ui/secret-value';
import { EmptyState, ErrorState, useErrorSummary } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { toast } from '@/components/ui/toast';
import { webhookEventTypes, type WebhookEndpoint } from '@/lib/schemas/webhook';
import { DeliveryLog } from './delivery-log';
import { eventLabels } from './event-labels';

type Action = { kind: 'edit' | 'rotate' | 'delete'; endpoint: WebhookEndpoint };

const labelClass = 'flex flex-col gap-1 text-sm font-medium';

/**
 * The webhooks page (admins): the service's endpoints, what each receives and how its deliveries
 * are doing, with the delivery log, a test event, secret rotation, and removal.
 */
export function WebhooksPage() {
  const t = useTranslations();
  const endpoints = useWebhookEndpoints();
  const [adding, setAdding] = useState(false);
  const [action, setAction] = useState<Action | null>(null);
  const list = endpoints.data?.endpoints ?? [];

  return (
    <div className="space-y-4">
      <AdminLinks />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0 max-w-3xl space-y-1">
          <h1 className="text-xl font-semibold">{t('webhooks.title')}</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('webhooks.intro')}</p>
        </div>
        <button type="button" className={buttonClass('primary')} onClick={() => setAdding(true)}>
          {t('webhooks.add.open')}
        </button>
      </div>

      {endpoints.error ? (
        <ErrorState error={endpoints.error} onRetry={() => void endpoints.refetch()} />
      ) : endpoints.isPending ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" role="status">
          {t('webhooks.loading')}
        </p>
      ) : list.length === 0 ? (
        <EmptyState title={t('webhooks.empty.title')}>{t('webhooks.empty.body')}</EmptyState>
      ) : (
        <ul className="space-y-3" aria-label={t('webhooks.listLabel')}>
          {list.map((endpoint) => (
            <EndpointCard key={endpoint.id} endpoint={endpoint} onAction={setAction} />
          ))}
        </ul>
      )}

      {adding && <AddEndpointDialog onClose={() => setAdding(false)} />}
      {action?.kind === 'edit' && <EditEndpointDialog endpoint={action.endpoint} onClose={() => setAction(null)} />}
      {action?.kind === 'rotate' && <RotateSecretDialog endpoint={action.endpoint} onClose={() => setAction(null)} />}
      {action?.kind === 'delete' && <DeleteEndpointDialog endpoint={action.endpoint} onClose={() => setAction(null)} />}
    </div>
  );
}

function EndpointCard({ endpoint, onAction }: { endpoint: WebhookEndpoint; onAction: (action: Action) => void }) {
  const t = useTranslations();
  const [showLog, setShowLog] = useState(false);
  const test = useSendWebhookTest();
  const update = useUpdateWebhookEndpoint();
  const logId = useId();
  const name = endpoint.description || endpoint.url;

  const toggle = () =>
    update.mutate(
      { endpointId: endpoint.id, enabled: !endpoint.enabled },
      {
        onSuccess: () =>
          toast.success(
            endpoint.enabled ? t('webhooks.toast.turnedOff', { name }) : t('webhooks.toast.turnedOn', { name }),
          ),
      },
    );

  return (
    <li className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0 space-y-1">
          <p className="break-all font-mono text-sm">{endpoint.url}</p>
          {endpoint.description && <p className="text-sm">{endpoint.description}</p>}
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {endpoint.eventTypes.length === 0
              ? t('webhooks.events.all')
              : endpoint.eventTypes.map((type) => t(eventLabels[type])).join(t('webhooks.events.separator'))}
          </p>
        </div>
        <StatusBadge endpoint={endpoint} />
      </div>
      <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        <div className="flex gap-1">
          <dt>{t('webhooks.stats.pending')}</dt>
          <dd className="tabular-nums text-zinc-900 dark:text-zinc-100">{endpoint.pending}</dd>
        </div>
        <div className="flex gap-1">
          <dt>{t('webhooks.stats.failed')}</dt>
          <dd
            className={cx(
              'tabular-nums',
              endpoint.failed > 0 ? 'font-semibold text-red-700 dark:text-red-300' : 'text-zinc-900 dark:text-zinc-100',
            )}
          >
            {endpoint.failed}
          </dd>
        </div>
        <div className="flex gap-1">
          <dt>{t('webhooks.stats.lastDelivered')}</dt>
          <dd className="text-zinc-900 dark:text-zinc-100">
            {endpoint.lastDeliveredAt === null ? (
              t('webhooks.stats.never')
            ) : (
              <Time ms={endpoint.lastDeliveredAt} layout="inline" />
            )}
          </dd>
        </div>
      </dl>
      <div className="mt-3 flex flex-wrap gap-1">
        <button
          type="button"
          className={buttonClass('secondary', 'sm')}
          aria-expanded={showLog}
          aria-controls={logId}
          onClick={() => setShowLog((shown) => !shown)}
        >
          {showLog ? t('webhooks.actions.hideLog') : t('webhooks.actions.showLog')}
        </button>
        <button
          type="button"
          className={buttonClass('secondary', 'sm')}
          disabled={test.isPending || !endpoint.enabled}
          aria-label={t('webhooks.actions.testFor', { name })}
          onClick={() =>
            test.mutate(endpoint.id, {
              onSuccess: () => {
                toast.success(t('webhooks.toast.testQueued'));
                setShowLog(true);
              },
            })
          }
        >
          {t('webhooks.actions.test')}
        </button>
        <button
          type="button"
          className={buttonClass('secondary', 'sm')}
          aria-label={t('webhooks.actions.editFor', { name })}
          onClick={() => onAction({ kind: 'edit', endpoint })}
        >
          {t('webhooks.actions.edit')}
        </button>
        <button
          type="button"
          className={buttonClass('secondary', 'sm')}
          disabled={update.isPending}
          aria-label={
            endpoint.enabled ? t('webhooks.actions.turnOffFor', { name }) : t('webhooks.actions.turnOnFor', { name })
          }
          onClick={toggle}
        >
          {endpoint.enabled ? t('webhooks.actions.turnOff') : t('webhooks.actions.turnOn')}
        </button>
        <button
          type="button"
          className={buttonClass('secondary', 'sm')}
          aria-label={t('webhooks.actions.rotateFor', { name })}
          onClick={() => onAction({ kind: 'rotate', endpoint })}
        >
          {t('webhooks.actions.rotate')}
        </button>
        <button
          type="button"
          className={buttonClass('danger', 'sm')}
          aria-label={t('webhooks.actions.deleteFor', { name })}
          onClick={() => onAction({ kind: 'delete', endpoint })}
        >
          {t('webhooks.actions.delete')}
        </button>
      </div>
      <Refusal error={test.error ?? update.error} />
      <div id={logId} hidden={!showLog}>
        {showLog && <DeliveryLog endpoint={endpoint} />}
      </div>
    </li>
  );
}

function StatusBadge({ endpoint }: { endpoint: WebhookEndpoint }) {
  const t = useTranslations();
  const label = endpoint.enabled
    ? t('webhooks.status.on')
    : endpoint.disabledReason === 'gone'
      ? t('webhooks.status.gone')
      : t('webhooks.status.off');
  return (
    <span
      className={cx(
        'inline-block shrink-0 rounded px-1.5 py-0.5 text-xs font-medium',
        endpoint.enabled
          ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200'
          : 'bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200',
      )}
    >
      {label}
    </span>
  );
}

/** A server refusal in words, where the action was started. */
function Refusal({ error }: { error: unknown }) {
  const summary = useErrorSummary();
  if (!error) return null;
  return (
    <p
      role="alert"
      className="mt-2 rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
    >
      {summary(error).message}
    </p>
  );
}

/** Address, note and event filter: the add and edit dialogs share them. */
function EndpointFieldset({
  fields,
  onChange,
  disabled,
  urlError,
}: {
  fields: EndpointFields;
  onChange: (fields: EndpointFields) => void;
  disabled: boolean;
  urlError?: string;
}) {
  const t = useTranslations();
  const hintId = useId();
  const errorId = useId();
  const toggle = (type: EndpointFields['eventTypes'][number], on: boolean) =>
    onChange({
      ...fields,
      eventTypes: on ? [...fields.eventTypes, type] : fields.eventTypes.filter((chosen) => chosen !== type),
    });
  return (
    <>
      <label className={labelClass}>
        {t('webhooks.fields.url')}
        <input
          className={cx(inputClass, 'font-mono')}
          type="url"
          required
          maxLength={2000}
          inputMode="url"
          autoComplete="off"
          value={fields.url}
          disabled={disabled}
          aria-describedby={urlError ? `${hintId} ${errorId}` : hintId}
          aria-invalid={urlError ? true : undefined}
          onChange={(event) => onChange({ ...fields, url: event.target.value })}
        />
        <span id={hintId} className="text-xs font-normal text-zinc-600 dark:text-zinc-400">
          {t('webhooks.fields.urlHint')}
        </span>
        {urlError && (
          <span id={errorId} className="text-xs font-normal text-red-700 dark:text-red-300">
            {urlError}
          </span>
        )}
      </label>
      <label className={labelClass}>
        {t('webhooks.fields.description')}
        <input
          className={inputClass}
          maxLength={200}
          value={fields.description}
          disabled={disabled}
          onChange={(event) => onChange({ ...fields, description: event.target.value })}
        />
      </label>
      <fieldset className="space-y-1.5" disabled={disabled}>
        <legend className="text-sm font-medium">{t('webhooks.fields.events')}</legend>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">{t('webhooks.fields.eventsHint')}</p>
        <div className="grid gap-1 sm:grid-cols-2">
          {webhookEventTypes.map((type) => (
            <label key={type} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-1"
                checked={fields.eventTypes.includes(type)}
                onChange={(event) => toggle(type, event.target.checked)}
              />
              <span className="min-w-0">
                {t(eventLabels[type])}{' '}
                <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{type}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
    </>
  );
}

/** The URL field's own refusal (the SSRF guard's sentence), when the server gave one. */
function urlErrorOf(error: unknown): string | undefined {
  const details = (error as { details?: { fieldErrors?: Record<string, string[]> } } | null)?.details;
  return details?.fieldErrors?.url?.[0];
}

/** The secret, once, with how to check signatures: after adding an endpoint and after a rotation. */
function SecretOnce({ secret, explain }: { secret: string; explain: string }) {
  const t = useTranslations();
  const id = useId();
  return (
    <div className="space-y-3">
      <p>{explain}</p>
      <SecretValue id={id} label={t('webhooks.secret.label')} value={secret} />
      <p
        role="alert"
        className="rounded-md border border-amber-300 bg-amber-50 p-2 text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-50"
      >
        {t('webhooks.secret.shownOnce')}
      </p>
    </div>
  );
}

function AddEndpointDialog({ onClose }: { onClose: () => void }) {
  const t = useTranslations();
  const create = useCreateWebhookEndpoint();
  const [fields, setFields] = useState<EndpointFields>({ url: '', description: '', eventTypes: [] });
  const [secret, setSecret] = useState<string | null>(null);
  const formId = useId();
  const busy = create.isPending;

  if (secret) {
    return (
      <Dialog
        title={t('webhooks.add.createdTitle')}
        onClose={onClose}
        footer={
          <button type="button" className={buttonClass('primary')} onClick={onClose}>
            {t('webhooks.add.done')}
          </button>
        }
      >
        <SecretOnce secret={secret} explain={t('webhooks.add.created')} />
      </Dialog>
    );
  }

  const urlError = urlErrorOf(create.error);
  return (
    <Dialog
      title={t('webhooks.add.title')}
      onClose={onClose}
      busy={busy}
      size="lg"
      footer={
        <>
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={formId} className={buttonClass('primary')} disabled={busy}>
            {t('webhooks.add.submit')}
          </button>
        </>
      }
    >
      <form
        id={formId}
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(fields, { onSuccess: (created) => setSecret(created.secret) });
        }}
      >
        <EndpointFieldset fields={fields} onChange={setFields} disabled={busy} urlError={urlError} />
        {!urlError && <Refusal error={create.error} />}
      </form>
    </Dialog>
  );
}

function EditEndpointDialog({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) {
  const t = useTranslations();
  const update = useUpdateWebhookEndpoint();
  const [fields, setFields] = useState<EndpointFields>({
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
  });
  const formId = useId();
  const busy = update.isPending;
  const urlError = urlErrorOf(update.error);
  return (
    <Dialog
      title={t('webhooks.edit.title')}
      onClose={onClose}
      busy={busy}
      size="lg"
      footer={
        <>
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={formId} className={buttonClass('primary')} disabled={busy}>
            {t('webhooks.edit.save')}
          </button>
        </>
      }
    >
      <form
        id={formId}
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate(
            { endpointId: endpoint.id, ...fields },
            {
              onSuccess: () => {
                toast.success(t('webhooks.toast.saved'));
                onClose();
              },
            },
          );
        }}
      >
        <EndpointFieldset fields={fields} onChange={setFields} disabled={busy} urlError={urlError} />
        {!urlError && <Refusal error={update.error} />}
      </form>
    </Dialog>
  );
}

function RotateSecretDialog({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) {
  const t = useTranslations();
  const rotate = useRotateWebhookSecret();
  const [secret, setSecret] = useState<string | null>(null);
  const busy = rotate.isPending;
  if (secret) {
    return (
      <Dialog
        title={t('webhooks.rotate.doneTitle')}
        onClose={onClose}
        footer={
          <button type="button" className={buttonClass('primary')} onClick={onClose}>
            {t('webhooks.add.done')}
          </button>
        }
      >
        <SecretOnce secret={secret} explain={t('webhooks.rotate.done')} />
      </Dialog>
    );
  }
  return (
    <Dialog
      title={t('webhooks.rotate.title')}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={buttonClass('danger')}
            disabled={busy}
            onClick={() => rotate.mutate(endpoint.id, { onSuccess: (rotated) => setSecret(rotated.secret) })}
          >
            {t('webhooks.rotate.confirm')}
          </button>
        </>
      }
    >
      <div className="space-y-3">
        <p className="break-all font-mono text-sm">{endpoint.url}</p>
        <p>{t('webhooks.rotate.body')}</p>
        <Refusal error={rotate.error} />
      </div>
    </Dialog>
  );
}

function DeleteEndpointDialog({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) {
  const t = useTranslations();
  const remove = useDeleteWebhookEndpoint();
  const busy = remove.isPending;
  return (
    <Dialog
      title={t('webhooks.delete.title')}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={buttonClass('danger')}
            disabled={busy}
            onClick={() =>
              remove.mutate(endpoint.id, {
                onSuccess: () => {
                  toast.success(t('webhooks.toast.deleted'));
                  onClose();
                },
              })
            }
          >
            {t('webhooks.delete.confirm')}
          </button>
        </>
      }
    >
      <div className="space-y-3">
        <p className="break-all font-mono text-sm">{endpoint.url}</p>
        <p>{t('webhooks.delete.body', { pending: endpoint.pending })}</p>
        <Refusal error={remove.error} />
      </div>
    </Dialog>
  );
}
