import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';
import { SubjectView } from '@/components/subjects/subject-view';

type Props = { params: Promise<{ subject: string }> };

/** Next hands dynamic segments over still percent-encoded; "a%2Fb" is the subject "a/b". */
function decodeSubject(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await getTranslations())('subjects.pageTitle', { subject: decodeSubject((await params).subject) }) };
}

export default async function Page({ params }: Props) {
  return (
    <RouteMessages namespaces={['tokens', 'subjects', 'export', 'audit']}>
      <SubjectView subject={decodeSubject((await params).subject)} />
    </RouteMessages>
  );
}
