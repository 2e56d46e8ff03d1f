import { Module } from '@nestjs/common';
import { ThreatIntelPuller } from './threat-intel-puller.service';
import { ThreatIntelController } from './threat-intel.controller';
import { ThreatIntelRepository } from './threat-intel.repository';
import { ThreatIntelService } from './threat-intel.service';

/** CISA's KEV catalog and FIRST's EPSS scores: uploaded or pulled, replaced whole; announces PRIORITY_INPUTS_CHANGED. */
@Module({
  controllers: [ThreatIntelController],
  providers: [ThreatIntelRepository, ThreatIntelService, ThreatIntelPuller],
})
export class ThreatIntelModule {}
