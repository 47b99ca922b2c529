'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TrendsResponse } from '@/lib/schemas/overview';

// The same colours as the per-client bars (client-chart.tsx): readable on light and dark.
const VALID_COLOUR = '#10b981';
const EXPIRED_COLOUR = '#f59e0b';

/** Valid and expired tokens per day, from the daily snapshots. */
export default function TrendChart({ days }: { days: TrendsResponse['days'] }) {
  const t = useTranslations();
  const format = useFormatter();
  const label = (day: string) =>
    format.dateTime(new Date(`${day}T00:00:00Z`), { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return (
    <div className="h-64 w-full text-xs">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={days} margin={{ left: 0, right: 8, top: 4, bottom: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
          <XAxis dataKey="day" tickFormatter={label} stroke="currentColor" minTickGap={24} />
          <YAxis allowDecimals={false} stroke="currentColor" width={56} />
          <Tooltip
            labelFormatter={(day) => label(String(day))}
            contentStyle={{ background: 'var(--color-zinc-900, #18181b)', color: '#fafafa', border: 'none' }}
          />
          <Legend />
          <Line
            type="monotone"
            dataKey="valid"
            name={t('overview.valid')}
            stroke={VALID_COLOUR}
            dot={false}
            strokeWidth={2}
          />
          <Line
            type="monotone"
            dataKey="expired"
            name={t('overview.expired')}
            stroke={EXPIRED_COLOUR}
            dot={false}
            strokeWidth={2}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
