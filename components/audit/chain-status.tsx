'use client';

import { useTranslations } from 'next-intl';
import type { AuditChainStatus, AuditSinkStatus } from '@/lib/schemas/audit';
import { useAuditChain } from '@/components/data/audit';
import { buttonClass } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { Time } from '@/components/ui/time';

const problemKeys = {
  altered: 'audit.chain.problem.altered',
  broken_link: 'audit.chain.problem.brokenLink',
  missing: 'audit.chain.problem.missing',
  unchained: 'audit.chain.problem.unchained',
} as const;

const sinkTypeKeys = {
  http: 'audit.sinks.type.http',
  syslog: 'audit.sinks.type.syslog',
  'syslog-tls': 'audit.sinks.type.syslogTls',
} as const;

/** The audit log's hash chain: verified when the page opens and again on request; a break names the record. */
export function ChainStatus() {
  const t = useTranslations();
  const chain = useAuditChain();
  const report: AuditChainStatus | undefined = chain.data;
  return (
    <section
      aria-labelledby="audit-chain-title"
      aria-busy={chain.isFetching}
      className={cx(
        'flex flex-wrap items-start justify-between gap-2 rounded-md border p-3 text-sm',
        report && !report.ok
          ? 'border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950'
          : 'border-zinc-200 dark:border-zinc-800',
      )}
    >
      <div className="min-w-0 space-y-1">
        <h2 id="audit-chain-title" className="font-semibold">
          {t('audit.chain.title')}
        </h2>
        <p role="status" className="break-words">
          {chain.isError
            ? t('audit.chain.failed')
            : !report
              ? t('audit.chain.checking')
              : report.ok
                ? t('audit.chain.ok', { count: report.records })
                : t('audit.chain.broken', { count: report.problemCount })}
        </p>
        {report && (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {t.rich('audit.chain.checkedAt', { time: () => <Time ms={report.checkedAt} layout="inline" /> })}
            {report.headHash && (
              <>
                {' · '}
                {t('audit.chain.head', { seq: report.headSeq ?? 0 })}{' '}
                <code className="break-all">{report.headHash.slice(0, 16)}…</code>
              </>
            )}
          </p>
        )}
        {report && report.problems.length > 0 && (
          <ul className="list-disc space-y-0.5 pl-5 text-xs">
            {report.problems.map((problem, index) => (
              <li key={index}>{t(problemKeys[problem.kind], { seq: problem.seq ?? '—', id: problem.id ?? '—' })}</li>
            ))}
          </ul>
        )}
        {report && report.sinks.length > 0 && <SinkList sinks={report.sinks} />}
      </div>
      <button
        type="button"
        className={buttonClass('secondary')}
        disabled={chain.isFetching}
        onClick={() => void chain.refetch()}
      >
        {t('audit.chain.verify')}
      </button>
    </section>
  );
}

/** Where each audit sink stands: how far behind the log it is, and why it fails while it does. */
function SinkList({ sinks }: { sinks: AuditSinkStatus[] }) {
  const t = useTranslations();
  return (
    <div className="pt-1">
      <h3 className="text-xs font-semibold">{t('audit.sinks.title')}</h3>
      <ul className="space-y-0.5 text-xs">
        {sinks.map((sink) => (
          <li key={sink.name} className="break-words">
            <span className="font-medium">{sink.name}</span>{' '}
            <span className="text-zinc-600 dark:text-zinc-400">({t(sinkTypeKeys[sink.type])})</span>
            {': '}
            {sink.behind === 0
              ? t('audit.sinks.caughtUp', { position: sink.position })
              : sink.position === 0
                ? t('audit.sinks.behindNone', { count: sink.behind })
                : t('audit.sinks.behind', { count: sink.behind, position: sink.position })}
            {sink.deliveredAt !== null && (
              <span className="text-zinc-600 dark:text-zinc-400">
                {' · '}
                {t.rich('audit.sinks.deliveredAt', { time: () => <Time ms={sink.deliveredAt!} layout="inline" /> })}
              </span>
            )}
            {sink.lastError !== null && sink.failingSince !== null && (
              <span className="block text-red-700 dark:text-red-300">
                {t.rich('audit.sinks.failing', {
                  error: sink.lastError,
                  time: () => <Time ms={sink.failingSince!} layout="inline" />,
                })}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
