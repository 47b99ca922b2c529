import Link from 'next/link';

/** Shown when a role opens a page it may not use (the API refuses the actions regardless). */
export function NotAllowed({ what }: { what: string }) {
  return (
    <div className="max-w-xl space-y-2">
      <h1 className="text-xl font-semibold">Not available for your role</h1>
      <p className="text-zinc-600 dark:text-zinc-400">Only admins can {what}. Ask an admin if you need this done.</p>
      <Link href="/tokens" className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        Back to tokens
      </Link>
    </div>
  );
}
