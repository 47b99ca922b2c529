'use client';

import { useTranslations } from 'next-intl';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { clientLabel } from '@/components/data/clients';
import type { ClientTokenCount } from '@/lib/schemas/overview';

/*
 * Colours chosen to read on both the light and the dark background (mid-tone emerald and amber,
 * distinguishable with common colour-vision deficiencies by lightness as well as hue).
 */
const VALID_COLOUR = '#10b981';
const EXPIRED_COLOUR = '#f59e0b';
const ROW_HEIGHT = 28;

/** Horizontal stacked bars, one row per client: long client names stay readable at 360 px. */
export default function ClientChart({ clients }: { clients: readonly ClientTokenCount[] }) {
  const t = useTranslations();
  const data = clients.map((row) => ({
    name: clientLabel(row.clientId, row),
    valid: row.valid,
    expired: row.expired,
  }));
  return (
    <div className="h-full w-full text-xs" style={{ height: Math.max(160, data.length * ROW_HEIGHT + 60) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ left: 0, right: 8, top: 4, bottom: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
          <XAxis type="number" allowDecimals={false} stroke="currentColor" />
          <YAxis type="category" dataKey="name" width={120} stroke="currentColor" tick={{ fontSize: 11 }} />
          <Tooltip
            contentStyle={{ background: 'var(--color-zinc-900, #18181b)', color: '#fafafa', border: 'none' }}
            cursor={{ fillOpacity: 0.1 }}
          />
          <Legend />
          <Bar dataKey="valid" name={t('overview.valid')} stackId="tokens" fill={VALID_COLOUR} />
          <Bar dataKey="expired" name={t('overview.expired')} stackId="tokens" fill={EXPIRED_COLOUR} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
