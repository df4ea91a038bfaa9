/** Calls to the lendstats API; errors carry the API's code and message. */
import type {
  BackfillRequest,
  Info,
  PositionDetail,
  PositionsAt,
  Preview,
  Runs,
  RunState,
  Snapshots,
} from './api-types.js';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'lendstats.token';

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code: string; message: string } } | null)?.error;
    throw new ApiFailure(
      response.status,
      error?.code ?? 'HTTP',
      error?.message ?? `${response.status} ${response.statusText}`,
    );
  }
  return body as T;
}

/** POSTs JSON; asks once for the token when the server wants one (writes from other hosts). */
async function write<T>(path: string, body: unknown): Promise<T> {
  const send = (token: string | null): Promise<T> =>
    call<T>(path, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
  try {
    return await send(sessionStorage.getItem(TOKEN_KEY));
  } catch (error) {
    if (!(error instanceof ApiFailure) || error.code !== 'TOKEN_REQUIRED') throw error;
    const token = window.prompt('This server needs its token to save or run backfills:');
    if (token === null || token === '') throw error;
    sessionStorage.setItem(TOKEN_KEY, token);
    return send(token);
  }
}

const query = (params: Record<string, string>): string => new URLSearchParams(params).toString();

export const api = {
  info: () => call<Info>('/api/info'),
  snapshots: (tz: string) => call<Snapshots>(`/api/snapshots?${query({ tz })}`),
  positions: (at: string) => call<PositionsAt>(`/api/positions?${query({ at })}`),
  position: (id: string, at: string) =>
    call<PositionDetail>(`/api/positions/${encodeURIComponent(id)}?${query({ at })}`),
  saveStatistic: (id: string, at: string) =>
    write<{ saved: boolean }>(`/api/positions/${encodeURIComponent(id)}/statistics`, { at }),
  preview: (request: BackfillRequest) => write<Preview>('/api/backfill/preview', request),
  startBackfill: (request: BackfillRequest) => write<RunState>('/api/backfill/runs', request),
  /** One position's plan with the CLI's defaults (the one-click backfill). */
  backfillPosition: (id: string) =>
    write<RunState>('/api/backfill/runs', {
      positions: [id],
      start: null,
      end: null,
      now: null,
      sampling: 'adaptive',
      force: false,
      max_rate_age_hours: 24,
      verify_sample: 50,
    } satisfies BackfillRequest),
  cancelBackfill: (id: string) =>
    write<RunState>(`/api/backfill/runs/${encodeURIComponent(id)}/cancel`, {}),
  runs: () => call<Runs>('/api/backfill/runs'),
  positionsCsvUrl: (at: string) => `/api/positions.csv?${query({ at })}`,
  statisticsCsvUrl: (id: string, at: string) =>
    `/api/positions/${encodeURIComponent(id)}/statistics.csv?${query({ at })}`,
  eventsUrl: (id: string) => `/api/backfill/runs/${encodeURIComponent(id)}/events`,
};
