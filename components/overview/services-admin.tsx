'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import {
  useCreateStoredService,
  useDeleteStoredService,
  useDiscoverServices,
  useManagedServices,
  useTestConnection,
  useUpdateStoredService,
  type ConnectionTestResult,
} from '@/components/data/overview';
import { buttonClass, inputClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState, Refusal } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import type { DiscoveredService, ManagedService, StoredServiceInput, StoredServiceUpdate } from '@/lib/schemas/service';

const labelClass = 'flex flex-col gap-1 text-sm font-medium';
const hintClass = 'text-xs font-normal text-zinc-500 dark:text-zinc-400';
const environments = ['production', 'staging', 'development'] as const;

/** What the add form starts from: empty, or a discovered service (name, id, cluster). */
interface Draft {
  slug: string;
  name: string;
  environment: (typeof environments)[number];
  apiVersion: 2 | 3;
  baseUrl: string;
  serviceId: string;
}

const emptyDraft: Draft = {
  slug: '',
  name: '',
  environment: 'production',
  apiVersion: 3,
  baseUrl: 'https://us.authlete.com',
  serviceId: '',
};

/** "Brand EU (prod)" → "brand-eu-prod": a URL segment the person can still change. */
function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

type Dialogs =
  | { kind: 'add'; draft: Draft }
  | { kind: 'edit'; service: ManagedService }
  | { kind: 'delete'; service: ManagedService }
  | { kind: 'discover' }
  | null;

/**
 * Admins: the services from the configuration (read-only) and those stored in the app, with add,
 * edit, disable and delete (each asks for step-up on the server), and discovery with a 3.x
 * organization token. Without ENCRYPTION_KEY it says how to enable storing services.
 */
