import { Controller, MessageEvent, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { interval, map, merge, Observable } from 'rxjs';
import { Roles } from '../auth/roles.decorator';
import { ConsoleEventsService } from './console-events.service';

/** Proxies drop a silent connection; a comment-like ping keeps it open. */
const PING_EVERY_MS = 25_000;

@ApiTags('console')
@Controller('events')
export class EventsController {
  constructor(private readonly events: ConsoleEventsService) {}

  @Sse('stream')
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({
    summary:
      'Server-sent events: `findings` (opened/resolved, with deviceIds), `devices` (registered, firmware, status changes), `connectivity` (devices gone online or offline) and `rogues` (unknown devices heard, merged per second). A manufacturer sees no devices and gets 403',
  })
  @ApiOkResponse({
    description: 'An endless text/event-stream; each event data is JSON with a `type`',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'event: findings\ndata: {"type":"findings","deviceIds":["7d6f0c1e-1111-4b9a-8c63-2f3c1a9e0b11"],"truncated":false,"opened":0,"resolved":1}\n\n',
      },
    },
  })
  stream(): Observable<MessageEvent> {
    return merge(
      this.events.stream.pipe(map((e): MessageEvent => ({ type: e.type, data: e }))),
      interval(PING_EVERY_MS).pipe(map((): MessageEvent => ({ type: 'ping', data: {} }))),
    );
  }
}
