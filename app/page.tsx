export default function HomePage() {
  return (
    <main className="mx-auto max-w-3xl p-8">
      <h1 className="text-2xl font-semibold">Token Desk</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">Authlete access tokens, looked after.</p>
    </main>
  );
}
