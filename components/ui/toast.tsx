'use client';

import { useEffect, useState } from 'react';
import type { ExternalToast } from 'sonner';
import type { Theme } from '@/components/shell/theme';

/**
 * Toasts without putting sonner in every page's first load: the library is fetched at the first
 * interaction (or the first toast), and its Toaster is mounted before any toast is shown.
 */
type Sonner = typeof import('sonner');

let mountToaster: ((sonner: Sonner) => Promise<void>) | undefined;
let ready: Promise<Sonner> | undefined;

function loadToaster(): Promise<Sonner> {
  ready ??= import('sonner').then(
    async (sonner) => {
      await mountToaster?.(sonner);
      return sonner;
    },
    (error: unknown) => {
      ready = undefined; // let the next toast try again
      throw error;
    },
  );
  return ready;
}

type Message = Parameters<Sonner['toast']['success']>[0];

function show(kind: 'success' | 'error' | 'info') {
  return (message: Message, options?: ExternalToast) => {
    void loadToaster().then((sonner) => sonner.toast[kind](message, options));
  };
}

export const toast = { success: show('success'), error: show('error'), info: show('info') };

/** Where toasts appear; renders nothing until the first toast is on its way. */
export function ToastHost({ theme }: { theme: Theme }) {
  const [sonner, setSonner] = useState<Sonner | null>(null);
  const [mounted, setMounted] = useState<(() => void) | null>(null);

  useEffect(() => {
    mountToaster = (loaded) =>
      new Promise<void>((resolve) => {
        setMounted(() => resolve);
        setSonner(loaded);
      });
    // Fetch the library while the person is busy clicking, so the toast is not late.
    const warm = () => void loadToaster();
    window.addEventListener('pointerdown', warm, { once: true });
    window.addEventListener('keydown', warm, { once: true });
    return () => {
      mountToaster = undefined;
      window.removeEventListener('pointerdown', warm);
      window.removeEventListener('keydown', warm);
    };
  }, []);

  // The Toaster (a child) has subscribed in its own effect, which runs before this one.
  useEffect(() => {
    if (sonner) mounted?.();
  }, [sonner, mounted]);

  if (!sonner) return null;
  const { Toaster } = sonner;
  return <Toaster theme={theme} position="bottom-right" closeButton />;
}
