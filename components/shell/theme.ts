'use client';

import { useSyncExternalStore } from 'react';
import { themeStorageKey } from './theme-boot';

/** Light or dark: the `.dark` class on <html>, remembered in localStorage. */
export type Theme = 'light' | 'dark';

function currentTheme(): Theme {
  return document.documentElement.classList.contains('dark') ? 'dark' : 'light';
}

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

/** The theme now shown; `light` during server rendering (the boot script fixes the class first). */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, currentTheme, () => 'light');
}

export function setTheme(theme: Theme): void {
  document.documentElement.classList.toggle('dark', theme === 'dark');
  try {
    localStorage.setItem(themeStorageKey, theme);
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
}
