import type { ComponentChildren } from 'preact';
import { Link, useLocation } from '../router';
import { can, useSession } from '../session';

export function Layout(props: { title: string; children: ComponentChildren }) {
  const { me, signOut } = useSession();
  const { path } = useLocation();
  const links: [string, string][] = can.seeDevices(me.role)
    ? [
        ['/', 'Overview'],
        ['/exposure', 'Exposure'],
        ['/devices', 'Inventory'],
        ['/advisories', 'Advisories'],
        ['/work-orders', 'Work orders'],
        ['/rogue-devices', 'Rogue devices'],
        ...(can.admin(me.role) ? ([['/admin', 'Admin']] as [string, string][]) : []),
      ]
    : [
        ['/advisories', 'Advisories'],
        ['/work-orders', 'Work orders'],
      ];
  const current = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  document.title = `${props.title} · IoMT Inventory`;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">IoMT Inventory</span>
        <nav aria-label="Main">
          <ul>
            {links.map(([href, label]) => (
              <li key={href}>
                <Link href={href} aria-current={current(href) ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account">
          <span class="who">
            {me.name} ({me.role})
          </span>
          <button type="button" class="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </>
  );
}

export function ErrorNote(props: { error: string | null }) {
  return props.error ? (
    <p class="error" role="alert">
      {props.error}
    </p>
  ) : null;
}

export function Badge(props: { kind: string }) {
  return <span class={`badge badge-${props.kind}`}>{props.kind.replace(/_/g, ' ')}</span>;
}

/**
 * One unambiguous form for every time on screen: ISO 8601 date and time in UTC
 * (`2026-12-07 12:58 UTC`). A ticket pasted between a night-shift biomed and a vendor's support
 * desk in another country must not read 07/12 as July.
 */
export const when = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

/** A calendar date alone (due dates, expiries): `2026-12-09`. */
export const day = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '—');

/**
 * `when()` (or `day()` with `dayOnly`) as a `<time>`, its date in a `.day` span that never breaks
 * at a hyphen ("2026-12-" / "21" in a narrow column); the line may still break before the hour,
 * so the page reflows at 390 px. The text is the same characters: copied, it pastes as typed.
 */
export function When(props: { at: string | null | undefined; dayOnly?: boolean }) {
  const text = props.dayOnly ? day(props.at) : when(props.at);
  if (!props.at || !/^\d{4}-\d{2}-\d{2}/.test(text)) return <>{text}</>;
  return (
    <time dateTime={props.at}>
      <span class="day">{text.slice(0, 10)}</span>
      {text.slice(10)}
    </time>
  );
}
