import { Module } from '@nestjs/common';
import { ConsoleEventsService } from './console-events.service';
import { ConsoleSessionController } from './console-session.controller';
import { ConsoleSessionService } from './console-session.service';
import { EventsController } from './events.controller';

/** What the web console needs beyond the REST API: a cookie session and a live event stream. */
@Module({
  controllers: [ConsoleSessionController, EventsController],
  providers: [ConsoleSessionService, ConsoleEventsService],
})
export class ConsoleModule {}
