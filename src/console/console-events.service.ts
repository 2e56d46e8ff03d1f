import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Observable, Subject } from 'rxjs';
import { FINDINGS_CHANGED, FindingsChangedEvent } from '../findings/findings.events';
import { DEVICES_CHANGED, DevicesChangedEvent } from '../inventory/inventory.events';
import { capDeviceIds, ConsoleEvent } from './console-events';

/**
 * Fans this replica's committed changes out to the open consoles. Events are local to the
 * replica that committed them (docs/console.md: what a console on another replica misses).
 */
@Injectable()
export class ConsoleEventsService {
  private readonly events = new Subject<ConsoleEvent>();

  get stream(): Observable<ConsoleEvent> {
    return this.events.asObservable();
  }

  @OnEvent(FINDINGS_CHANGED)
  onFindingsChanged(e: FindingsChangedEvent): void {
    this.events.next({ type: 'findings', ...capDeviceIds(e.deviceIds), opened: e.opened, resolved: e.resolved });
  }

  @OnEvent(DEVICES_CHANGED)
  onDevicesChanged(e: DevicesChangedEvent): void {
    this.events.next({ type: 'devices', ...capDeviceIds(e.deviceIds), reason: e.reason });
  }
}
