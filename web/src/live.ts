import { useEffect, useRef } from 'preact/hooks';

export interface LiveEvent {
  type: 'findings' | 'devices';
  deviceIds: string[];
  truncated: boolean;
}

/**
 * Calls `onEvent` for each server-sent event of the given types. The browser's EventSource
 * reconnects by itself; the session cookie authenticates it.
 */
export function useLiveEvents(types: LiveEvent['type'][], onEvent: (e: LiveEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = types.join(',');
  useEffect(() => {
    const source = new EventSource('/api/v1/events/stream');
    const listener = (m: MessageEvent<string>) => handler.current(JSON.parse(m.data) as LiveEvent);
    for (const t of key.split(',')) source.addEventListener(t, listener as EventListener);
    return () => source.close();
  }, [key]);
}
