import { Module } from '@nestjs/common';
import { SyslogForwarder } from './syslog-forwarder.service';
import { SyslogMetrics } from './syslog.metrics';
import { SyslogRepository } from './syslog.repository';

/** Security events and audit entries to the hospital's SIEM over syslog (docs/siem.md). Reads tables only: no module depends on it. */
@Module({
  providers: [SyslogRepository, SyslogMetrics, SyslogForwarder],
})
export class SyslogModule {}
