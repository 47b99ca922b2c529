'use client';

import { useTranslations } from 'next-intl';
import { useState, type ButtonHTMLAttributes } from 'react';
import { shortHash } from '@/lib/format';
import type { Client, Token, TokenRotated } from '@/lib/schemas';
import { buttonClass, inputClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { SecretValue } from '@/components/ui/secret-value';
import { clientLabel } from '@/components/data/clients';
import { useDeleteToken, useRevokeTokens, useRotateToken } from '@/components/data/tokens';

/** The one paragraph every destructive dialog shows, so nobody mixes the two up. */
export function RevokeVersusDelete() {
  const t = useTranslations();
  return (
    <p className="rounded-md bg-zinc-50 p-3 text-xs text-zinc-700 dark:bg-zinc-800/60 dark:text-zinc-300">
      {t.rich('tokens.dialogs.revokeVersusDelete', { strong: (chunks) => <strong>{chunks}</strong> })}
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
  const t = useTranslations();
  return (
    <>
      <button type="button" className={buttonClass('secondary')} onClick={onCancel} disabled={busy}>
        {t('common.cancel')}
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
  const t = useTranslations();
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
      {required ? t('tokens.dialogs.reasonRequired') : t('tokens.dialogs.reasonOptional')}
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
  const t = useTranslations();
  const shown = tokens.slice(0, 5);
  return (
    <ul className="space-y-1 rounded-md border border-zinc-200 p-2 text-xs dark:border-zinc-700">
      {shown.map((token) => (
        <li key={token.accessTokenHash} className="flex flex-wrap gap-x-2">
          <code className="font-mono">{shortHash(token.accessTokenHash)}</code>
          <span>{token.subject ?? t('tokens.dialogs.noUser')}</span>
          <span className="text-zinc-500 dark:text-zinc-400">
            {clientLabel(token.clientId, clients.get(token.clientId))}
          </span>
        </li>
      ))}
      {tokens.length > shown.length && (
        <li className="text-zinc-500 dark:text-zinc-400">
          {t('tokens.dialogs.andMore', { count: tokens.length - shown.length })}
        </li>
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
  const t = useTranslations();
  const [reason, setReason] = useState('');
  const revokeTokens = useRevokeTokens();
  const count = tokens.length;

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
      title={t('tokens.dialogs.revokeTitle', { count })}
      onClose={onClose}
      busy={busy}
      footer={
        <CancelAndConfirm onCancel={onClose} busy={busy} onClick={revoke}>
          {busy
            ? t('tokens.dialogs.revoking', { done: Math.min(progress + 1, count), count })
            : t('tokens.dialogs.revokeConfirm', { count })}
        </CancelAndConfirm>
      }
    >
      <div className="space-y-3">
        <p>{t('tokens.dialogs.revokeBody', { count })}</p>
        <TokenList tokens={tokens} clients={clients} />
        <ReasonField
          value={reason}
          onChange={setReason}
          disabled={busy}
          placeholder={t('tokens.dialogs.revokeReasonPlaceholder')}
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
  const t = useTranslations();
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
      title={t('tokens.dialogs.deleteTitle')}
      onClose={onClose}
      busy={busy}
      footer={
        <CancelAndConfirm onCancel={onClose} busy={busy} onClick={remove}>
          {busy ? t('tokens.dialogs.deleting') : t('tokens.dialogs.deleteConfirm')}
        </CancelAndConfirm>
      }
    >
      <div className="space-y-3">
        <p>{t('tokens.dialogs.deleteBody')}</p>
        <TokenList tokens={[token]} clients={clients} />
        <ReasonField
          value={reason}
          onChange={setReason}
          disabled={busy}
          placeholder={t('tokens.dialogs.deleteReasonPlaceholder')}
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
  const t = useTranslations();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const rotateToken = useRotateToken(token);
  const busy = rotateToken.isPending;
  const rotated = rotateToken.data;

  function rotate() {
    if (!reason.trim()) {
      setProblem(t('validation.reasonRequired'));
      return;
    }
    setProblem(null);
    rotateToken.mutate(reason.trim());
  }

  if (rotated) {
    const done = () => onDone(rotated.token);
    return (
      <Dialog
        title={t('tokens.dialogs.newValueTitle')}
        onClose={done}
        footer={
          <button type="button" className={buttonClass('primary')} onClick={done}>
            {t('tokens.dialogs.done')}
          </button>
        }
      >
        <div className="space-y-3">
          <p
            role="alert"
            className="rounded-md bg-amber-100 p-3 text-sm font-medium text-amber-950 dark:bg-amber-900/60 dark:text-amber-50"
          >
            {t('tokens.dialogs.copyNewValue')}
          </p>
          <SecretValue
            id="rotated-access-token"
            label={t('tokens.dialogs.newAccessToken')}
            value={rotated.accessToken}
          />
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {t.rich('tokens.dialogs.newHash', {
              hash: rotated.token.accessTokenHash,
              code: (chunks) => <code className="font-mono break-all">{chunks}</code>,
            })}
          </p>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      title={t('tokens.dialogs.rotateTitle')}
      onClose={onClose}
      busy={busy}
      footer={
        <CancelAndConfirm onCancel={onClose} busy={busy} onClick={rotate}>
          {busy ? t('tokens.dialogs.rotating') : t('tokens.dialogs.rotateConfirm')}
        </CancelAndConfirm>
      }
    >
      <div className="space-y-3">
        <p>{t('tokens.dialogs.rotateBody')}</p>
        <TokenList tokens={[token]} clients={clients} />
        <ReasonField
          value={reason}
          onChange={setReason}
          required
          disabled={busy}
          placeholder={t('tokens.dialogs.rotateReasonPlaceholder')}
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
