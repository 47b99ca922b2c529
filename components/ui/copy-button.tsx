'use client';

import { useState } from 'react';
import { toast } from '@/components/ui/toast';
import { buttonClass } from './button';

/** Copies `value` to the clipboard; the value itself is never logged or shown in the toast. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={buttonClass('secondary', 'sm')}
      aria-label={`Copy ${label}`}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          toast.success(`${label} copied to the clipboard.`);
        } catch {
          toast.error(`Could not copy the ${label.toLowerCase()}; select the text and copy it by hand.`);
        }
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
