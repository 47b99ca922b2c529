import { useTranslations } from 'next-intl';
import { ServiceLink } from './service-link';

/** What a role may not do, as a whole sentence per page (no fragments joined into a sentence). */
const refusals = {
  createTokens: 'common.notAllowed.createTokens',
  editTokens: 'common.notAllowed.editTokens',
  readAudit: 'common.notAllowed.readAudit',
  bulkIssue: 'common.notAllowed.bulkIssue',
  seeJobs: 'common.notAllowed.seeJobs',
  seeIncidents: 'common.notAllowed.seeIncidents',
  manageStaff: 'common.notAllowed.manageStaff',
  manageWebhooks: 'common.notAllowed.manageWebhooks',
  seeApprovals: 'common.notAllowed.seeApprovals',
} as const;

/** Shown when a role opens a page it may not use (the API refuses the actions regardless). */
export function NotAllowed({ what }: { what: keyof typeof refusals }) {
  const t = useTranslations();
  return (
    <div className="max-w-xl space-y-2">
      <h1 className="text-xl font-semibold">{t('common.notAllowed.title')}</h1>
      <p className="text-zinc-600 dark:text-zinc-400">
        {t('common.twoSentences', { first: t(refusals[what]), second: t('common.notAllowed.ask') })}
      </p>
      <ServiceLink href="/tokens" className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        {t('common.notAllowed.backToTokens')}
      </ServiceLink>
    </div>
  );
}