export function ServicesAdmin() {
  const t = useTranslations();
  const query = useManagedServices();
  const update = useUpdateStoredService();
  const [dialog, setDialog] = useState<Dialogs>(null);
  const close = () => setDialog(null);

  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return null;
  const { storable, services } = query.data;

  return (
    <section aria-labelledby="manage-services" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="manage-services" className="text-base font-semibold">
          {t('services.manage.heading')}
        </h2>
        {storable && (
          <div className="flex flex-wrap gap-2">
            <button type="button" className={buttonClass('secondary')} onClick={() => setDialog({ kind: 'discover' })}>
              {t('services.manage.discover')}
            </button>
            <button
              type="button"
              className={buttonClass('primary')}
              onClick={() => setDialog({ kind: 'add', draft: emptyDraft })}
            >
              {t('services.manage.add')}
            </button>
          </div>
        )}
      </div>
      {!storable && (
        <p className="rounded-md border border-zinc-200 bg-zinc-50 p-2 text-sm dark:border-zinc-800 dark:bg-zinc-900">
          {t('services.manage.environmentOnly')}
        </p>
      )}
      <Refusal error={update.error} />
      <div className="overflow-x-auto" role="region" aria-labelledby="manage-services" tabIndex={0}>
        <table className="w-full text-left text-sm" aria-labelledby="manage-services">
          <thead>
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              {(
                [
                  'services.service',
                  'services.manage.source',
                  'services.environment',
                  'services.apiVersion',
                  'services.manage.baseUrl',
                  'services.manage.actions',
                ] as const
              ).map((column) => (
                <th key={column} scope="col" className="px-2 py-1 font-medium">
                  {t(column)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {services.map((service) => (
              <tr key={service.slug} className="border-b border-zinc-100 align-top dark:border-zinc-900">
                <th scope="row" className="px-2 py-1 font-normal">
                  {service.name}
                  <span className="block font-mono text-xs text-zinc-500 dark:text-zinc-400">{service.slug}</span>
                </th>
                <td className="px-2 py-1">
                  {service.source === 'configuration'
                    ? t('services.manage.fromConfiguration')
                    : service.disabled
                      ? t('services.manage.storedDisabled')
                      : t('services.manage.stored')}
                </td>
                <td className="px-2 py-1">{service.environment}</td>
                <td className="px-2 py-1">{service.apiVersion}.x</td>
                <td className="px-2 py-1 font-mono text-xs break-all">{service.baseUrl}</td>
                <td className="px-2 py-1">
                  {service.source === 'configuration' ? (
                    <span className="text-zinc-500 dark:text-zinc-400">{t('services.manage.readOnly')}</span>
                  ) : (
                    <div className="flex flex-wrap gap-1">
                      <button
                        type="button"
                        className={buttonClass('secondary', 'sm')}
                        aria-label={t('services.manage.editLabel', { name: service.name })}
                        onClick={() => setDialog({ kind: 'edit', service })}
                      >
                        {t('services.manage.edit')}
                      </button>
                      <button
                        type="button"
                        className={buttonClass('secondary', 'sm')}
                        disabled={update.isPending}
                        onClick={() =>
                          update.mutate(
                            { slug: service.slug, update: { disabled: !service.disabled } },
                            {
                              onSuccess: () =>
                                toast.success(
                                  t(service.disabled ? 'services.manage.enabled' : 'services.manage.disabled', {
                                    name: service.name,
                                  }),
                                ),
                            },
                          )
                        }
                      >
                        {service.disabled ? t('services.manage.enable') : t('services.manage.disable')}
                      </button>
                      <button
                        type="button"
                        className={buttonClass('danger', 'sm')}
                        aria-label={t('services.manage.deleteLabel', { name: service.name })}
                        onClick={() => setDialog({ kind: 'delete', service })}
                      >
                        {t('services.manage.delete')}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {dialog?.kind === 'add' && <ServiceFormDialog draft={dialog.draft} onClose={close} />}
      {dialog?.kind === 'edit' && <ServiceFormDialog existing={dialog.service} onClose={close} />}
      {dialog?.kind === 'delete' && <DeleteDialog service={dialog.service} onClose={close} />}
      {dialog?.kind === 'discover' && (
        <DiscoverDialog onClose={close} onPick={(draft) => setDialog({ kind: 'add', draft })} />
      )}
    </section>
  );
}

/** Add (from a draft) or edit (an existing stored service: credentials write-only, blank keeps them). */
function ServiceFormDialog({
  draft,
  existing,
  onClose,
}: {
  draft?: Draft;
  existing?: ManagedService;
  onClose: () => void;
}) {
  const t = useTranslations();
  const formId = useId();
  const create = useCreateStoredService();
  const update = useUpdateStoredService();
  const test = useTestConnection();
  const start = existing ?? draft ?? emptyDraft;
  const [slug, setSlug] = useState(start.slug);
  const [slugTouched, setSlugTouched] = useState(Boolean(start.slug));
  const [name, setName] = useState(start.name);
  const [environment, setEnvironment] = useState<Draft['environment']>(start.environment);
  const [apiVersion, setApiVersion] = useState<2 | 3>(start.apiVersion);
  const [baseUrl, setBaseUrl] = useState(start.baseUrl);
  const [serviceId, setServiceId] = useState(start.serviceId);
  const [secret, setSecret] = useState('');
  const [tested, setTested] = useState<ConnectionTestResult | null>(null);
  const busy = create.isPending || update.isPending || test.isPending;
  const versionChanged = existing !== undefined && apiVersion !== existing.apiVersion;

  const credentials = () =>
    apiVersion === 3 ? { apiVersion: 3 as const, accessToken: secret } : { apiVersion: 2 as const, apiSecret: secret };
  const input = (): StoredServiceInput => ({ slug, name, environment, baseUrl, serviceId, credentials: credentials() });
  const edit = (): StoredServiceUpdate => ({
    name,
    environment,
    baseUrl,
    serviceId,
    ...(secret ? { credentials: credentials() } : {}),
  });
  const missingSecret = (existing === undefined || versionChanged) && !secret;

  const runTest = () => {
    setTested(null);
    test.mutate(existing ? { slug: existing.slug, update: edit() } : { input: input() }, { onSuccess: setTested });
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const done = () => {
      toast.success(t(existing ? 'services.manage.saved' : 'services.manage.added', { name }));
      onClose();
    };
    if (existing) update.mutate({ slug: existing.slug, update: edit() }, { onSuccess: done });
    else create.mutate(input(), { onSuccess: done });
  };

  return (
    <Dialog
      title={existing ? t('services.manage.editTitle', { name: existing.name }) : t('services.manage.addTitle')}
      onClose={onClose}
      busy={busy}
      size="lg"
      footer={
        <>
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="button" className={buttonClass('secondary')} onClick={runTest} disabled={busy || missingSecret}>
            {test.isPending ? t('services.manage.testing') : t('services.manage.test')}
          </button>
          <button type="submit" form={formId} className={buttonClass('primary')} disabled={busy || missingSecret}>
            {existing ? t('services.manage.save') : t('services.manage.addSubmit')}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="grid gap-3 sm:grid-cols-2">
        <label className={labelClass}>
          {t('services.manage.name')}
          <input
            className={inputClass}
            required
            maxLength={80}
            value={name}
            disabled={busy}
            onChange={(event) => {
              setName(event.target.value);
              if (!existing && !slugTouched) setSlug(slugOf(event.target.value));
            }}
          />
        </label>
        <div className="flex flex-col gap-1">
          <label className={labelClass}>
            {t('services.manage.slug')}
            <input
              aria-describedby={`${formId}-hint-1`}
              className={inputClass}
              required
              pattern="[a-z0-9](?:[a-z0-9\-]{0,38}[a-z0-9])?"
              value={slug}
              disabled={busy || existing !== undefined}
              onChange={(event) => {
                setSlugTouched(true);
                setSlug(event.target.value);
              }}
            />
          </label>
          <span id={`${formId}-hint-1`} className={hintClass}>
            {t('services.manage.slugHint')}
          </span>
        </div>
        <label className={labelClass}>
          {t('services.environment')}
          <select
            className={inputClass}
            value={environment}
            disabled={busy}
            onChange={(event) => setEnvironment(event.target.value as Draft['environment'])}
          >
            {environments.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <label className={labelClass}>
          {t('services.manage.version')}
          <select
            className={inputClass}
            value={apiVersion}
            disabled={busy}
            onChange={(event) => setApiVersion(Number(event.target.value) as 2 | 3)}
          >
            <option value={3}>{t('services.manage.version3')}</option>
            <option value={2}>{t('services.manage.version2')}</option>
          </select>
        </label>
        <div className="flex flex-col gap-1 sm:col-span-2">
          <label className={labelClass}>
            {t('services.manage.baseUrl')}
            <input
              aria-describedby={`${formId}-hint-url`}
              className={inputClass}
              type="url"
              required
              value={baseUrl}
              disabled={busy}
              onChange={(event) => setBaseUrl(event.target.value)}
            />
          </label>
          <span id={`${formId}-hint-url`} className={hintClass}>
            {t('services.manage.baseUrlHint')}
          </span>
        </div>
        <label className={labelClass}>
          {apiVersion === 3 ? t('services.manage.serviceId') : t('services.manage.apiKey')}
          <input
            className={inputClass}
            required
            inputMode="numeric"
            pattern="\d{1,20}"
            value={serviceId}
            disabled={busy}
            onChange={(event) => setServiceId(event.target.value)}
          />
        </label>
        <div className="flex flex-col gap-1">
          <label className={labelClass}>
            {apiVersion === 3 ? t('services.manage.accessToken') : t('services.manage.apiSecret')}
            <input
              aria-describedby={`${formId}-hint-2`}
              className={inputClass}
              type="password"
              autoComplete="off"
              required={missingSecret}
              minLength={16}
              value={secret}
              disabled={busy}
              onChange={(event) => setSecret(event.target.value)}
            />
          </label>
          <span id={`${formId}-hint-2`} className={hintClass}>
            {existing && !versionChanged ? t('services.manage.secretKeep') : t('services.manage.secretHint')}
          </span>
        </div>
        <div className="sm:col-span-2 space-y-2">
          {tested && (
            <p
              role="status"
              className={
                tested.ok ? 'text-sm text-emerald-700 dark:text-emerald-400' : 'text-sm text-red-700 dark:text-red-400'
              }
            >
              {tested.ok
                ? t('services.manage.testOk', { latency: tested.latencyMs })
                : t('services.manage.testFailed', { error: tested.error })}
            </p>
          )}
          <Refusal error={create.error ?? update.error ?? test.error} />
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog({ service, onClose }: { service: ManagedService; onClose: () => void }) {
  const t = useTranslations();
  const remove = useDeleteStoredService();
  return (
    <Dialog
      title={t('services.manage.deleteTitle', { name: service.name })}
      onClose={onClose}
      busy={remove.isPending}
      footer={
        <>
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={remove.isPending}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={buttonClass('danger')}
            disabled={remove.isPending}
            onClick={() =>
              remove.mutate(service.slug, {
                onSuccess: () => {
                  toast.success(t('services.manage.deleted', { name: service.name }));
                  onClose();
                },
              })
            }
          >
            {t('services.manage.delete')}
          </button>
        </>
      }
    >
      <div className="space-y-3">
        <p>{t('services.manage.deleteBody', { name: service.name })}</p>
        <Refusal error={remove.error} />
      </div>
    </Dialog>
  );
}

/** A 3.x organization token (used once, never stored) lists the organization's services to add. */
function DiscoverDialog({ onClose, onPick }: { onClose: () => void; onPick: (draft: Draft) => void }) {
  const t = useTranslations();
  const formId = useId();
  const discover = useDiscoverServices();
  const [baseUrl, setBaseUrl] = useState(emptyDraft.baseUrl);
  const [organizationToken, setOrganizationToken] = useState('');
  const found: DiscoveredService[] | undefined = discover.data?.services;
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    discover.mutate({ baseUrl, organizationToken });
  };
  return (
    <Dialog
      title={t('services.manage.discoverTitle')}
      onClose={onClose}
      busy={discover.isPending}
      size="lg"
      footer={
        <>
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={discover.isPending}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={formId} className={buttonClass('primary')} disabled={discover.isPending}>
            {discover.isPending ? t('services.manage.discovering') : t('services.manage.discoverSubmit')}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="space-y-3">
        <p className="text-sm">{t('services.manage.discoverIntro')}</p>
        <label className={labelClass}>
          {t('services.manage.baseUrl')}
          <input
            className={inputClass}
            type="url"
            required
            value={baseUrl}
            disabled={discover.isPending}
            onChange={(event) => setBaseUrl(event.target.value)}
          />
        </label>
        <div className="flex flex-col gap-1">
          <label className={labelClass}>
            {t('services.manage.organizationToken')}
            <input
              aria-describedby={`${formId}-hint-3`}
              className={inputClass}
              type="password"
              autoComplete="off"
              required
              minLength={16}
              value={organizationToken}
              disabled={discover.isPending}
              onChange={(event) => setOrganizationToken(event.target.value)}
            />
          </label>
          <span id={`${formId}-hint-3`} className={hintClass}>
            {t('services.manage.organizationTokenHint')}
          </span>
        </div>
        <Refusal error={discover.error} />
      </form>
      {found && (
        <div className="mt-3 space-y-2" role="status">
          <p className="text-sm">{t('services.manage.discovered', { count: found.length })}</p>
          <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
            {found.map((service) => (
              <li key={service.serviceId} className="flex flex-wrap items-center justify-between gap-2 py-1">
                <span>
                  {service.name}
                  <span className="ml-2 font-mono text-xs text-zinc-500 dark:text-zinc-400">{service.serviceId}</span>
                </span>
                {service.alreadyAdded ? (
                  <span className="text-xs text-zinc-500 dark:text-zinc-400">
                    {t('services.manage.alreadyAdded', { slug: service.alreadyAdded })}
                  </span>
                ) : (
                  <button
                    type="button"
                    className={buttonClass('secondary', 'sm')}
                    aria-label={t('services.manage.addDiscovered', { name: service.name })}
                    onClick={() =>
                      onPick({
                        ...emptyDraft,
                        slug: slugOf(service.name),
                        name: service.name,
                        serviceId: service.serviceId,
                        baseUrl,
                      })
                    }
                  >
                    {t('services.manage.add')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Dialog>
  );
}
