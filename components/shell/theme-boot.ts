/** Shared by the server layout (inline script) and the client toggle; no 'use client' on purpose. */
export const themeStorageKey = 'token-desk-theme';

/**
 * Runs before first paint (inlined in the root layout with the CSP nonce), so a dark-mode reader
 * never sees a white flash. Kept as a string because it must not wait for the bundle.
 */
export const themeBootScript = `try{var t=localStorage.getItem('${themeStorageKey}');if(t!=='light'&&t!=='dark')t=matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';document.documentElement.classList.toggle('dark',t==='dark')}catch(e){}`;
