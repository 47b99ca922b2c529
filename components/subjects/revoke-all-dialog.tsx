'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { buttonClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/states';
import { CancelAndConfirm, ReasonField, RevokeVersusDelete } from '@/components/tokens/action-dialogs';
import { TypedSubjectField } from './typed-subject-field';
import { useRevokeAll } from '@/components/data/subjects';

interface RevokeAllDialogProps {
  subject: string;
  /** Only this client's tokens; all of the user's tokens when absent. */
  client?: { clientId: string; label: string };
  /** What the view shows now: the blast radius. */
  tokenCount: number;
  clientCount: number;
  onClose: () => void;
}

/**
 * "Revoke all for this user / client": shows the blast radius, requires a reason (audited) and the
 * subject typed again, then shows the count Authlete reports.
 */
export function RevokeAllDialog({ subject, client, tokenCount, clientCount, onClose }: RevokeAllDialogProps) {
  const t = useTranslations();
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const revokeAll = useRevokeAll(subject);
  const busy = revokeAll.isPending;
  const ready = reason.trim().length > 0 && typed === subject;

  function revoke() {
    revokeAll.mutate({ clientId: client?.clientId, reason });
  }

  if (revokeAll.isSuccess) {
    const { count } = revokeAll.data;
    return (
      <Dialog
        title={t('subjects.revokeAll.doneTitle')}
        onClose={onClose}
        footer={
          <button type="button" className={buttonClass('primary')} onClick={onClose} data-autofocus>
            {t('tokens.dialogs.done')}
          </button>
        }
      >
        <p role="status" className="text-base">
          {client
            ? t.rich('subjects.revokeAll.reportClient', {
                count,
                subject,
                client: client.label,
                strong: (chunks) => <strong>{chunks}</strong>,
              })
            : t.rich('subjects.revokeAll.reportUser', {
                count,
                subject,
                strong: (chunks) => <strong>{chunks}</strong>,
              })}
        </p>
        {count !== tokenCount && (
          <p className="mt-2 text-zinc-600 dark:text-zinc-400">
            {t('subjects.revokeAll.difference', { count: tokenCount })}
          </p>
        )}
      </Dialog>
    );
  }

  return (
    <Dialog
      title={
        client
          ? t('subjects.revokeAll.titleClient', { subject, client: client.label })
          : t('subjects.revokeAll.titleUser', { subject })
      }
      onClose={onClose}
      busy={busy}
      footer={
        <CancelAndConfirm onCancel={onClose} busy={busy} type="submit" form="revoke-all-form" disabled={!ready || busy}>
          {busy ? t('subjects.revokeAll.revoking') : t('tokens.dialogs.revokeConfirm', { count: tokenCount })}
        </CancelAndConfirm>
      }
    >
      <form
        id="revoke-all-form"
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (ready && !busy) void revoke();
        }}
      >
        <p className="rounded-md border border-red-200 bg-red-50 p-3 text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100">
          {client
            ? t.rich('subjects.revokeAll.radiusClient', {
                count: tokenCount,
                subject,
                client: client.label,
                strong: (chunks) => <strong>{chunks}</strong>,
              })
            : t.rich('subjects.revokeAll.radiusUser', {
                count: tokenCount,
                clients: clientCount,
                subject,
                strong: (chunks) => <strong>{chunks}</strong>,
              })}
        </p>
        {revokeAll.isError && <ErrorState error={revokeAll.error} title={t('subjects.revokeAll.failed')} />}
        <ReasonField
          required
          value={reason}
          onChange={setReason}
          disabled={busy}
          placeholder={t('subjects.revokeAll.reasonPlaceholder')}
        />
        <TypedSubjectField subject={subject} value={typed} onChange={setTyped} disabled={busy} />
        <RevokeVersusDelete />
      </form>
    </Dialog>
  );
}
