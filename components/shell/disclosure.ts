'use client';

import { useRef, useState, type KeyboardEvent } from 'react';

/**
 * A button that shows and hides a list (the phone menu, the service switcher): Escape inside closes it
 * and gives focus back to the button, so a keyboard user is never left in a hidden list.
 */
export function useDisclosure(controls: string) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return {
    open,
    close: () => setOpen(false),
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === 'Escape' && open) {
        setOpen(false);
        button.current?.focus();
      }
    },
    buttonProps: {
      ref: button,
      type: 'button',
      'aria-expanded': open,
      'aria-controls': controls,
      onClick: () => setOpen(!open),
    } as const,
  };
}
