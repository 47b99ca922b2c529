'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createQueryClient } from '@/components/data/query-client';
import { useTheme } from '@/components/shell/theme';
import { ToastHost } from '@/components/ui/toast';

export function Providers({ children }: { children: React.ReactNode }) {
  // One client per browser tab; created lazily so server renders never share a cache.
  const [queryClient] = useState(createQueryClient);
  const theme = useTheme();
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <ToastHost theme={theme} />
    </QueryClientProvider>
  );
}
