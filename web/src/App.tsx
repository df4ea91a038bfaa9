/** The dashboard: header, the moment everything is shown at, and the three views. */
import { api } from './api.js';
import { BackfillPanel } from './components/BackfillPanel.js';
import { PositionDetail } from './components/PositionDetail.js';
import { PositionsView } from './components/PositionsView.js';
import { ErrorNote, Loading } from './components/Status.js';
import { TimePicker } from './components/TimePicker.js';
import { routeHash, useLoad, useRoute } from './hooks.js';

export function App() {
  const [route, navigate] = useRoute();
  const info = useLoad('info', () => api.info());
  const snapshots = useLoad(route.tz, () => api.snapshots(route.tz));

  if (info.data === null) {
    return (
      <div className="app">
        {info.error !== null ? <ErrorNote error={info.error} /> : <Loading />}
      </div>
    );
  }
  const at = route.at ?? info.data.newest_snapshot ?? info.data.now;
  const canWrite = info.data.writes !== 'off';

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          lendstats
        </div>
        <nav>
          <a
            className={route.view !== 'backfill' ? 'tab active' : 'tab'}
            href={routeHash({ ...route, view: 'positions', id: null })}
          >
            Positions
          </a>
          <a
            className={route.view === 'backfill' ? 'tab active' : 'tab'}
            href={routeHash({ ...route, view: 'backfill', id: null })}
          >
            Backfill
          </a>
        </nav>
        <div className="db" title={info.data.database}>
          {info.data.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ·{' '}
          {basename(info.data.database)}
          <span className={canWrite ? 'mode write' : 'mode'}>
            {canWrite ? 'writes allowed' : 'read-only'}
          </span>
        </div>
      </header>
      {route.view !== 'backfill' && (
        <div className="timebar">
          <TimePicker
            at={at}
            tz={route.tz}
            snapshots={snapshots.data}
            onMoment={(moment) => navigate({ at: moment })}
            onZone={(tz) => navigate({ tz })}
          />
        </div>
      )}
      <main>
        {route.view === 'positions' && (
          <PositionsView
            at={at}
            tz={route.tz}
            canWrite={canWrite}
            onOpen={(id) => navigate({ view: 'position', id, at })}
          />
        )}
        {route.view === 'position' && route.id !== null && (
          <PositionDetail
            id={route.id}
            at={at}
            tz={route.tz}
            canWrite={canWrite}
            onBack={() => navigate({ view: 'positions', id: null })}
          />
        )}
        {route.view === 'backfill' && <BackfillPanel tz={route.tz} canWrite={canWrite} />}
      </main>
    </div>
  );
}

function basename(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}
