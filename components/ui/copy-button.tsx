'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { toast } from '@/components/ui/toast';
import { buttonClass } from './button';

/** Copies `value` to the clipboard; the value itself is never logged or shown in the toast. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const t = useTranslations();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={buttonClass('secondary', 'sm')}
      aria-label={t('common.copyLabel', { label })}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          toast.success(t('common.copiedToast', { label }));
        } catch {
          toast.error(t('common.copyFailedToast', { label }));
        }
      }}
    >
      {copied ? t('common.copied') : t('common.copy')}
    </button>
  );
}
