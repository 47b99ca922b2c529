'use client';

import { useTranslations } from 'next-intl';
import type { AuditChainReport } from '@/lib/schemas/audit';
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

/** The audit log's hash chain: verified when the page opens and again on request; a break names the record. */
export function ChainStatus() {
  const t = useTranslations();
  const chain = useAuditChain();
  const report: AuditChainReport | undefined = chain.data;
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
