import type { Metadata } from 'next';
import { actorWithPermission } from '@/server/auth/page-gate';
import { NotAllowed } from '@/components/shell/not-allowed';
import { UploadPage } from '@/components/batch/upload-page';
import { Breadcrumb } from '@/components/ui/breadcrumb';

export const metadata: Metadata = { title: 'Bulk issue' };

export default async function Page() {
  if (!(await actorWithPermission('batches:write'))) return <NotAllowed what="bulkIssue" />;
  return (
    <div className="max-w-5xl space-y-4">
      <Breadcrumb parent={{ href: '/batches', label: 'Jobs' }} current="Bulk issue" />
      <h1 className="text-xl font-semibold">Bulk issue tokens from CSV</h1>
      <UploadPage />
    </div>
  );
}
