'use client';

/** Switches light/dark (remembered in localStorage; the system preference until then). */
export function ThemeToggle() {
  return (
    <button
      type="button"
      aria-label="Toggle dark mode"
      title="Toggle dark mode"
      className="rounded-md border border-zinc-300 px-2 py-1 text-xs text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
      onClick={() => {
        const dark = document.documentElement.classList.toggle('dark');
        try {
          localStorage.setItem('theme', dark ? 'dark' : 'light');
        } catch {
          // private mode: the choice lasts for this page only
        }
      }}
    >
      <span className="dark:hidden">Dark</span>
      <span className="hidden dark:inline">Light</span>
    </button>
  );
}
