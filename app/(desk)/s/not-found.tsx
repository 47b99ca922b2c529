import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/** An address under /s/ naming no configured service (a typo, or a service since removed). */
export default async function ServiceNotFound() {
  const t = await getTranslations();
  return (
    <div className="max-w-xl space-y-2">
      <h1 className="text-xl font-semibold">{t('common.serviceNotFound.title')}</h1>
      <p className="text-zinc-600 dark:text-zinc-400">{t('common.serviceNotFound.body')}</p>
      <Link href="/" className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        {t('common.serviceNotFound.home')}
      </Link>
    </div>
  );
}
