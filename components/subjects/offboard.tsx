'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import type { OffboardJob, OffboardPart, OffboardPreview, OffboardStep } from '@/lib/schemas';
import { isApprovalRequested } from '@/lib/api-client';
import {
  offboardMoving,
  useOffboardEnded,
  useOffboardings,
  useOffboardJob,
  useOffboardPreview,
  useRetryOffboarding,
  useStartOffboarding,
} from '@/components/data/apps';
import { ProgressBar } from '@/components/batch/progress-bar';
import { useCan } from '@/components/shell/actor-context';
import { buttonClass, inputClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { CancelAndConfirm, ReasonField } from '@/components/tokens/action-dialogs';
import { TypedSubjectField } from './typed-subject-field';

const stepLabel = (step: { clientId: string; clientName?: string }) => step.clientName ?? step.clientId;
const failedParts = (job: OffboardJob) =>
  (job.result?.steps ?? []).reduce(
    (sum, step) => sum + (step.tokens.state === 'failed' ? 1 : 0) + (step.consent.state === 'failed' ? 1 : 0),
    0,
  );

/**
 * "Offboard this person": the latest offboarding's state (found again after a reload, followed
 * while it runs) and, for roles that may, the action that opens the offboarding dialog.
 */
export function OffboardSection({ service, subject }: { service: string; subject: string }) {
  const t = useTranslations();
  const canOffboard = useCan('subjects:offboard');
  const list = useOffboardings(service, subject);
  const latest = list.data?.jobs[0];
  // null: closed; 'new': preview and confirm; a job id: its progress and report.
  const [open, setOpen] = useState<'new' | string | null>(null);

  if (!canOffboard && !latest) return null;
  return (
    <section
      aria-labelledby="offboard-heading"
      data-testid="offboard"
      className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="offboard-heading" className="text-lg font-semibold">
          {t('subjects.offboard.title')}
        </h2>
        {canOffboard && !offboardMoving(latest) && (
          <button type="button" className={buttonClass('danger', 'sm')} onClick={() => setOpen('new')}>
            {t('subjects.offboard.action')}
          </button>
        )}
      </div>
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t('subjects.offboard.listFailed')} />
      ) : latest ? (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <p role="status" className="flex flex-wrap gap-1">
            <span>{t('subjects.offboard.latest', { state: latest.state })}</span>
            <Time ms={Date.parse(latest.createdAt)} layout="inline" />
          </p>
          {offboardMoving(latest) && latest.progress.total !== null && (
            <span className="text-zinc-600 dark:text-zinc-400">
              {t('subjects.offboard.progress', { done: latest.progress.done, total: latest.progress.total })}
            </span>
          )}
          <button type="button" className={buttonClass('secondary', 'sm')} onClick={() => setOpen(latest.id)}>
            {offboardMoving(latest) ? t('subjects.offboard.showProgress') : t('subjects.offboard.showReport')}
          </button>
        </div>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('subjects.offboard.hint')}</p>
      )}
      {open !== null && (
        <OffboardDialog
          service={service}
          subject={subject}
          jobId={open === 'new' ? null : open}
          onStarted={(id) => setOpen(id)}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}

function OffboardDialog({
  service,
  subject,
  jobId,
  onStarted,
  onClose,
}: {
  service: string;
  subject: string;
  jobId: string | null;
  onStarted: (jobId: string) => void;
  onClose: () => void;
}) {
  return jobId === null ? (
    <ConfirmOffboard service={service} subject={subject} onStarted={onStarted} onClose={onClose} />
  ) : (
    <OffboardProgress service={service} subject={subject} jobId={jobId} onClose={onClose} />
  );
}

/** The blast radius (tokens per client, consent records), the subject typed back, a reason and a ticket. */
function ConfirmOffboard({
  service,
  subject,
  onStarted,
  onClose,
}: {
  service: string;
  subject: string;
  onStarted: (jobId: string) => void;
  onClose: () => void;
}) {
  const t = useTranslations();
  const preview = useOffboardPreview(service, subject);
  const start = useStartOffboarding(service, subject);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [ticket, setTicket] = useState('');
  const busy = start.isPending;
  const clients = preview.data?.clients ?? [];
  const ready = preview.isSuccess && clients.length > 0 && typed === subject && reason.trim().length > 0;

  function submit() {
    if (!ready || busy || !preview.data) return;
    start.mutate(
      {
        confirm: typed,
        reason: reason.trim(),
        ticket: ticket.trim(),
        digest: preview.data.digest,
      },
      {
        onSuccess: (job) => onStarted(job.id),
        // Sent for a second administrator's approval (the toast says so): nothing more to do here.
        onError: (error) => {
          if (isApprovalRequested(error)) onClose();
        },
      },
    );
  }

  return (
    <Dialog
      title={t('subjects.offboard.confirmTitle', { subject })}
      onClose={onClose}
      busy={busy}
      size="lg"
      footer={
        <CancelAndConfirm onCancel={onClose} busy={busy} type="submit" form="offboard-form" disabled={!ready || busy}>
          {busy ? t('subjects.offboard.starting') : t('subjects.offboard.confirm')}
        </CancelAndConfirm>
      }
    >
      <form
        id="offboard-form"
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        {preview.isPending ? (
          <div aria-busy="true" className="h-16 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900">
            <p className="sr-only">{t('subjects.offboard.previewLoading')}</p>
          </div>
        ) : preview.isError ? (
          <ErrorState
            error={preview.error}
            onRetry={() => void preview.refetch()}
            title={t('subjects.offboard.previewFailed')}
          />
        ) : clients.length === 0 ? (
          <p role="status">{t('subjects.offboard.nothing', { subject })}</p>
        ) : (
          <PreviewTable preview={preview.data} />
        )}
        {start.isError && <ErrorState error={start.error} title={t('subjects.offboard.startFailed')} />}
        <TypedSubjectField subject={subject} value={typed} onChange={setTyped} disabled={busy} />
        <ReasonField
          required
          value={reason}
          onChange={setReason}
          disabled={busy}
          placeholder={t('subjects.offboard.reasonPlaceholder')}
        />
        <label className="flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
          {t('subjects.offboard.ticket')}
          <input
            value={ticket}
            onChange={(event) => setTicket(event.target.value)}
            autoComplete="off"
            maxLength={100}
            disabled={busy}
            className={inputClass}
          />
        </label>
      </form>
    </Dialog>
  );
}

function PreviewTable({ preview }: { preview: OffboardPreview }) {
  const t = useTranslations();
  const tokens = preview.clients.reduce((sum, client) => sum + client.tokens, 0);
  const consents = preview.clients.filter((client) => client.consent).length;
  return (
    <div className="space-y-2">
      <p className="rounded-md border border-red-200 bg-red-50 p-3 text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100">
        {t('subjects.offboard.radius', {
          subject: preview.subject,
          tokens,
          clients: preview.clients.length,
          consents,
        })}
      </p>
      <ul
        className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800"
        aria-label={t('subjects.offboard.perClient')}
      >
        {preview.clients.map((client) => (
          <li key={client.clientId} className="flex flex-wrap justify-between gap-x-3 py-1.5">
            <span className="min-w-0 font-medium break-words">{stepLabel(client)}</span>
            <span className="text-zinc-700 dark:text-zinc-300">
              {t('subjects.offboard.clientTokens', { count: client.tokens })}
              {' · '}
              {client.consent ? t('subjects.offboard.consentRecord') : t('subjects.offboard.noConsentRecord')}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The job's parts as they finish (read again every second), then its report and a retry of failed parts. */
function OffboardProgress({
  service,
  subject,
  jobId,
  onClose,
}: {
  service: string;
  subject: string;
  jobId: string;
  onClose: () => void;
}) {
  const t = useTranslations();
  const canOffboard = useCan('subjects:offboard');
  const job = useOffboardJob(service, subject, jobId);
  const retry = useRetryOffboarding(service, subject);
  const ended = useOffboardEnded(service, subject);
  const data = job.data;
  const moving = data === undefined || offboardMoving(data);
  const wasMoving = useRef(moving);
  useEffect(() => {
    // Once it ends, the person's apps, tokens and timeline are read again.
    if (wasMoving.current && !moving) void ended();
    wasMoving.current = moving;
  }, [moving, ended]);

  const failed = data ? failedParts(data) : 0;
  const steps = data?.result?.steps ?? [];

  return (
    <Dialog
      title={
        moving ? t('subjects.offboard.runningTitle', { subject }) : t('subjects.offboard.reportTitle', { subject })
      }
      onClose={onClose}
      size="lg"
      footer={
        <div className="flex flex-wrap justify-end gap-2">
          {!moving && failed > 0 && canOffboard && (
            <button
              type="button"
              className={buttonClass('danger')}
              disabled={retry.isPending}
              onClick={() => retry.mutate(jobId)}
            >
              {t('subjects.offboard.retry', { count: failed })}
            </button>
          )}
          <button type="button" className={buttonClass(moving ? 'secondary' : 'primary')} onClick={onClose}>
            {moving ? t('subjects.offboard.close') : t('tokens.dialogs.done')}
          </button>
        </div>
      }
    >
      {job.isError ? (
        <ErrorState error={job.error} onRetry={() => void job.refetch()} title={t('subjects.offboard.jobFailed')} />
      ) : !data ? (
        <p aria-busy="true">{t('subjects.offboard.jobLoading')}</p>
      ) : (
        <div className="space-y-3">
          {data.payload.ticket && (
            <p className="text-sm">{t('subjects.offboard.ticketOf', { ticket: data.payload.ticket })}</p>
          )}
          <p role="status" className="text-base">
            {moving
              ? t('subjects.offboard.runningStatus', { done: data.progress.done, total: data.progress.total ?? 0 })
              : failed > 0
                ? t('subjects.offboard.partialStatus', { failed })
                : t('subjects.offboard.completedStatus', { subject })}
          </p>
          {moving && (
            <ProgressBar
              value={data.progress.done}
              max={data.progress.total ?? 0}
              label={t('subjects.offboard.progressLabel')}
            />
          )}
          {retry.isError && <ErrorState error={retry.error} title={t('subjects.offboard.retryFailed')} />}
          <ul
            className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800"
            aria-label={t('subjects.offboard.perClient')}
          >
            {steps.map((step) => (
              <StepRow key={step.clientId} step={step} />
            ))}
          </ul>
        </div>
      )}
    </Dialog>
  );
}

function StepRow({ step }: { step: OffboardStep }) {
  return (
    <li className="space-y-0.5 py-1.5" data-testid={`offboard-step-${step.clientId}`}>
      <p className="font-medium break-words">{stepLabel(step)}</p>
      <PartLine part={step.tokens} kind="tokens" />
      <PartLine part={step.consent} kind="consent" />
    </li>
  );
}

function PartLine({ part, kind }: { part: OffboardPart; kind: 'tokens' | 'consent' }) {
  const t = useTranslations();
  const tone =
    part.state === 'failed'
      ? 'text-red-700 dark:text-red-300'
      : part.state === 'done'
        ? 'text-emerald-700 dark:text-emerald-300'
        : 'text-zinc-600 dark:text-zinc-400';
  const text =
    kind === 'tokens'
      ? part.state === 'done'
        ? typeof part.count === 'number'
          ? t('subjects.offboard.tokensDone', { count: part.count })
          : t('subjects.offboard.tokensDoneUnknown')
        : part.state === 'failed'
          ? t('subjects.offboard.tokensFailed')
          : t('subjects.offboard.tokensPending')
      : part.state === 'done'
        ? t('subjects.offboard.consentDone')
        : part.state === 'failed'
          ? t('subjects.offboard.consentFailed')
          : t('subjects.offboard.consentPending');
  return (
    <p className={`text-xs ${tone}`}>
      {text}
      {part.state === 'failed' && part.error && <span className="block break-words">{part.error}</span>}
    </p>
  );
}
