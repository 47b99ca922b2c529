'use client';

import { useState, type ButtonHTMLAttributes } from 'react';
import { plural, shortHash } from '@/lib/format';
import type { Client, Token, TokenRotated } from '@/lib/schemas';
import { buttonClass, inputClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { SecretValue } from './created-token';
import { clientLabel } from '@/components/data/clients';
import { useDeleteToken, useRevokeTokens, useRotateToken } from '@/components/data/tokens';

/** The one paragraph every destructive dialog shows, so nobody mixes the two up. */
export function RevokeVersusDelete() {
  return (
    <p className="rounded-md bg-zinc-50 p-3 text-xs text-zinc-700 dark:bg-zinc-800/60 dark:text-zinc-300">
      <strong>Revoke</strong> is the support action: it ends the token the way OAuth revocation does and is recorded as
      a revocation with your reason. <strong>Delete</strong> is an admin clean-up for tokens that should never have
      existed (a mistaken or test token, a failed migration): the record is erased. Either way the token stops working
      at once and cannot be brought back.
    </p>
  );
}

/** Cancel and the destructive confirm button that end every action dialog. */
export function CancelAndConfirm({
  onCancel,
  busy,
  children,
  ...confirm
}: { onCancel: () => void; busy: boolean } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <>
      <button type="button" className={buttonClass('secondary')} onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      <button type="button" className={buttonClass('danger')} disabled={busy} {...confirm}>
        {children}
      </button>
    </>
  );
}

/** The reason a revocation or deletion is recorded with in the audit log. */
export function ReasonField({
  value,
  onChange,
  required = false,
  disabled,
  placeholder,
}: {
  value: string;
  onChange: (reason: string) => void;
  required?: boolean;
  disabled: boolean;
  placeholder: string;
}) {
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
      Reason ({required ? 'required' : 'optional'}, kept in the audit log)
      <textarea
        required={required}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        maxLength={500}
        rows={2}
        disabled={disabled}
        className={`${inputClass} h-auto py-1.5`}
        placeholder={placeholder}
      />
    </label>
  );
}

function TokenList({ tokens, clients }: { tokens: readonly Token[]; clients: ReadonlyMap<string, Client> }) {
  const shown = tokens.slice(0, 5);
  return (
    <ul className="space-y-1 rounded-md border border-zinc-200 p-2 text-xs dark:border-zinc-700">
      {shown.map((token) => (
        <li key={token.accessTokenHash} className="flex flex-wrap gap-x-2">
          <code className="font-mono">{shortHash(token.accessTokenHash)}</code>
          <span>{token.subject ?? 'no user (client credentials)'}</span>
          <span className="text-zinc-500 dark:text-zinc-400">
            {clientLabel(token.clientId, clients.get(token.clientId))}
          </span>
        </li>
      ))}
      {tokens.length > shown.length && (
        <li className="text-zinc-500 dark:text-zinc-400">and {tokens.length - shown.length} more</li>
      )}
    </ul>
  );
}

interface RevokeTokensDialogProps {
  tokens: readonly Token[];
  clients: ReadonlyMap<string, Client>;
  onClose: () => void;
  /** Called after the last request, with the hashes that were revoked. */
  onDone?: (revoked: string[]) => void;
}

/** Revokes one or several chosen tokens, one request each, and reports what Authlete said. */
export function RevokeTokensDialog({ tokens, clients, onClose, onDone }: RevokeTokensDialogProps) {
  const [reason, setReason] = useState('');
  const revokeTokens = useRevokeTokens();
  const many = tokens.length > 1;
  const noun = plural(tokens.length, 'token');

  function revoke() {
    revokeTokens.mutate(
      { tokens, reason },
      {
        onSuccess: ({ revoked }) => {
          onDone?.(revoked);
          onClose();
        },
      },
    );
  }

  // Still busy once done: the dialog is closing.
  const busy = revokeTokens.isPending || revokeTokens.isSuccess;
  const progress = revokeTokens.done;
  return (
    <Dialog
      title={`Revoke ${noun}?`}
      onClose={onClose}
      busy={busy}
      footer={
        <CancelAndConfirm onCancel={onClose} busy={busy} onClick={revoke}>
          {busy ? `Revoking ${Math.min(progress + 1, tokens.length)} of ${tokens.length}…` : `Revoke ${noun}`}
        </CancelAndConfirm>
      }
    >
      <div className="space-y-3">
        <p>
          {many ? 'These access tokens and their refresh tokens' : 'This access token and its refresh token'} will stop
          working immediately. Apps using {many ? 'them' : 'it'} must sign the user in again. Authlete removes revoked
          tokens, so {many ? 'they disappear' : 'it disappears'} from this list.
        </p>
        <TokenList tokens={tokens} clients={clients} />
        <ReasonField
          value={reason}
          onChange={setReason}
          disabled={busy}
          placeholder="e.g. User reported a lost phone, ticket #1234"
        />
        <RevokeVersusDelete />
      </div>
    </Dialog>
  );
}

