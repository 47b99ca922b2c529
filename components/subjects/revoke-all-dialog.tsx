'use client';

import { useState } from 'react';
import { plural } from '@/lib/format';
import { buttonClass, inputClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/states';
import { CancelAndConfirm, ReasonField, RevokeVersusDelete } from '@/components/tokens/action-dialogs';
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
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const revokeAll = useRevokeAll(subject);
  const busy = revokeAll.isPending;
  const ready = reason.trim().length > 0 && typed === subject;
  const radius = client
    ? `${plural(tokenCount, 'token')} of ${subject} for ${client.label}`
    : `${plural(tokenCount, 'token')} across ${plural(clientCount, 'client')}`;

  function revoke() {
    revokeAll.mutate({ clientId: client?.clientId, reason });
  }

  if (revokeAll.isSuccess) {
    const { count } = revokeAll.data;
    return (
      <Dialog
        title="Tokens revoked"
        onClose={onClose}
        footer={
          <button type="button" className={buttonClass('primary')} onClick={onClose} data-autofocus>
            Done
          </button>
        }
      >
        <p role="status" className="text-base">
          Authlete reports <strong>{plural(count, 'token')}</strong> revoked for {subject}
          {client ? ` on ${client.label}` : ''}.
        </p>
        {count !== tokenCount && (
          <p className="mt-2 text-zinc-600 dark:text-zinc-400">
            The view showed {plural(tokenCount, 'token')}; tokens issued, expired or swept in the meantime explain the
            difference.
          </p>
        )}
      </Dialog>
    );
  }

  return (
    <Dialog
      title={client ? `Revoke all of ${subject}’s tokens for ${client.label}?` : `Revoke all tokens of ${subject}?`}
      onClose={onClose}
      busy={busy}
      footer={
        <CancelAndConfirm onCancel={onClose} busy={busy} type="submit" form="revoke-all-form" disabled={!ready || busy}>
          {busy ? 'Revoking…' : `Revoke ${plural(tokenCount, 'token')}`}
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
          This revokes <strong>{radius}</strong>. Every app where {subject} is signed in
          {client ? ' through this client' : ''} stops working for them until they sign in again. It cannot be undone.
        </p>
        {revokeAll.isError && <ErrorState error={revokeAll.error} title="Nothing was revoked" />}
        <ReasonField
          required
          value={reason}
          onChange={setReason}
          disabled={busy}
          placeholder="e.g. Account compromised, ticket #1234"
        />
        <label className="flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
          <span>
            Type the subject <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">{subject}</code> to
            confirm
          </span>
          <input
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            disabled={busy}
            aria-invalid={typed !== '' && typed !== subject}
            className={`${inputClass} font-mono`}
          />
        </label>
        <RevokeVersusDelete />
      </form>
    </Dialog>
  );
}
