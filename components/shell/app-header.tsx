import Link from 'next/link';
import { appInfo } from '@/lib/app-info';
import { type Access, canAudit } from '@/lib/auth/roles';
import { ThemeToggle } from './theme-toggle';
import { UserMenu } from './user-menu';

export function AppHeader({ access }: { access: Access | null }) {
  const navItems = [
    { href: '/', label: 'Rollouts' },
    ...(canAudit(access).ok ? [{ href: '/audit', label: 'Audit' }] : []),
  ];
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
        <Link href="/" className="font-semibold tracking-tight text-zinc-900 dark:text-zinc-100">
          {appInfo.name}
        </Link>
        <nav aria-label="Main" className="flex gap-4 text-sm">
          {navItems.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <span className="ml-auto text-xs text-zinc-500" title="Control center version">
          v{appInfo.version}
        </span>
        <UserMenu />
        <ThemeToggle />
      </div>
    </header>
  );
}
