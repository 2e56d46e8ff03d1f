import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { bufferTime, filter, map, merge, Observable, share, Subject } from 'rxjs';
import { FINDINGS_CHANGED, FindingsChangedEvent } from '../findings/findings.events';
import { CONNECTIVITY_CHANGED, ConnectivityChangedEvent, ROGUE_SIGHTED, RogueSightedEvent } from '../ingest/ingest.events';
import { DEVICES_CHANGED, DevicesChangedEvent } from '../inventory/inventory.events';
import { capDeviceIds, ConsoleEvent, mergeRogueSightings } from './console-events';

/** Sightings of unknown devices are sent at most once per window, merged. */
export const ROGUE_WINDOW_MS = 1_000;

/**
 * Fans this replica's committed changes out to the open consoles. Events are local to the
 * replica that committed them (docs/console.md: what a console on another replica misses).
 */
@Injectable()
export class ConsoleEventsService {
  private readonly events = new Subject<ConsoleEvent>();
  private readonly rogues = new Subject<string[]>();
  /** One pipeline shared by every open console: its window timer runs only while one is open. */
  private readonly shared = merge(
    this.events,
    this.rogues.pipe(
      bufferTime(ROGUE_WINDOW_MS),
      map(mergeRogueSightings),
      filter((e): e is ConsoleEvent => e !== undefined),
    ),
  ).pipe(share());

  get stream(): Observable<ConsoleEvent> {
    return this.shared;
  }

  @OnEvent(FINDINGS_CHANGED)
  onFindingsChanged(e: FindingsChangedEvent): void {
    this.events.next({ type: 'findings', ...capDeviceIds(e.deviceIds), opened: e.opened, resolved: e.resolved });
  }

  @OnEvent(DEVICES_CHANGED)
  onDevicesChanged(e: DevicesChangedEvent): void {
    this.events.next({ type: 'devices', ...capDeviceIds(e.deviceIds), reason: e.reason });
  }

  @OnEvent(CONNECTIVITY_CHANGED)
  onConnectivityChanged(e: ConnectivityChangedEvent): void {
    this.events.next({ type: 'connectivity', ...capDeviceIds(e.deviceIds), connectivity: e.connectivity });
  }

  @OnEvent(ROGUE_SIGHTED)
  onRogueSighted(e: RogueSightedEvent): void {
    this.rogues.next(e.sightings.map((s) => s.claimedDeviceId));
  }
}
