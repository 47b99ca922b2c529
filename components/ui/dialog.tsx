'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef } from 'react';
import { cx } from './cx';

interface DialogProps {
  title: string;
  /** Called when the dialog is dismissed (Esc, the close button, or the caller's own buttons). */
  onClose: () => void;
  children: React.ReactNode;
  /** Buttons along the bottom edge. */
  footer?: React.ReactNode;
  /** While true (a request is in flight), Esc does not close the dialog. */
  busy?: boolean;
  size?: 'md' | 'lg';
}

/**
 * A modal built on the native <dialog>: `showModal()` makes the rest of the page inert (focus stays
 * inside), Esc cancels, and focus goes back where it was on close. Render it only while open.
 * Mark an element `data-autofocus` to start there.
 */
export function Dialog({ title, onClose, children, footer, busy = false, size = 'md' }: DialogProps) {
  const t = useTranslations();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const busyRef = useRef(busy);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    busyRef.current = busy;
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // Start on the first field, else the first footer button (Cancel): never on the destructive one.
    const start = [
      '[data-autofocus]',
      '[data-dialog-body] :is(input, textarea, select):not(:disabled)',
      '[data-dialog-footer] button:not(:disabled)',
    ]
      .map((selector) => dialog.querySelector<HTMLElement>(selector))
      .find(Boolean);
    start?.focus();
    const onCancel = (event: Event) => {
      // Esc: we close through React state instead, so the dialog unmounts cleanly.
      event.preventDefault();
      if (!busyRef.current) onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={cx(
        'm-auto w-[calc(100%-2rem)] rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100',
        size === 'lg' ? 'max-w-2xl' : 'max-w-lg',
      )}
    >
      <div className="flex items-start justify-between gap-4 border-b border-zinc-200 px-5 py-3 dark:border-zinc-800">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <button
          type="button"
          onClick={onClose}
          disabled={busy}
          aria-label={t('common.close')}
          className="-mr-2 rounded p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 16 16"
            className="size-4"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
          >
            <path d="M4 4l8 8M12 4l-8 8" />
          </svg>
        </button>
      </div>
      <div data-dialog-body className="max-h-[70vh] overflow-y-auto px-5 py-4 text-sm">
        {children}
      </div>
      {footer && (
        <div
          data-dialog-footer
          className="flex flex-wrap justify-end gap-2 border-t border-zinc-200 px-5 py-3 dark:border-zinc-800"
        >
          {footer}
        </div>
      )}
    </dialog>
  );
}
