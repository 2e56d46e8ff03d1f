import { useEffect, useState } from 'preact/hooks';
import { api } from './api/client';
import { Login } from './pages/Login';
import { Overview } from './pages/Overview';
import { Exposure } from './pages/Exposure';
import { DevicePage } from './pages/Device';
import { Inventory } from './pages/Inventory';
import { Advisories } from './pages/Advisories';
import { AdvisoryPage } from './pages/Advisory';
import { RogueDevices } from './pages/RogueDevices';
import { Admin } from './pages/Admin';
import { WorkOrders } from './pages/WorkOrders';
import { WorkOrderPage } from './pages/WorkOrder';
import { navigate, Redirect, useLocation } from './router';
import { can, Me, SessionContext } from './session';

type SessionState = { state: 'loading' } | { state: 'signed-out' } | { state: 'signed-in'; me: Me };

export function App() {
  const [session, setSession] = useState<SessionState>({ state: 'loading' });
  const { path } = useLocation();

  const loadMe = async () => {
    const { data } = await api.GET('/api/v1/auth/me');
    setSession(data ? { state: 'signed-in', me: data } : { state: 'signed-out' });
  };
  useEffect(() => void loadMe(), []);

  // Focus moves to the new page's content, as a screen reader expects after a navigation.
  useEffect(() => document.getElementById('main')?.focus(), [path]);

  if (session.state === 'loading') return <p class="loading">Loading…</p>;
  if (session.state === 'signed-out' || path === '/login') {
    if (session.state === 'signed-in') return <Redirect to="/" />;
    if (path !== '/login') return <Redirect to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} />;
    return <Login onSignedIn={(me) => setSession({ state: 'signed-in', me })} />;
  }

  const me = session.me;
  const signOut = async () => {
    await api.DELETE('/api/v1/console/session');
    setSession({ state: 'signed-out' });
    navigate('/login', true);
  };
  return <SessionContext.Provider value={{ me, signOut }}>{page(path, me)}</SessionContext.Provider>;
}

function page(path: string, me: Me) {
  const id = (prefix: string) => decodeURIComponent(path.slice(prefix.length));
  // A manufacturer's console is its advisories and its models' work orders (the API refuses it the rest anyway).
  if (!can.seeDevices(me.role) && !path.startsWith('/advisories') && !path.startsWith('/work-orders')) return <Redirect to="/advisories" />;
  if (path === '/') return <Overview />;
  if (path === '/exposure') return <Exposure />;
  if (path === '/devices') return <Inventory />;
  if (path.startsWith('/devices/')) return <DevicePage id={id('/devices/')} />;
  if (path === '/advisories') return <Advisories />;
  if (path.startsWith('/advisories/')) return <AdvisoryPage id={id('/advisories/')} />;
  if (path === '/work-orders') return <WorkOrders />;
  if (path.startsWith('/work-orders/')) return <WorkOrderPage id={id('/work-orders/')} />;
  if (path === '/rogue-devices') return <RogueDevices />;
  if (path === '/admin') return can.admin(me.role) ? <Admin /> : <Redirect to="/" />;
  return <NotFound />;
}

function NotFound() {
  return (
    <main id="main" tabIndex={-1}>
      <h1>Not found</h1>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </main>
  );
}