/** Deletes one token record (admin). */
export function DeleteTokenDialog({
  token,
  clients,
  onClose,
  onDone,
}: {
  token: Token;
  clients: ReadonlyMap<string, Client>;
  onClose: () => void;
  onDone?: () => void;
}) {
  const [reason, setReason] = useState('');
  const deleteToken = useDeleteToken(token);

  function remove() {
    deleteToken.mutate(reason, {
      onSuccess: () => {
        onDone?.();
        onClose();
      },
    });
  }

  // Still busy once done: the dialog is closing.
  const busy = deleteToken.isPending || deleteToken.isSuccess;

  return (
    <Dialog
      title="Delete this token?"
      onClose={onClose}
      busy={busy}
      footer={
        <CancelAndConfirm onCancel={onClose} busy={busy} onClick={remove}>
          {busy ? 'Deleting…' : 'Delete token'}
        </CancelAndConfirm>
      }
    >
      <div className="space-y-3">
        <p>
          The access token and its refresh token are erased from Authlete. The app using it stops working for this user
          until they sign in again. This cannot be undone.
        </p>
        <TokenList tokens={[token]} clients={clients} />
        <ReasonField
          value={reason}
          onChange={setReason}
          disabled={busy}
          placeholder="e.g. Test token issued by mistake, ticket #1234"
        />
        <RevokeVersusDelete />
      </div>
    </Dialog>
  );
}

/**
 * Admin: replaces a token's value (the old one stops working at once), with a required reason.
 * The new value is shown here once, in this component's state only, with a copy button; closing
 * the dialog forgets it. `onDone` gets the token under its new hash.
 */
export function RotateValueDialog({
  token,
  clients,
  onClose,
  onDone,
}: {
  token: Token;
  clients: ReadonlyMap<string, Client>;
  onClose: () => void;
  onDone: (rotated: TokenRotated['token']) => void;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const rotateToken = useRotateToken(token);
  const busy = rotateToken.isPending;
  const rotated = rotateToken.data;

  function rotate() {
    if (!reason.trim()) {
      setProblem('Give a reason; it is kept in the audit log.');
      return;
    }
    setProblem(null);
    rotateToken.mutate(reason.trim());
  }

  if (rotated) {
    const done = () => onDone(rotated.token);
    return (
      <Dialog
        title="New token value"
        onClose={done}
        footer={
          <button type="button" className={buttonClass('primary')} onClick={done}>
            Done
          </button>
        }
      >
        <div className="space-y-3">
          <p
            role="alert"
            className="rounded-md bg-amber-100 p-3 text-sm font-medium text-amber-950 dark:bg-amber-900/60 dark:text-amber-50"
          >
            Copy the new value now: you will not see it again. Token Desk keeps only its hash. The old value has stopped
            working.
          </p>
          <SecretValue id="rotated-access-token" label="New access token" value={rotated.accessToken} />
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            New hash <code className="font-mono break-all">{rotated.token.accessTokenHash}</code>
          </p>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="Rotate this token’s value?"
      onClose={onClose}
      busy={busy}
      footer={
        <CancelAndConfirm onCancel={onClose} busy={busy} onClick={rotate}>
          {busy ? 'Rotating…' : 'Rotate value'}
        </CancelAndConfirm>
      }
    >
      <div className="space-y-3">
        <p>
          Authlete gives the access token a new value and its hash changes; the current value stops working at once, so
          the app holding it fails until it is given the new one. Scopes, expiry and properties stay as they are. The
          new value is shown once.
        </p>
        <TokenList tokens={[token]} clients={clients} />
        <ReasonField
          value={reason}
          onChange={setReason}
          required
          disabled={busy}
          placeholder="e.g. Value leaked in a log, ticket #1234"
        />
        {problem && (
          <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
            {problem}
          </p>
        )}
      </div>
    </Dialog>
  );
}
