/**
 * Live updates of an exercise over server-sent events. The browser reconnects
 * by itself after a network loss; when the stream cannot be opened at all
 * (older server, proxy refusing event streams), the status says so and pages
 * fall back on polling.
 */
import { useEffect, useRef, useState } from 'react';

export type LiveStatus = 'connecting' | 'live' | 'unavailable';
export type LiveMessage = { type: string; data: Record<string, unknown> };

/** Event types the server sends; `message` covers events sent without a name. */
export const liveEventTypes = ['message', 'ready', 'clock', 'released', 'inject', 'answer', 'solved', 'hint_unlocked', 'adjusted', 'scoreboard', 'announcement', 'advice', 'legal_request', 'legal_reply', 'case_file'] as const;

export function parseLiveData(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string' || raw === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { value: raw };
  }
}

/**
 * Opens the event stream at `url` (null: none) and calls `onEvent` for each
 * event. Polling pages use the status: `live` → no polling needed.
 */
export function useLiveEvents(url: string | null, onEvent: (message: LiveMessage) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>(url ? 'connecting' : 'unavailable');
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!url || typeof EventSource === 'undefined') {
      setStatus('unavailable');
      return;
    }
    setStatus('connecting');
    const source = new EventSource(url, { withCredentials: true });
    let failures = 0;
    const listener = (event: Event) => {
      const e = event as MessageEvent;
      const data = parseLiveData(e.data);
      const type = e.type === 'message' && typeof data.type === 'string' ? data.type : e.type;
      const payload = e.type === 'message' && data.data && typeof data.data === 'object' ? (data.data as Record<string, unknown>) : data;
      handler.current({ type, data: payload });
    };
    for (const type of liveEventTypes) source.addEventListener(type, listener);
    source.onopen = () => {
      failures = 0;
      setStatus('live');
    };
    source.onerror = () => {
      // CLOSED: the server refused the stream (404, not an event stream): the browser will not retry.
      if (source.readyState === EventSource.CLOSED) {
        setStatus('unavailable');
        return;
      }
      failures += 1;
      setStatus(failures > 3 ? 'unavailable' : 'connecting');
    };
    return () => {
      for (const type of liveEventTypes) source.removeEventListener(type, listener);
      source.close();
    };
  }, [url]);

  return status;
}
