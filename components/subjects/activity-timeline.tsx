'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useSubjectActivity } from '@/components/data/apps';
import { AuditTimeline } from '@/components/audit/audit-timeline';

/** A person's activity timeline: every audit entry about their tokens, apps and consent, newest first. */
export function ActivityTimeline({ service, subject }: { service: string; subject: string }) {
  const t = useTranslations();
  const [page, setPage] = useState(1);
  const result = useSubjectActivity(service, subject, page);
  return (
    <section aria-labelledby="activity-heading" className="space-y-3">
      <h2 id="activity-heading" className="text-lg font-semibold">
        {t('subjects.activity.title')}
      </h2>
      <AuditTimeline
        result={result}
        page={page}
        onPageChange={setPage}
        auditHref={(entry) =>
          `/audit?subject=${encodeURIComponent(subject)}&from=${entry.occurredAt}&to=${entry.occurredAt + 1}`
        }
        labels={{
          loading: t('subjects.activity.loading'),
          loadFailed: t('subjects.activity.loadFailed'),
          empty: t('subjects.activity.empty', { subject }),
        }}
        testId="activity"
      />
    </section>
  );
}
