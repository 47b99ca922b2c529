'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { useClients } from '@/components/data/clients';
import {
  useChangeGrant,
  useCreateStaff,
  useEndStaffSessions,
  useResetSecondFactor,
  useSetStaffDisabled,
  useStaff,
  type StaffCreated,
} from '@/components/data/staff';
import { AdminLinks } from '@/components/shell/admin-links';
import { buttonClass, inputClass } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { Dialog } from '@/components/ui/dialog';
import { SecretValue } from '@/components/ui/secret-value';
import { EmptyState, ErrorState, Refusal, SkeletonRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { toast } from '@/components/ui/toast';
import type { Role } from '@/lib/roles';
import type { Client } from '@/lib/schemas';
import type { ClientScope, StaffMember } from '@/lib/schemas/staff';

// lib/roles itself builds zod schemas, so the browser lists the roles here (type-checked against it).
const roles = ['viewer', 'support', 'lead', 'admin'] as const satisfies readonly Role[];

const roleLabels = {
  viewer: 'shell.role.viewer',
  support: 'shell.role.support',
  lead: 'shell.role.lead',
  admin: 'shell.role.admin',
} as const;

type Action = { kind: 'access' | 'disable' | 'enable' | 'sessions' | 'secondFactor'; member: StaffMember };

const labelClass = 'flex flex-col gap-1 text-sm font-medium';
const cellClass = 'px-2 py-2 align-top';

/** A client's name for people (its id when it has none). */
function clientName(clientId: string, byId: ReadonlyMap<string, Client>): string {
  const client = byId.get(clientId);
  return client?.clientName || client?.clientIdAlias || clientId;
}

/** The staff page: everyone with an account, their access in this service, and the admin's actions on them. */
export function StaffPage() {
  const t = useTranslations();
  const staff = useStaff();
  const clients = useClients();
  const [adding, setAdding] = useState(false);
  const [action, setAction] = useState<Action | null>(null);
  const captionId = useId();
  const people = staff.data?.staff ?? [];

  const scopeText = (scope: ClientScope) =>
    scope.kind === 'all'
      ? t('staff.scope.all')
      : scope.clientIds.map((clientId) => clientName(clientId, clients.byId)).join(', ');

  return (
    <div className="space-y-4">
      <AdminLinks />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <h1 className="text-xl font-semibold">{t('staff.title')}</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('staff.intro')}</p>
        </div>
        <button type="button" className={buttonClass('primary')} onClick={() => setAdding(true)}>
          {t('staff.add.open')}
        </button>
      </div>

      {staff.error ? (
        <ErrorState error={staff.error} onRetry={() => void staff.refetch()} />
      ) : !staff.isPending && people.length === 0 ? (
        <EmptyState title={t('staff.empty')} />
      ) : (
        // Eight columns do not fit a phone: the table scrolls inside its own box, never the page.
        <div
          role="region"
          aria-labelledby={captionId}
          tabIndex={0}
          className="relative max-w-full overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
        >
          <table className="w-full min-w-[56rem] text-left text-sm">
            <caption id={captionId} className="sr-only">
              {t('staff.table.caption')}
            </caption>
            <thead className="bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className={cellClass}>
                  {t('staff.table.name')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('staff.table.email')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('staff.table.role')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('staff.table.scope')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('staff.table.lastSignIn')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('staff.table.sessions')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('staff.table.secondFactor')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('staff.table.status')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('staff.table.actions')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {staff.isPending ? (
                <SkeletonRows rows={4} columns={9} />
              ) : (
                people.map((member) => (
                  <tr key={member.id}>
                    <th scope="row" className={cx(cellClass, 'font-medium')}>
                      {member.name}
                    </th>
                    <td className={cx(cellClass, 'break-all')}>{member.email}</td>
                    <td className={cellClass}>{t(roleLabels[member.role])}</td>
                    <td className={cx(cellClass, 'max-w-64')}>{scopeText(member.scope)}</td>
                    <td className={cellClass}>
                      {member.lastSignInAt === null ? t('staff.table.never') : <Time ms={member.lastSignInAt} />}
                    </td>
                    <td className={cx(cellClass, 'tabular-nums')}>{member.activeSessions}</td>
                    <td className={cellClass}>
                      {member.secondFactor || member.passkeys > 0
                        ? [
                            member.secondFactor ? t('staff.secondFactor.on') : '',
                            member.passkeys > 0 ? t('staff.secondFactor.passkeys', { count: member.passkeys }) : '',
                          ]
                            .filter(Boolean)
                            .join(t('staff.secondFactor.separator'))
                        : member.methods.includes('password')
                          ? t('staff.secondFactor.off')
                          : t('staff.secondFactor.sso')}
                    </td>
                    <td className={cellClass}>
                      <span
                        className={cx(
                          'inline-block rounded px-1.5 py-0.5 text-xs font-medium',
                          member.disabled
                            ? 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200'
                            : 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
                        )}
                      >
                        {member.disabled ? t('staff.status.disabled') : t('staff.status.active')}
                      </span>
                    </td>
                    <td className={cellClass}>
                      <div className="flex flex-wrap gap-1">
                        <button
                          type="button"
                          className={buttonClass('secondary', 'sm')}
                          aria-label={t('staff.actions.accessFor', { name: member.name })}
                          onClick={() => setAction({ kind: 'access', member })}
                        >
                          {t('staff.actions.access')}
                        </button>
                        <button
                          type="button"
                          className={buttonClass('secondary', 'sm')}
                          aria-label={
                            member.disabled
                              ? t('staff.actions.enableFor', { name: member.name })
                              : t('staff.actions.disableFor', { name: member.name })
                          }
                          onClick={() => setAction({ kind: member.disabled ? 'enable' : 'disable', member })}
                        >
                          {member.disabled ? t('staff.actions.enable') : t('staff.actions.disable')}
                        </button>
                        <button
                          type="button"
                          className={buttonClass('secondary', 'sm')}
                          aria-label={t('staff.actions.endSessionsFor', { name: member.name })}
                          disabled={member.activeSessions === 0}
                          onClick={() => setAction({ kind: 'sessions', member })}
                        >
                          {t('staff.actions.endSessions')}
                        </button>
                        {(member.secondFactor || member.passkeys > 0) && (
                          <button
                            type="button"
                            className={buttonClass('secondary', 'sm')}
                            aria-label={t('staff.actions.resetSecondFactorFor', { name: member.name })}
                            onClick={() => setAction({ kind: 'secondFactor', member })}
                          >
                            {t('staff.actions.resetSecondFactor')}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}

      {adding && <AddPersonDialog clients={clients.data?.clients ?? []} onClose={() => setAdding(false)} />}
      {action?.kind === 'access' && (
        <AccessDialog member={action.member} clients={clients.data?.clients ?? []} onClose={() => setAction(null)} />
      )}
      {(action?.kind === 'disable' || action?.kind === 'enable') && (
        <StatusDialog member={action.member} disable={action.kind === 'disable'} onClose={() => setAction(null)} />
      )}
      {action?.kind === 'sessions' && <EndSessionsDialog member={action.member} onClose={() => setAction(null)} />}
      {action?.kind === 'secondFactor' && (
        <ResetSecondFactorDialog member={action.member} onClose={() => setAction(null)} />
      )}
    </div>
  );
}

/** A server refusal (own account, last admin, a taken email) in words, inside the dialog that caused it. */
/** Role and scope, as one grant: the add dialog and the access dialog share it. */
function GrantFields({
  role,
  onRole,
  scope,
  onScope,
  clients,
  disabled,
}: {
  role: Role;
  onRole: (role: Role) => void;
  scope: ClientScope;
  onScope: (scope: ClientScope) => void;
  clients: readonly Client[];
  disabled: boolean;
}) {
  const t = useTranslations();
  const chosen = scope.kind === 'clients' ? scope.clientIds : [];
  const toggle = (clientId: string, on: boolean) =>
    onScope({
      kind: 'clients',
      clientIds: on ? [...chosen, clientId] : chosen.filter((chosenId) => chosenId !== clientId),
    });
  return (
    <>
      <label className={labelClass}>
        {t('staff.fields.role')}
        <select
          className={inputClass}
          value={role}
          disabled={disabled}
          onChange={(event) => onRole(roles.find((known) => known === event.target.value) ?? 'viewer')}
        >
          {roles.map((known) => (
            <option key={known} value={known}>
              {t(roleLabels[known])}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="space-y-1.5" disabled={disabled}>
        <legend className="text-sm font-medium">{t('staff.fields.scope')}</legend>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="scope-kind"
            checked={scope.kind === 'all'}
            onChange={() => onScope({ kind: 'all' })}
          />
          {t('staff.scope.all')}
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="scope-kind"
            checked={scope.kind === 'clients'}
            onChange={() => onScope({ kind: 'clients', clientIds: chosen })}
          />
          {t('staff.scope.some')}
        </label>
        {scope.kind === 'clients' && (
          <fieldset className="ml-6 max-h-48 space-y-1 overflow-y-auto rounded-md border border-zinc-200 p-2 dark:border-zinc-700">
            <legend className="sr-only">{t('staff.fields.clients')}</legend>
            {clients.length === 0 && <p className="text-xs text-zinc-600 dark:text-zinc-400">{t('staff.noClients')}</p>}
            {clients.map((client) => (
              <label key={client.clientId} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={chosen.includes(client.clientId)}
                  onChange={(event) => toggle(client.clientId, event.target.checked)}
                />
                <span className="min-w-0 break-words">
                  {client.clientName || client.clientIdAlias || client.clientId}{' '}
                  <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{client.clientId}</span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
      </fieldset>
    </>
  );
}

/**
 * Adds a person. The initial password is in the mutation's answer only (never the query cache):
 * shown once here, gone when the dialog closes.
 */
function AddPersonDialog({ clients, onClose }: { clients: readonly Client[]; onClose: () => void }) {
  const t = useTranslations();
  const create = useCreateStaff();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [scope, setScope] = useState<ClientScope>({ kind: 'all' });
  const [created, setCreated] = useState<StaffCreated | null>(null);
  const formId = useId();
  const busy = create.isPending;

  if (created) {
    return (
      <Dialog
        title={t('staff.add.createdTitle')}
        onClose={onClose}
        footer={
          <button type="button" className={buttonClass('primary')} onClick={onClose}>
            {t('staff.add.done')}
          </button>
        }
      >
        <div className="space-y-3">
          <p>{t('staff.add.created', { name: created.member.name, email: created.member.email })}</p>
          <SecretValue id={`${formId}-password`} label={t('staff.add.password')} value={created.initialPassword} />
          <p
            role="alert"
            className="rounded-md border border-amber-300 bg-amber-50 p-2 text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-50"
          >
            {t('staff.add.shownOnce')}
          </p>
        </div>
      </Dialog>
    );
  }

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    create.mutate({ name, email, role, scope }, { onSuccess: setCreated });
  };

  return (
    <Dialog
      title={t('staff.add.title')}
      onClose={onClose}
      busy={busy}
      size="lg"
      footer={
        <>
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={formId} className={buttonClass('primary')} disabled={busy}>
            {t('staff.add.submit')}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="space-y-3">
        <label className={labelClass}>
          {t('staff.fields.name')}
          <input
            className={inputClass}
            required
            maxLength={200}
            value={name}
            disabled={busy}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <label className={labelClass}>
          {t('staff.fields.email')}
          <input
            className={inputClass}
            type="email"
            required
            maxLength={320}
            autoComplete="off"
            value={email}
            disabled={busy}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <GrantFields role={role} onRole={setRole} scope={scope} onScope={setScope} clients={clients} disabled={busy} />
        <Refusal error={create.error} />
      </form>
    </Dialog>
  );
}

/** Changes a person's role and client scope, confirmed by saving. */
function AccessDialog({
  member,
  clients,
  onClose,
}: {
  member: StaffMember;
  clients: readonly Client[];
  onClose: () => void;
}) {
  const t = useTranslations();
  const change = useChangeGrant();
  const [role, setRole] = useState<Role>(member.role);
  const [scope, setScope] = useState<ClientScope>(member.scope);
  const busy = change.isPending;
  const save = () =>
    change.mutate(
      { userId: member.id, role, scope },
      {
        onSuccess: () => {
          toast.success(t('staff.toast.accessChanged', { name: member.name }));
          onClose();
        },
      },
    );
  return (
    <Dialog
      title={t('staff.access.title', { name: member.name })}
      onClose={onClose}
      busy={busy}
      size="lg"
      footer={
        <>
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="button" className={buttonClass('primary')} onClick={save} disabled={busy}>
            {t('staff.access.save')}
          </button>
        </>
      }
    >
      <div className="space-y-3">
        <p className="text-zinc-600 dark:text-zinc-400">{t('staff.access.explain')}</p>
        <GrantFields role={role} onRole={setRole} scope={scope} onScope={setScope} clients={clients} disabled={busy} />
        <Refusal error={change.error} />
      </div>
    </Dialog>
  );
}

/** A yes/no question before an action on a person, with the server's refusal when there is one. */
function ConfirmDialog({
  title,
  body,
  confirm,
  danger,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  body: string;
  confirm: string;
  danger: boolean;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const t = useTranslations();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={buttonClass(danger ? 'danger' : 'primary')}
            onClick={onConfirm}
            disabled={busy}
          >
            {confirm}
          </button>
        </>
      }
    >
      <div className="space-y-3">
        <p>{body}</p>
        <Refusal error={error} />
      </div>
    </Dialog>
  );
}

function StatusDialog({ member, disable, onClose }: { member: StaffMember; disable: boolean; onClose: () => void }) {
  const t = useTranslations();
  const status = useSetStaffDisabled();
  return (
    <ConfirmDialog
      title={disable ? t('staff.disable.title', { name: member.name }) : t('staff.enable.title', { name: member.name })}
      body={disable ? t('staff.disable.body') : t('staff.enable.body')}
      confirm={disable ? t('staff.disable.confirm') : t('staff.enable.confirm')}
      danger={disable}
      busy={status.isPending}
      error={status.error}
      onClose={onClose}
      onConfirm={() =>
        status.mutate(
          { userId: member.id, disabled: disable },
          {
            onSuccess: () => {
              toast.success(
                disable
                  ? t('staff.toast.disabled', { name: member.name })
                  : t('staff.toast.enabled', { name: member.name }),
              );
              onClose();
            },
          },
        )
      }
    />
  );
}

function EndSessionsDialog({ member, onClose }: { member: StaffMember; onClose: () => void }) {
  const t = useTranslations();
  const end = useEndStaffSessions();
  return (
    <ConfirmDialog
      title={t('staff.sessions.title', { name: member.name })}
      body={t('staff.sessions.body', { count: member.activeSessions })}
      confirm={t('staff.sessions.confirm')}
      danger
      busy={end.isPending}
      error={end.error}
      onClose={onClose}
      onConfirm={() =>
        end.mutate(member.id, {
          onSuccess: ({ count }) => {
            toast.success(t('staff.toast.sessionsEnded', { name: member.name, count }));
            onClose();
          },
        })
      }
    />
  );
}

function ResetSecondFactorDialog({ member, onClose }: { member: StaffMember; onClose: () => void }) {
  const t = useTranslations();
  const reset = useResetSecondFactor();
  return (
    <ConfirmDialog
      title={t('staff.resetSecondFactor.title', { name: member.name })}
      body={t('staff.resetSecondFactor.body')}
      confirm={t('staff.resetSecondFactor.confirm')}
      danger
      busy={reset.isPending}
      error={reset.error}
      onClose={onClose}
      onConfirm={() =>
        reset.mutate(member.id, {
          onSuccess: () => {
            toast.success(t('staff.toast.secondFactorReset', { name: member.name }));
            onClose();
          },
        })
      }
    />
  );
}
